import { afterAll, describe, expect, it } from 'vitest';

import { buildApp } from './app.js';
import { loadConfig } from './config/config.js';

const app = buildApp(loadConfig({ HALTE_LOG_LEVEL: 'silent' }));
afterAll(() => app.close());

describe('the HTTP frame', () => {
  it('answers /api/health', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('answers unknown routes with a stable JSON error, never HTML', async () => {
    for (const url of ['/nope', '/api/../../etc/passwd', '/api/%00', `/api/${'x'.repeat(5000)}`]) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('refuses malformed and oversized bodies with 4xx codes', async () => {
    const malformed = await app.inject({ method: 'POST', url: '/api/health', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(malformed.statusCode).toBeGreaterThanOrEqual(400);
    expect(malformed.statusCode).toBeLessThan(500);
    expect(malformed.json().error.code).toMatch(/^(BAD_REQUEST|NOT_FOUND)$/);
  });
});
