import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../test/app.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/config.js';
import { createRootLogger } from '../log/logger.js';
import { registerWebApp } from './web.js';

describe('security headers, OpenAPI, rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('sends a strict CSP with no third-party origin, no referrer, no framing', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-inline'|'unsafe-eval'/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('publishes an OpenAPI document generated from the contract', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/reports', '/api/orientation', '/api/followup/session', '/api/followup/withdraw']));
    const body = doc.paths['/api/reports'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['situations', 'ageGroup', 'items', 'consents']));
    expect(body.properties.items.maxItems).toBe(200);
    // the partner API, with examples partners can copy
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/hashes', '/api/v1/match', '/api/v1/acks', '/api/v1/feedback', '/api/stopncii/v1/FetchHashes']));
    const match = doc.paths['/api/v1/match'].post;
    expect(match.requestBody.content['application/json'].schema.properties.items.maxItems).toBe(1000);
    expect(match.requestBody.content['application/json'].example.items[0].signalType).toBe('pdq');
    expect(match.responses[503].content['application/json'].example.error.code).toBe('INDEX_NOT_READY');
    expect(doc.components.securitySchemes.partnerKey.scheme).toBe('bearer');
  });

  it('answers 429 RATE_LIMITED past the per-client limit', async () => {
    const app = buildApp(loadConfig({ HALTE_LOG_LEVEL: 'silent', HALTE_RATE_LIMIT_PER_MINUTE: '3' }), { database: t.database, sealer: t.sealer, orient: () => ({ services: [] }), logger: createRootLogger({ level: 'silent' }) });
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    expect((await app.inject({ method: 'GET', url: '/api/openapi.json' })).json().error.code).toBe('RATE_LIMITED');
    await app.close();
  });
});

describe('the web app from the same origin', () => {
  const root = mkdtempSync(join(tmpdir(), 'halte-web-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('serves the built app, falls back to it for its routes, and keeps /api 404s as JSON', async () => {
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>Halte</title>');
    writeFileSync(join(root, 'app.js'), 'console.info(1)');
    const app = Fastify();
    registerWebApp(app, `${root}/`);
    expect((await app.inject({ method: 'GET', url: '/' })).body).toContain('<title>Halte</title>');
    expect((await app.inject({ method: 'GET', url: '/app.js' })).body).toContain('console.info');
    const route = await app.inject({ method: 'GET', url: '/suivi?x=1' });
    expect(route.statusCode).toBe(200);
    expect(route.body).toContain('<title>Halte</title>');
    const api = await app.inject({ method: 'GET', url: '/api/nothing' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    expect((await app.inject({ method: 'GET', url: '/../../etc/passwd' })).body).not.toContain('root:');
    await app.close();
  });

  it('says plainly when the app is not built', async () => {
    const app = Fastify();
    registerWebApp(app, join(root, 'missing/'));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/npm run build/);
    await app.close();
  });
});
