// POST /api/v1/match and the instance's index: what matches (and what no longer does), the partner's
// distance, bad input, scopes, the 503 while loading, and freshness across two instances.
import { randomBytes } from 'node:crypto';

import { MatchResponse } from '@halte/contract';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { reportCase } from '../../../test/bank.js';
import { BACKENDS, feedSettled } from '../../../test/database.js';
import { waitFor } from '../../../test/jobs.js';
import { openDatabase, type HalteDatabase } from '../../db/database.js';
import { createRootLogger } from '../../log/logger.js';
import { OPERATOR } from '../audit/log.js';
import { withdraw } from '../followup/service.js';
import { createRequirePartner } from './guard.js';
import { MAX_MATCH_FRAMES, registerMatchRoutes } from './match-routes.js';
import { BankMatcher, IndexNotReadyError } from './matcher.js';
import { addPartner, revokePartner, rotateKey } from './partners.js';
import { quarantine } from './service.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** `hash` with its first `bits` bits flipped. */
function flip(hash: string, bits: number): string {
  const bytes = Buffer.from(hash, 'hex');
  for (let b = 0; b < bits; b++) bytes[b >> 3] = (bytes[b >> 3] as number) ^ (0x80 >> (b & 7));
  return bytes.toString('hex');
}

async function untilReady(t: TestApp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const health = (await t.app.inject({ method: 'GET', url: '/api/health' })).json() as { bank: { indexReady: boolean } };
    if (health.bank.indexReady) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the match index did not load');
}

/**
 * A second handle on `database`, as a second server has: on PostgreSQL its own pool on the same
 * database; PGlite is one process's, so the instances share its handle.
 */
async function secondHandle(database: HalteDatabase): Promise<{ handle: HalteDatabase; close: () => Promise<void> }> {
  if (database.kind !== 'postgres') return { handle: database, close: async () => undefined };
  const name = (await sql<{ name: string }>`select current_database() as name`.execute(database.db)).rows[0]?.name as string;
  const url = new URL(process.env['HALTE_TEST_DATABASE_URL'] as string);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString() });
  return { handle, close: () => handle.close() };
}

describe.each(BACKENDS)('POST /api/v1/match on %s', (backend) => {
  let a: TestApp;
  let b: TestApp;
  let closeSecond: () => Promise<void>;
  let key: string;
  let nearKey: string;
  let fetchKey: string;

  beforeAll(async () => {
    a = await createTestApp(backend, undefined, { bankPollMs: 100 });
    // a second instance on the same database: it learns of new hashes only through the bank's feed
    const second = await secondHandle(a.database);
    closeSecond = second.close;
    b = await createTestApp(backend, undefined, { bankPollMs: 100, database: second.handle });
    key = (await addPartner(a.database.db, 'Matcher', { scopes: ['match'] }, OPERATOR)).key;
    nearKey = (await addPartner(a.database.db, 'Strict', { scopes: ['match'], maxDistance: 4 }, OPERATOR)).key;
    fetchKey = (await addPartner(a.database.db, 'Fetcher', { scopes: ['fetch'] }, OPERATOR)).key;
    await untilReady(a);
    await untilReady(b);
  });
  afterAll(async () => {
    await b.close();
    await closeSecond();
    await a.close();
  });

  const match = (t: TestApp, items: unknown[], k = key) =>
    t.app.inject({ method: 'POST', url: '/api/v1/match', headers: { authorization: `Bearer ${k}` }, payload: { items } });

  const newCase = async (items: unknown[]) => (await reportCase(a, items)).id;
  const hashIdOf = async (caseId: number, signal: string) =>
    Number(
      (
        await a.database.db
          .selectFrom('bank_hash as h')
          .innerJoin('case_item as i', 'i.id', 'h.item_id')
          .select('h.id')
          .where('i.case_id', '=', caseId)
          .where('h.signal_type', '=', signal as never)
          .executeTakeFirstOrThrow()
      ).id,
    );

  /** Polls until `predicate` holds for the match answer, or fails after `ms`. */
  async function eventually(t: TestApp, items: unknown[], predicate: (r: MatchResponse) => boolean, ms = 10_000): Promise<MatchResponse> {
    const until = Date.now() + ms;
    for (;;) {
      const res = await match(t, items);
      expect(res.statusCode, res.body).toBe(200);
      const body = MatchResponse.parse(res.json());
      if (predicate(body)) return body;
      if (Date.now() > until) throw new Error(`not within ${ms} ms: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('a hash reported through one instance is matchable through the other within 2 s', async () => {
    const pdq = hex(32);
    const started = Date.now();
    const caseId = await newCase([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const body = await eventually(b, [{ signalType: 'pdq', value: pdq }], (r) => r.results[0]?.matches.length === 1, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(body.results[0]?.matches[0]).toEqual({ hashId: await hashIdOf(caseId, 'pdq'), signalType: 'pdq', provenance: 'self_submitted', distance: 0 });
  });

  it('matches near PDQ hashes within the partner’s distance, and digests exactly; upper case is normalised', async () => {
    const pdq = hex(32);
    const md5 = hex(16);
    const sha256 = hex(32);
    const caseId = await newCase([{ kind: 'image', pdq, quality: 90, md5, sha256 }]);
    const items = [
      { signalType: 'pdq', value: flip(pdq, 10).toUpperCase(), quality: 80 },
      { signalType: 'md5', value: md5.toUpperCase() },
      { signalType: 'sha256', value: sha256 },
      { signalType: 'pdq', value: flip(pdq, 40) },
      { signalType: 'md5', value: hex(16) },
    ];
    const body = await eventually(a, items, (r) => r.results[0]?.matches.length === 1);
    expect(body.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(body.results[0]?.matches).toEqual([{ hashId: await hashIdOf(caseId, 'pdq'), signalType: 'pdq', provenance: 'self_submitted', distance: 10 }]);
    expect(body.results[1]?.matches).toEqual([{ hashId: await hashIdOf(caseId, 'md5'), signalType: 'md5', provenance: 'self_submitted', distance: 0 }]);
    expect(body.results[2]?.matches).toEqual([{ hashId: await hashIdOf(caseId, 'sha256'), signalType: 'sha256', provenance: 'self_submitted', distance: 0 }]);
    expect(body.results[3]?.matches).toEqual([]);
    expect(body.results[4]?.matches).toEqual([]);
    // a partner limited to distance 4 does not get the distance-10 match
    const strict = MatchResponse.parse((await match(a, items.slice(0, 1), nearKey)).json());
    expect(strict.results[0]?.matches).toEqual([]);
    // answers say nothing about the person
    expect(JSON.stringify(body)).not.toMatch(/HLT-|reference|case/i);
  });

  it('matches videos by their frames', async () => {
    const frames = Array.from({ length: 10 }, (_, i) => ({ frame: i, timestamp: i, pdq: hex(32), quality: 90 }));
    const caseId = await newCase([{ kind: 'video', md5: hex(16), sha256: hex(32), vpdq: frames }]);
    const query = [{ signalType: 'vpdq', value: frames.map((f) => ({ pdq: flip(f.pdq, 3), quality: f.quality, timestamp: f.timestamp })) }];
    const body = await eventually(a, query, (r) => (r.results[0]?.matches.length ?? 0) > 0);
    expect(body.results[0]?.matches).toEqual([{ hashId: await hashIdOf(caseId, 'vpdq'), signalType: 'vpdq', provenance: 'self_submitted', queryPercent: 100, targetPercent: 100 }]);
  });

  it('stops matching withdrawn and suspended hashes, on every instance', async () => {
    const kept = hex(32);
    const gone = hex(32);
    const keptCase = await newCase([{ kind: 'image', pdq: kept, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const goneCase = await newCase([{ kind: 'image', pdq: gone, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const items = [
      { signalType: 'pdq', value: kept },
      { signalType: 'pdq', value: gone },
    ];
    await eventually(b, items, (r) => r.results.every((x) => x.matches.length === 1));
    await withdraw({ db: a.database.db, sealer: a.sealer }, goneCase);
    await quarantine(a.database.db, await hashIdOf(keptCase, 'pdq'), 'false_positive');
    await eventually(b, items, (r) => r.results.every((x) => x.matches.length === 0));
  });

  it('refuses malformed hashes, 1,001 items and other bad bodies with VALIDATION_FAILED', async () => {
    const bad: unknown[] = [
      [{ signalType: 'pdq', value: hex(31) }],
      [{ signalType: 'pdq', value: `${hex(31)}zz` }],
      [{ signalType: 'md5', value: hex(32) }],
      [{ signalType: 'sha256', value: hex(16) }],
      [{ signalType: 'tmk', value: hex(32) }],
      [{ signalType: 'pdq', value: hex(32), quality: 101 }],
      [{ signalType: 'pdq', value: hex(32), extra: true }],
      [{ signalType: 'vpdq', value: [] }],
      [{ signalType: 'vpdq', value: [{ pdq: hex(31), quality: 50 }] }],
      [],
      Array.from({ length: 1001 }, () => ({ signalType: 'md5', value: hex(16) })),
    ];
    for (const items of bad) {
      const res = await match(a, items as unknown[]);
      expect(res.statusCode, JSON.stringify(items).slice(0, 80)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const tooMany = await match(a, Array.from({ length: 1001 }, () => ({ signalType: 'md5', value: hex(16) })));
    expect(JSON.stringify(tooMany.json().error.issues)).toContain('at most 1000 items');
    expect((await match(a, Array.from({ length: 1000 }, () => ({ signalType: 'md5', value: hex(16) })))).statusCode).toBe(200);
    // too many video frames in one request, even when each item is within its own bound
    const frame = { pdq: hex(32), quality: 90 };
    const videos = Array.from({ length: Math.ceil(MAX_MATCH_FRAMES / 10_000) + 1 }, () => ({ signalType: 'vpdq', value: Array.from({ length: 10_000 }, () => frame) }));
    const heavy = await match(a, videos);
    expect([heavy.statusCode, heavy.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(heavy.json().error.message).toContain(`at most ${MAX_MATCH_FRAMES} video frames`);
    const notJson = await a.app.inject({ method: 'POST', url: '/api/v1/match', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: '{"items":' });
    expect(notJson.statusCode).toBe(400);
  });

  it('needs a valid key with the match scope', async () => {
    const scoped = await match(a, [{ signalType: 'md5', value: hex(16) }], fetchKey);
    expect([scoped.statusCode, scoped.json().error.code]).toEqual([403, 'PARTNER_SCOPE_MISSING']);
    const none = await a.app.inject({ method: 'POST', url: '/api/v1/match', payload: { items: [] } });
    expect([none.statusCode, none.json().error.code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    // a key of the right shape that no partner has, and one a letter off
    for (const wrong of [`hk_zzzzzzzzzz_${randomBytes(32).toString('base64url')}`, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await match(a, [{ signalType: 'md5', value: hex(16) }], wrong);
      expect([res.statusCode, res.json().error.code]).toEqual([401, 'PARTNER_KEY_INVALID']);
    }
    const p = await addPartner(a.database.db, `Short-lived ${hex(2)}`, { scopes: ['match'] }, OPERATOR);
    const rotated = await rotateKey(a.database.db, p.partner.id, OPERATOR);
    expect((await match(a, [{ signalType: 'md5', value: hex(16) }], p.key)).statusCode).toBe(401);
    expect((await match(a, [{ signalType: 'md5', value: hex(16) }], rotated.key)).statusCode).toBe(200);
    await revokePartner(a.database.db, p.partner.id, OPERATOR);
    expect((await match(a, [{ signalType: 'md5', value: hex(16) }], rotated.key)).statusCode).toBe(401);
  });

  it('answers 503 INDEX_NOT_READY until the index is loaded', async () => {
    const log = createRootLogger({ level: 'silent' });
    const matcher = new BankMatcher(a.database.db, { log, pollMs: 50 });
    expect(() => matcher.match([{ signalType: 'md5', value: hex(16) }], 31)).toThrow(IndexNotReadyError);
    // through the route: a server whose index has not loaded yet
    const server = Fastify();
    registerMatchRoutes(server, { matcher, requirePartner: createRequirePartner(a.database.db) }, log);
    try {
      const res = await server.inject({ method: 'POST', url: '/api/v1/match', headers: { authorization: `Bearer ${key}` }, payload: { items: [{ signalType: 'md5', value: hex(16) }] } });
      expect([res.statusCode, res.json().error.code, res.headers['retry-after']]).toEqual([503, 'INDEX_NOT_READY', '5']);
    } finally {
      await server.close();
    }
    matcher.start();
    for (let i = 0; i < 200 && !matcher.ready; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(matcher.ready).toBe(true);
    expect(matcher.match([{ signalType: 'md5', value: hex(16) }], 31)).toEqual([{ index: 0, matches: [] }]);
    await matcher.stop();
  });

  it('reports a hash that matches abnormally often, once', async () => {
    const pdq = hex(32);
    const caseId = await newCase([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const hashId = await hashIdOf(caseId, 'pdq');
    const reported: number[] = [];
    const matcher = new BankMatcher(a.database.db, {
      log: createRootLogger({ level: 'silent' }),
      abnormalMatchesPerHour: 3,
      onAbnormal: async (id) => reported.push(id),
    });
    // the feed shows the new hash once every older transaction on the server has ended (decision 0018):
    // on a shared PostgreSQL another test file's transaction can hold it back a moment
    await feedSettled(a.database.db);
    matcher.start();
    await waitFor(() => matcher.ready, 30_000, 'the matcher loaded');
    for (let i = 0; i < 6; i++) matcher.match([{ signalType: 'pdq', value: pdq }], 31);
    expect(reported).toEqual([hashId]);
    await matcher.stop();
  });
});
