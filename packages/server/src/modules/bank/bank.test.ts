// The bank as partners see it: what is shared (triggers), the change feed and its cursors, keys and
// scopes, acknowledgements counted for the person, feedback on the timeline, the quarantine.
import { randomBytes } from 'node:crypto';

import { FeedPage, FollowupView, QuarantineList } from '@halte/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { reportCase } from '../../../test/bank.js';
import { BACKENDS, feedSettled } from '../../../test/database.js';
import { harness, testClock } from '../../../test/staff.js';
import { OPERATOR } from '../audit/log.js';
import { writeSettings } from '../cases/settings.js';
import { withdraw } from '../followup/service.js';
import { readCursor, signCursor } from './cursor.js';
import { addPartner, authenticate, revokePartner, rotateKey, updatePartner } from './partners.js';
import { PARTNER_SUSPENSIONS_PER_DAY, quarantine, withdrawalProgress } from './service.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function image() {
  return { kind: 'image', pdq: hex(32), quality: 90, md5: hex(16), sha256: hex(32) };
}

describe.each(BACKENDS)('the hash bank on %s', (backend) => {
  let t: TestApp;
  const clock = testClock();
  const staff = harness(() => t, clock);
  let fetchKey: string;
  let allKey: string;
  let allId: number;

  beforeAll(async () => {
    t = await createTestApp(backend, undefined, { now: clock.now });
    fetchKey = (await addPartner(t.database.db, 'Fetch Only', { scopes: ['fetch'] }, OPERATOR)).key;
    const all = await addPartner(t.database.db, 'Everything', { scopes: ['fetch', 'match', 'feedback'] }, OPERATOR);
    allKey = all.key;
    allId = all.partner.id;
  });
  afterAll(() => t.close());

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const feed = (key: string, query = '') => t.app.inject({ method: 'GET', url: `/api/v1/hashes${query}`, headers: bearer(key) });
  const postAs = (key: string, url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: bearer(key), payload: payload as object });

  const newCase = (items: unknown[], share = true) => reportCase(t, items, share);

  /** Every change after `cursor`, following nextCursor to the end. */
  async function readAll(key: string, cursor = '', limit = 1000, settle = true): Promise<{ items: FeedPage['items']; cursor: string }> {
    if (settle) await feedSettled(t.database.db);
    const items: FeedPage['items'] = [];
    for (;;) {
      const res = await feed(key, `?limit=${limit}&cursor=${encodeURIComponent(cursor)}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = FeedPage.parse(res.json());
      items.push(...page.items);
      cursor = page.nextCursor;
      if (page.items.length < limit) return { items, cursor };
    }
  }

  async function bankRows(caseId: number) {
    return t.database.db
      .selectFrom('bank_hash as b')
      .innerJoin('case_item as i', 'i.id', 'b.item_id')
      .select(['b.id', 'b.signal_type', 'b.state', 'b.published', 'b.provenance', 'b.video_id', 'b.value'])
      .where('i.case_id', '=', caseId)
      .orderBy('b.id')
      .execute();
  }

  describe('what is shared', () => {
    it('an image with consent gives three active signals, a video its vpdq, md5 and sha256; links give none', async () => {
      const img = image();
      const video = { kind: 'video', md5: hex(16), sha256: hex(32), vpdq: [{ frame: 0, timestamp: 0, pdq: hex(32).toUpperCase(), quality: 80 }] };
      const c = await newCase([img, video, { kind: 'url', url: 'https://example.org/x' }]);
      const rows = await bankRows(c.id);
      expect(rows.map((r) => r.signal_type).sort()).toEqual(['md5', 'md5', 'pdq', 'sha256', 'sha256', 'vpdq']);
      expect(rows.every((r) => r.state === 'active' && r.published && r.provenance === 'self_submitted')).toBe(true);
      expect(rows.find((r) => r.signal_type === 'pdq')?.value).toBe(img.pdq);
      const videoRows = rows.filter((r) => r.video_id !== null);
      expect(videoRows.map((r) => r.signal_type).sort()).toEqual(['md5', 'sha256', 'vpdq']);
    });

    it('without the person’s consent nothing is published', async () => {
      const c = await newCase([image()], false);
      const rows = await bankRows(c.id);
      expect(rows).toHaveLength(3);
      expect(rows.every((r) => r.state === 'withdrawn' && !r.published)).toBe(true);
    });

    it('with sharing before review turned off, a self-submitted hash waits for an analyst; a rejected one becomes a tombstone', async () => {
      const admin = await staff.member('admin');
      await writeSettings(t.database.db, { shareSelfSubmittedBeforeReview: false }, { kind: 'staff', id: admin.id }, clock.now());
      try {
        const c = await newCase([image()]);
        expect((await bankRows(c.id)).every((r) => !r.published)).toBe(true);
        const item = await t.database.db.selectFrom('case_item').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow();
        await t.database.db.updateTable('case_item').set({ review: 'analyst_verified' }).where('id', '=', item.id).execute();
        const verified = await bankRows(c.id);
        expect(verified.every((r) => r.state === 'active' && r.published && r.provenance === 'analyst_verified')).toBe(true);
        await t.database.db.updateTable('case_item').set({ review: 'rejected' }).where('id', '=', item.id).execute();
        expect((await bankRows(c.id)).every((r) => r.state === 'withdrawn' && r.published)).toBe(true);
      } finally {
        await writeSettings(t.database.db, { shareSelfSubmittedBeforeReview: true }, { kind: 'staff', id: admin.id }, clock.now());
      }
    });
  });

  describe('the feed', () => {
    it('pages through every published hash once, in order, and an empty cursor re-syncs everything', async () => {
      await newCase([image(), image()]);
      const first = await readAll(allKey, '', 2);
      const published = await t.database.db.selectFrom('bank_hash').select('id').where('published', '=', true).execute();
      expect(first.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(published.map((p) => Number(p.id)).sort((a, b) => a - b));
      expect(new Set(first.items.map((i) => i.id)).size).toBe(first.items.length);
      // up to date: the same cursor gives nothing new; a new report gives exactly its hashes
      expect((await readAll(allKey, first.cursor)).items).toEqual([]);
      const c = await newCase([image()]);
      const next = await readAll(allKey, first.cursor);
      expect(next.items.map((i) => i.id).sort()).toEqual((await bankRows(c.id)).map((r) => Number(r.id)).sort());
      const again = await readAll(fetchKey, '', 500);
      expect(again.items.length).toBe(first.items.length + next.items.length);
    });

    it('items carry the documented fields and nothing about the person', async () => {
      await newCase([image()]);
      const { items } = await readAll(allKey);
      const item = items.find((i) => i.signalType === 'pdq');
      expect(Object.keys(item ?? {}).sort()).toEqual(['id', 'provenance', 'quality', 'signalType', 'status', 'updatedAt', 'value', 'videoId']);
      const vpdq = items.find((i) => i.signalType === 'vpdq');
      expect(Array.isArray(vpdq?.value)).toBe(true);
    });

    it('a withdrawal comes back as tombstones after the cursor', async () => {
      const c = await newCase([image()]);
      const { cursor } = await readAll(allKey);
      await withdraw({ db: t.database.db, sealer: t.sealer }, c.id);
      const { items } = await readAll(allKey, cursor);
      expect(items).toHaveLength(3);
      expect(items.every((i) => i.status === 'withdrawn')).toBe(true);
    });

    it('refuses altered, invented and foreign cursors, and bad limits', async () => {
      const { cursor } = await readAll(allKey);
      const parts = cursor.split('.');
      const tampered = [parts[0], parts[1], String(Number(parts[2]) + 1), parts[3]].join('.');
      for (const bad of [tampered, 'v1.1.1.AAAAAAAAAAAAAAAAAAAAAA', 'garbage', cursor.slice(0, -2), signCursor(t.sealer, 'webhook', { xid: '1', id: 1 })]) {
        const res = await feed(allKey, `?cursor=${encodeURIComponent(bad)}`);
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().error.code).toBe('CURSOR_INVALID');
      }
      for (const limit of ['0', '10001', 'abc', '-1']) {
        const res = await feed(allKey, `?limit=${limit}`);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
      expect(readCursor(t.sealer, 'feed', cursor).position.id).toBeGreaterThan(0);
    });

    it.runIf(backend === 'postgres')('skips nothing when transactions commit out of order', async () => {
      const db = t.database.db;
      const insert = (trx: typeof db) =>
        sql<{ id: string }>`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${hex(32)}, 'analyst_verified', 'active', true) returning id`
          .execute(trx)
          .then((r) => Number(r.rows[0]?.id));
      const { cursor } = await readAll(allKey);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let early!: (id: number) => void;
      const earlyId = new Promise<number>((resolve) => (early = resolve));
      // T1 takes its transaction id first and commits last
      const slow = db.transaction().execute(async (trx) => {
        const id = await insert(trx);
        early(id);
        await gate;
        return id;
      });
      await earlyId;
      const fast = await insert(db); // T2: a later transaction id, committed first
      const during = await readAll(allKey, cursor, 1000, false); // (settling would wait for T1)
      expect(during.items.map((i) => i.id)).not.toContain(fast); // held back until T1 ends
      release();
      const slowId = await slow;
      const after = await readAll(allKey, during.cursor);
      expect(after.items.map((i) => i.id)).toEqual([slowId, fast]);
    });

    it.runIf(backend === 'postgres')('misses and repeats nothing while writers insert concurrently', async () => {
      const db = t.database.db;
      let { cursor } = await readAll(allKey);
      const written: number[] = [];
      let writing = true;
      const writer = async () => {
        while (writing) {
          const ids = await db.transaction().execute(async (trx) => {
            const r = await sql<{ id: string }>`insert into bank_hash (signal_type, value, provenance, state, published)
              select 'md5', md5(random()::text), 'self_submitted', 'active', true from generate_series(1, 3) returning id`.execute(trx);
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
            return r.rows.map((row) => Number(row.id));
          });
          written.push(...ids);
        }
      };
      const writers = [writer(), writer(), writer()];
      const seen: number[] = [];
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        const page = await readAll(allKey, cursor, 7, false);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.cursor;
      }
      writing = false;
      await Promise.all(writers);
      const rest = await readAll(allKey, cursor, 50);
      seen.push(...rest.items.map((i) => i.id));
      expect(written.length).toBeGreaterThan(20);
      expect(new Set(seen).size).toBe(seen.length);
      expect([...seen].sort((a, b) => a - b)).toEqual([...written].sort((a, b) => a - b));
    });
  });

  describe('keys and scopes', () => {
    it('refuses no key, a malformed, unknown, rotated or revoked key, and a missing scope', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/hashes' })).statusCode).toBe(401);
      for (const key of ['nope', `hk_aaaaaaaaaa_${'A'.repeat(43)}`, fetchKey.slice(0, -1) + (fetchKey.endsWith('A') ? 'B' : 'A')]) {
        const res = await feed(key);
        expect(res.statusCode).toBe(401);
        expect(res.json().error.code).toBe('PARTNER_KEY_INVALID');
      }
      const res = await postAs(fetchKey, '/api/v1/feedback', { hashId: 1, outcome: 'blocked' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('PARTNER_SCOPE_MISSING');

      const p = await addPartner(t.database.db, `Rotating ${hex(3)}`, { scopes: ['fetch'] }, OPERATOR);
      expect((await feed(p.key)).statusCode).toBe(200);
      const rotated = await rotateKey(t.database.db, p.partner.id, OPERATOR);
      expect((await feed(p.key)).statusCode).toBe(401);
      expect((await feed(rotated.key)).statusCode).toBe(200);
      await revokePartner(t.database.db, p.partner.id, OPERATOR);
      expect((await feed(rotated.key)).statusCode).toBe(401);
    });

    it('a key revoked by another process (the halte command) stops working within 5 s', async () => {
      const p = await addPartner(t.database.db, `Elsewhere ${hex(3)}`, { scopes: ['fetch'] }, OPERATOR);
      const now = Date.now();
      expect(await authenticate(t.database.db, p.key, now)).not.toBeNull();
      // as `halte partner revoke` does from its own process: this process's cache is not told
      await t.database.db.updateTable('partner').set({ revoked_at: new Date() }).where('id', '=', p.partner.id).execute();
      expect(await authenticate(t.database.db, p.key, now + 1000)).not.toBeNull();
      expect(await authenticate(t.database.db, p.key, now + 5001)).toBeNull();
    });

    it('limits each partner to its own rate', async () => {
      const p = await addPartner(t.database.db, `Slow ${hex(3)}`, { scopes: ['fetch'], rateLimitPerMinute: 3 }, OPERATOR);
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await feed(p.key, '?limit=1')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      const limited = await feed(p.key, '?limit=1');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect((await feed(fetchKey, '?limit=1')).statusCode).toBe(200); // another partner is not affected
    });
  });

  describe('acknowledgements', () => {
    it('count tombstones applied per partner, shown to the person as N of M', async () => {
      const c = await newCase([image()]);
      const ids = (await bankRows(c.id)).map((r) => Number(r.id));
      // an active hash is nothing to apply
      expect((await postAs(fetchKey, '/api/v1/acks', { hashIds: ids })).json()).toEqual({ acknowledged: 0, ignored: 3 });
      await withdraw({ db: t.database.db, sealer: t.sealer }, c.id);
      const receivers = Number(
        (await sql<{ n: string }>`select count(*) as n from partner where revoked_at is null and 'fetch' = any(scopes)`.execute(t.database.db)).rows[0]?.n,
      );
      expect(await withdrawalProgress(t.database.db, c.id)).toEqual({ appliedBy: 0, partners: receivers });
      // part of the tombstones is not the whole withdrawal
      expect((await postAs(fetchKey, '/api/v1/acks', { hashIds: ids.slice(0, 2) })).json()).toEqual({ acknowledged: 2, ignored: 0 });
      expect((await withdrawalProgress(t.database.db, c.id))?.appliedBy).toBe(0);
      expect((await postAs(fetchKey, '/api/v1/acks', { hashIds: [...ids, 999_999_999] })).json()).toEqual({ acknowledged: 3, ignored: 1 });
      expect((await withdrawalProgress(t.database.db, c.id))?.appliedBy).toBe(1);
      await postAs(allKey, '/api/v1/acks', { hashIds: ids });

      // the person reads it in their follow-up
      const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference: c.reference, pin: c.pin } });
      expect(login.statusCode, login.body).toBe(201);
      const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
      const view = FollowupView.parse((await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).json());
      expect(view.status).toBe('withdrawn');
      expect(view.withdrawal).toEqual({ appliedBy: 2, partners: receivers });
    });

    it('nothing shared, nothing to count; bad bodies are refused', async () => {
      const c = await newCase([image()], false);
      await withdraw({ db: t.database.db, sealer: t.sealer }, c.id);
      expect(await withdrawalProgress(t.database.db, c.id)).toBeNull();
      for (const body of [{}, { hashIds: [] }, { hashIds: ['1'] }, { hashIds: [0] }, { hashIds: Array.from({ length: 1001 }, (_, i) => i + 1) }, { hashIds: [1], extra: 1 }]) {
        const res = await postAs(fetchKey, '/api/v1/acks', body);
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('feedback', () => {
    async function pdqOf(caseId: number): Promise<number> {
      return Number((await bankRows(caseId)).find((r) => r.signal_type === 'pdq')?.id);
    }
    const personTimeline = (caseId: number) =>
      t.database.db.selectFrom('event').select(['kind', 'data', 'visible_to_person']).where('case_id', '=', caseId).orderBy('id').execute();

    it('a blocked re-upload reaches the person’s timeline, the partner named only if it allows it', async () => {
      const c = await newCase([image()]);
      const hashId = await pdqOf(c.id);
      const res = await postAs(allKey, '/api/v1/feedback', { hashId, outcome: 'blocked', count: 2, url: 'https://platform.example/u/123' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ recorded: true, quarantined: false });
      await updatePartner(t.database.db, allId, { showName: true }, OPERATOR);
      await postAs(allKey, '/api/v1/feedback', { hashId, outcome: 'removed' });
      await updatePartner(t.database.db, allId, { showName: false }, OPERATOR);
      const events = (await personTimeline(c.id)).filter((e) => e.kind === 'reupload_blocked');
      expect(events.map((e) => [e.data, e.visible_to_person])).toEqual([
        [{ outcome: 'blocked', partner: null, count: 2 }, true],
        [{ outcome: 'removed', partner: 'Everything', count: 1 }, true],
      ]);
      // the URL is kept sealed, never in clear
      const stored = await t.database.db.selectFrom('bank_feedback').select('url_enc').where('hash_id', '=', hashId).orderBy('id').executeTakeFirstOrThrow();
      expect(t.sealer.open<string>(new Uint8Array(stored.url_enc as Uint8Array))).toBe('https://platform.example/u/123');
    });

    it('a false positive suspends the hash: out of the feed until an analyst restores or rejects it', async () => {
      const c = await newCase([image()]);
      const hashId = await pdqOf(c.id);
      const { cursor } = await readAll(allKey);
      const res = await postAs(allKey, '/api/v1/feedback', { hashId, outcome: 'false_positive' });
      expect(res.json()).toEqual({ recorded: true, quarantined: true });
      const events = await personTimeline(c.id);
      expect(events.filter((e) => e.kind === 'partner_feedback' || e.kind === 'hash_quarantined').every((e) => !e.visible_to_person)).toBe(true);
      const suspended = await readAll(allKey, cursor);
      expect(suspended.items).toEqual([expect.objectContaining({ id: hashId, status: 'withdrawn' })]);

      const analyst = await staff.member('analyst');
      const list = QuarantineList.parse((await staff.get('/api/staff/bank/quarantine', analyst)).json());
      expect(list.items).toContainEqual(expect.objectContaining({ hashId, caseId: c.id, reason: 'false_positive', feedback: { false_positive: 1 } }));
      const restored = await staff.post(`/api/staff/bank/hashes/${hashId}/review`, { decision: 'restore' }, staff.as(analyst));
      expect(restored.statusCode, restored.body).toBe(204);
      const back = await readAll(allKey, suspended.cursor);
      expect(back.items).toEqual([expect.objectContaining({ id: hashId, status: 'active' })]);
      // again, and this time rejected: the whole item is withdrawn for good
      await quarantine(t.database.db, hashId, 'false_positive');
      const rejected = await staff.post(`/api/staff/bank/hashes/${hashId}/review`, { decision: 'reject' }, staff.as(analyst));
      expect(rejected.statusCode).toBe(204);
      expect((await bankRows(c.id)).every((r) => r.state === 'withdrawn')).toBe(true);
      const gone = await staff.post(`/api/staff/bank/hashes/${hashId}/review`, { decision: 'restore' }, staff.as(analyst));
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.code).toBe('HASH_NOT_FOUND');
      expect((await staff.post(`/api/staff/bank/hashes/${hashId}/review`, { decision: 'maybe' }, staff.as(analyst))).statusCode).toBe(400);
      expect((await staff.get('/api/staff/bank/quarantine')).statusCode).toBe(401);
    });

    it('an abnormal count of uploads suspends the hash', async () => {
      const c = await newCase([image()]);
      const hashId = await pdqOf(c.id);
      expect((await postAs(allKey, '/api/v1/feedback', { hashId, outcome: 'blocked', count: 600 })).json().quarantined).toBe(false);
      expect((await postAs(allKey, '/api/v1/feedback', { hashId, outcome: 'blocked', count: 600 })).json().quarantined).toBe(true);
      const row = await t.database.db.selectFrom('bank_hash').select('quarantine_reason').where('id', '=', hashId).executeTakeFirstOrThrow();
      expect(row.quarantine_reason).toBe('abnormal_feedback');
    });

    it('one partner cannot suspend more than its daily allowance', async () => {
      const p = await addPartner(t.database.db, `Noisy ${hex(3)}`, { scopes: ['feedback'] }, OPERATOR);
      const c = await newCase([image()]);
      const hashId = await pdqOf(c.id);
      // its allowance already spent today (feedback on another hash)
      const other = await pdqOf((await newCase([image()])).id);
      await t.database.db
        .insertInto('bank_feedback')
        .values(Array.from({ length: PARTNER_SUSPENSIONS_PER_DAY }, () => ({ partner_id: p.partner.id, hash_id: other, outcome: 'false_positive' as const, count: 1, url_enc: null })))
        .execute();
      const res = await postAs(p.key, '/api/v1/feedback', { hashId, outcome: 'false_positive' });
      expect(res.json()).toEqual({ recorded: true, quarantined: false });
      const row = await t.database.db.selectFrom('bank_hash').select('quarantined_at').where('id', '=', hashId).executeTakeFirstOrThrow();
      expect(row.quarantined_at).toBeNull();
    });

    it('refuses unknown hashes and malformed feedback', async () => {
      const unknown = await postAs(allKey, '/api/v1/feedback', { hashId: 999_999_999, outcome: 'blocked' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.code).toBe('HASH_NOT_FOUND');
      for (const body of [
        {},
        { hashId: 1 },
        { hashId: 1, outcome: 'deleted' },
        { hashId: 1, outcome: 'blocked', count: 0 },
        { hashId: 1, outcome: 'blocked', url: 'javascript:alert(1)' },
        { hashId: 1, outcome: 'blocked', url: `https://x.example/${'a'.repeat(2050)}` },
        { hashId: 'x', outcome: 'blocked' },
      ]) {
        const res = await postAs(allKey, '/api/v1/feedback', body);
        expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      }
    });
  });
});
