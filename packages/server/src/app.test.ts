import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../test/app.js';
import { BACKENDS } from '../test/database.js';
import { buildApp } from './app.js';
import { loadConfig } from './config/config.js';
import { openDatabase } from './db/database.js';
import { createRootLogger } from './log/logger.js';
import { MIGRATIONS } from './db/migrations/index.js';
import { orient } from './modules/orientation/rules.js';

const config = loadConfig({ HALTE_LOG_LEVEL: 'silent' });

describe.each(BACKENDS)('the HTTP frame on %s', (backend) => {
  let t: TestApp;
  let app: TestApp['app'];
  beforeAll(async () => {
    t = await createTestApp(backend);
    app = t.app;
  });
  afterAll(() => t.close());

  it('answers /api/health with the database reachable and current', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.any(String), database: { kind: backend, reachable: true, pendingMigrations: 0 }, bank: { indexReady: expect.any(Boolean), hashes: 0 } });
  });

  it('answers unknown routes with a stable JSON error, never HTML', async () => {
    const traversal = await app.inject({ method: 'GET', url: '/api/../../etc/passwd' });
    expect(traversal.body).not.toContain('root:');
    for (const url of ['/api/nope', '/api/%00', `/api/${'x'.repeat(5000)}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('refuses malformed bodies with a 4xx code', async () => {
    const malformed = await app.inject({ method: 'POST', url: '/api/health', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(malformed.statusCode).toBeGreaterThanOrEqual(400);
    expect(malformed.statusCode).toBeLessThan(500);
    expect(malformed.json().error.code).toMatch(/^(BAD_REQUEST|NOT_FOUND)$/);
  });
});

describe('/api/health when the database is not ready', () => {
  it('answers 503 while migrations are pending, and when the database is gone', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: null });
    const { Sealer } = await import('./crypto/sealed.js');
    const { deriveKeys } = await import('./crypto/keys.js');
    const sealer = await Sealer.create(await deriveKeys(new Uint8Array(32).fill(7)));
    const app = buildApp(config, { database, sealer, orient, logger: createRootLogger({ level: 'silent' }) });
    try {
      const pending = await app.inject({ method: 'GET', url: '/api/health' });
      expect(pending.statusCode).toBe(503);
      expect(pending.json()).toMatchObject({ status: 'unavailable', database: { reachable: true, pendingMigrations: Object.keys(MIGRATIONS).length } });
      await database.close();
      const gone = await app.inject({ method: 'GET', url: '/api/health' });
      expect(gone.statusCode).toBe(503);
      expect(gone.json()).toMatchObject({ status: 'unavailable', database: { reachable: false } });
    } finally {
      await app.close();
    }
  });
});
