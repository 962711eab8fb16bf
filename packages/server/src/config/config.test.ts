import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults that serve on http://127.0.0.1:8080 with the embedded database in ./data', () => {
    expect(loadConfig({}, '/srv/halte')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'info',
      dataDir: '/srv/halte/data',
      database: { kind: 'pglite', dataDir: '/srv/halte/data' },
      secretKey: undefined,
      rateLimitPerMinute: 300,
      publicUrl: 'http://localhost:8080',
    });
  });

  it('reads HALTE_* settings and ignores empty ones', () => {
    const config = loadConfig(
      { HALTE_PORT: '0', HALTE_HOST: '0.0.0.0', HALTE_LOG_LEVEL: 'warn', HALTE_OTHER: '', HALTE_DATABASE_URL: 'postgres://u:p@db:5432/halte' },
      '/srv',
    );
    expect(config).toMatchObject({ port: 0, host: '0.0.0.0', logLevel: 'warn', database: { kind: 'postgres', url: 'postgres://u:p@db:5432/halte' } });
    expect(loadConfig({ HALTE_PORT: '' }).port).toBe(8080);
  });

  it('takes the public address people reach Halte at, without its trailing slash', () => {
    expect(loadConfig({ HALTE_PUBLIC_URL: 'https://halte.example.org/' }).publicUrl).toBe('https://halte.example.org');
    expect(loadConfig({ HALTE_PUBLIC_URL: 'https://example.org/halte' }).publicUrl).toBe('https://example.org/halte');
  });

  it.each([
    [{ HALTE_PORT: 'abc' }, 'HALTE_PORT'],
    [{ HALTE_PORT: '70000' }, 'HALTE_PORT'],
    [{ HALTE_PORT: '-1' }, 'HALTE_PORT'],
    [{ HALTE_PORT: '80.5' }, 'HALTE_PORT'],
    [{ HALTE_HOST: 'a host' }, 'HALTE_HOST'],
    [{ HALTE_LOG_LEVEL: 'loud' }, 'HALTE_LOG_LEVEL'],
    [{ HALTE_DATABASE_URL: 'mysql://db/halte' }, 'HALTE_DATABASE_URL'],
    [{ HALTE_DATABASE_URL: 'postgres://a b' }, 'HALTE_DATABASE_URL'],
    [{ HALTE_RATE_LIMIT_PER_MINUTE: '0' }, 'HALTE_RATE_LIMIT_PER_MINUTE'],
    [{ HALTE_PUBLIC_URL: 'halte.example.org' }, 'HALTE_PUBLIC_URL'],
    [{ HALTE_PUBLIC_URL: 'ftp://halte.example.org' }, 'HALTE_PUBLIC_URL'],
    [{ HALTE_PUBLIC_URL: 'javascript:alert(1)' }, 'HALTE_PUBLIC_URL'],
    [{ HALTE_PUBLIC_URL: 'https://halte.example.org/?next=1' }, 'HALTE_PUBLIC_URL'],
    [{ HALTE_PUBLIC_URL: 'https://halte.example.org/#x' }, 'HALTE_PUBLIC_URL'],
    [{ HALTE_PUBLIC_URL: 'https://admin:secret@halte.example.org' }, 'HALTE_PUBLIC_URL'],
  ])('refuses %j, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toContain(name);
    }
  });
});
