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
      mail: null,
      linkCheckAllowHosts: [],
    });
  });

  it('reads the link checker’s allowlist (tests only), and refuses what is not a host', () => {
    expect(loadConfig({ HALTE_LINK_CHECK_ALLOW_HOSTS: '127.0.0.1, LocalHost,[::1]' }).linkCheckAllowHosts).toEqual(['127.0.0.1', 'localhost', '[::1]']);
    expect(() => loadConfig({ HALTE_LINK_CHECK_ALLOW_HOSTS: 'http://x/' })).toThrow(/HALTE_LINK_CHECK_ALLOW_HOSTS/);
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

  describe('e-mail (HALTE_SMTP_URL, HALTE_MAIL_FROM)', () => {
    const base = { HALTE_MAIL_FROM: 'Halte <no-reply@halte.example.org>', HALTE_PUBLIC_URL: 'https://halte.example.org' };

    it('is disabled without HALTE_SMTP_URL', () => {
      expect(loadConfig({ HALTE_MAIL_FROM: 'no-reply@halte.example.org' }).mail).toBeNull();
    });

    it('reads the SMTP server, its credentials and the sender', () => {
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://halte%40example.org:p%40ss%20word@mail.example.org:2525' }).mail).toEqual({
        smtp: { host: 'mail.example.org', port: 2525, secure: false, requireTLS: true, auth: { user: 'halte@example.org', pass: 'p@ss word' } },
        from: { name: 'Halte', address: 'no-reply@halte.example.org' },
      });
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtps://mail.example.org' }).mail?.smtp).toEqual({ host: 'mail.example.org', port: 465, secure: true, requireTLS: false, auth: null });
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org' }).mail?.smtp).toMatchObject({ port: 587, requireTLS: true });
      // STARTTLS is not required from a server on this machine, or when the operator says the relay has none
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://127.0.0.1:25' }).mail?.smtp.requireTLS).toBe(false);
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://relay.internal:25/?starttls=optional' }).mail?.smtp.requireTLS).toBe(false);
      expect(loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://localhost', HALTE_MAIL_FROM: 'no-reply@halte.example.org' }).mail?.from).toEqual({ name: null, address: 'no-reply@halte.example.org' });
    });

    it.each([
      [{ ...base, HALTE_SMTP_URL: 'http://mail.example.org' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'mail.example.org:25' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org/inbox' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org:99999' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org?pool=true' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtps://mail.example.org?starttls=optional' }, 'HALTE_SMTP_URL'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org', HALTE_MAIL_FROM: 'not an address' }, 'HALTE_MAIL_FROM'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org', HALTE_MAIL_FROM: 'Halte\r\nBcc: x@evil.example <no-reply@halte.example.org>' }, 'HALTE_MAIL_FROM'],
      [{ ...base, HALTE_SMTP_URL: 'smtp://mail.example.org', HALTE_MAIL_FROM: 'no-reply@localhost' }, 'HALTE_MAIL_FROM'],
      [{ HALTE_PUBLIC_URL: 'https://halte.example.org', HALTE_SMTP_URL: 'smtp://mail.example.org' }, 'HALTE_MAIL_FROM'],
      [{ HALTE_MAIL_FROM: 'no-reply@halte.example.org', HALTE_SMTP_URL: 'smtp://mail.example.org' }, 'HALTE_PUBLIC_URL'],
    ])('refuses %j, naming %s', (env, name) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      try {
        loadConfig(env);
      } catch (error) {
        expect((error as ConfigError).problems.join('\n')).toContain(name);
      }
    });

    it('never repeats the SMTP password in its error', () => {
      try {
        loadConfig({ ...base, HALTE_SMTP_URL: 'smtp://user:Sup3rS3cret@mail.example.org:99999' });
        expect.unreachable();
      } catch (error) {
        expect((error as ConfigError).message).not.toContain('Sup3rS3cret');
        expect((error as ConfigError).message).toContain('HALTE_SMTP_URL');
      }
    });
  });
});
