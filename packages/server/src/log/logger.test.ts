import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../test/app.js';
import { BACKENDS } from '../../test/database.js';
import { createRootLogger, subsystemLogger, SUBSYSTEMS, type Logger } from './logger.js';

/** A root logger at trace level whose lines land in `lines`. */
function capture(): { logger: Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createRootLogger({ level: 'trace', destination });
  return {
    logger,
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join('\n'),
  };
}

describe('the loggers', () => {
  it('name each subsystem and redact personal fields that reach a line by mistake', () => {
    const c = capture();
    for (const name of SUBSYSTEMS) subsystemLogger(c.logger, name).info('hello');
    expect(c.lines.map((l) => l['name'])).toEqual([...SUBSYSTEMS]);

    const log = subsystemLogger(c.logger, 'reports');
    log.info({ contact: { email: 'a@b.example' }, summary: 'secret story', pin: '12345678', case: { postalCode: '69003', phone: '+33600000000' }, ip: '203.0.113.9' }, 'oops');
    const text = c.text();
    for (const leaked of ['a@b.example', 'secret story', '12345678', '69003', '+33600000000', '203.0.113.9']) expect(text).not.toContain(leaked);
    expect(c.lines.at(-1)).toMatchObject({ name: 'reports', contact: '[redacted]', summary: '[redacted]', case: { postalCode: '[redacted]' } });
  });

  it('logs an error as its type, code and message, with the stack only at debug level', () => {
    const c = capture();
    subsystemLogger(c.logger, 'db').error({ err: Object.assign(new Error('connection lost'), { code: '57P01' }) }, 'failed');
    expect(c.lines[0]).toMatchObject({ name: 'db', err: { type: 'Error', code: '57P01', message: 'connection lost', stack: expect.any(String) } });
    const lines: string[] = [];
    const quiet = createRootLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    quiet.error({ err: new Error('x') }, 'failed');
    expect(JSON.parse(lines[0] as string).err.stack).toBeUndefined();
  });
});

describe.each(BACKENDS)('what the server logs on %s', (backend) => {
  let t: TestApp;
  const c = capture();
  beforeAll(async () => {
    t = await createTestApp(backend, c.logger);
  });
  afterAll(() => t.close());

  it('carries no personal data through a whole report, follow-up, message, failed logins and withdrawal', async () => {
    const email = 'personne.secrete@example.org';
    const summary = 'Histoire très personnelle 7f3a';
    const url = 'https://leak.example/private-7f3a';
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      remoteAddress: '198.51.100.77',
      headers: { 'idempotency-key': 'log-test-key-1', 'user-agent': 'Phone-UA-7f3a' },
      payload: {
        situations: ['sextortion'],
        ageGroup: 'minor',
        madeWhenMinor: true,
        country: 'FR',
        postalCode: '69003',
        immediateDanger: false,
        items: [{ kind: 'url', url }],
        summary,
        contact: { email, phone: '+33 6 12 34 56 78' },
        consents: { shareWithPartners: true, contactMe: true },
      },
    });
    expect(created.statusCode).toBe(201);
    const { reference, pin } = created.json() as { reference: string; pin: string };
    const wrong = pin === '00000000' ? '00000001' : '00000000';
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/followup/session', remoteAddress: '198.51.100.77', payload: { reference, pin: wrong } });
    await t.database.db.updateTable('case').set({ pin_locked_until: null }).where('reference', '=', reference).execute();
    const session = await t.app.inject({ method: 'POST', url: '/api/followup/session', remoteAddress: '198.51.100.77', payload: { reference, pin } });
    expect(session.statusCode).toBe(201);
    const cookie = String(session.headers['set-cookie']).split(';')[0] as string;
    const message = 'Message privé 7f3a';
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/messages', headers: { cookie }, payload: { body: message } })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `/api/followup?ref=${reference}`, headers: { cookie } })).statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: '/api/reports', payload: { summary, contact: { email } } });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', headers: { cookie }, payload: {} })).statusCode).toBe(200);

    const text = c.text();
    for (const leaked of [email, '12 34 56 78', summary, '7f3a', '69003', reference, pin, '198.51.100.77', cookie.split('=')[1] as string, 'Phone-UA']) {
      expect(text, leaked).not.toContain(leaked);
    }
    // and yet the operator sees the traffic, by subsystem
    const events = c.lines.map((l) => `${String(l['name'])}: ${String(l['msg'])}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'http: request completed',
        'reports: report received',
        'followup: follow-up of one case locked for a while (too many wrong PINs)',
        'followup: case withdrawn',
      ]),
    );
    expect(c.lines.find((l) => l['msg'] === 'incoming request' && (l['req'] as { route?: string } | undefined)?.route === '/api/reports')).toBeDefined();
  });
});
