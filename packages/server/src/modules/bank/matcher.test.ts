// The instance's match index on its own: the load (pages, rows changing under it, a failed read
// resumed), following the feed, ids beyond 32 bits, the answer's order and bounds, the abnormal-match
// window, stop(); and ExactIndex against a plain Map. The route and two instances: match.test.ts.
import { randomBytes } from 'node:crypto';

import type { BankFrame } from '@halte/contract';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { BACKENDS } from '../../../test/database.js';
import { createTestDatabase } from '../../../test/database.js';
import { captureLogs, sleep, waitFor } from '../../../test/jobs.js';
import type { HalteDatabase } from '../../db/database.js';
import type { Database } from '../../db/schema/index.js';
import { createRootLogger } from '../../log/logger.js';
import { FEED_START } from './cursor.js';
import { ExactIndex } from './exact-index.js';
import { readChanges } from './feed.js';
import { BankMatcher, IndexNotReadyError, MAX_MATCHES_PER_ITEM, type BankMatcherOptions } from './matcher.js';

// readChanges as it is, wrapped so that a test can fail a read or act between two pages
vi.mock('./feed.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./feed.js')>();
  return { ...actual, readChanges: vi.fn(actual.readChanges) };
});
const { readChanges: realReadChanges } = await vi.importActual<typeof import('./feed.js')>('./feed.js');

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
/** `hash` with its first `bits` bits flipped. */
function flip(hash: string, bits: number): string {
  const bytes = Buffer.from(hash, 'hex');
  for (let b = 0; b < bits; b++) bytes[b >> 3] = (bytes[b >> 3] as number) ^ (0x80 >> (b & 7));
  return bytes.toString('hex');
}
const silent = createRootLogger({ level: 'silent' });

interface Row {
  signal_type: 'pdq' | 'md5' | 'sha256' | 'vpdq';
  value?: string;
  frames?: BankFrame[];
  provenance?: 'analyst_verified' | 'self_submitted';
  state?: 'active' | 'withdrawn';
  quarantined?: boolean;
  id?: number;
}

/** Bank rows as an import writes them (no item), each in its own transaction unless `together`. */
async function bank(db: Kysely<Database>, rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  for (const r of rows) {
    const values = {
      signal_type: r.signal_type,
      value: r.value ?? null,
      frames: r.frames ? JSON.stringify(r.frames) : null,
      provenance: r.provenance ?? 'self_submitted',
      state: r.state ?? 'active',
      published: true,
      quarantined_at: r.quarantined ? new Date() : null,
      quarantine_reason: r.quarantined ? ('false_positive' as const) : null,
    };
    if (r.id !== undefined) {
      // beyond the identity's range: as a restored or foreign bank could have it
      await sql`insert into bank_hash (id, signal_type, value, provenance, state, published) overriding system value
        values (${r.id}, ${values.signal_type}, ${values.value}, ${values.provenance}, ${values.state}, true)`.execute(db);
      ids.push(r.id);
    } else {
      ids.push(Number((await db.insertInto('bank_hash').values(values).returning('id').executeTakeFirstOrThrow()).id));
    }
  }
  await settled(db);
  return ids;
}

/**
 * Waits until every bank row written so far is below the feed's horizon: a writing transaction still
 * open anywhere on the server (another test file's) holds the feed back, by design (feed.ts).
 */
async function settled(db: Kysely<Database>): Promise<void> {
  const horizon = async () =>
    (await sql<{ ok: boolean }>`select coalesce((select max(change_xid) from bank_hash) < pg_snapshot_xmin(pg_current_snapshot()), true) as ok`.execute(db)).rows[0]?.ok === true;
  await waitFor(horizon, 30_000, 'the feed to pass the rows written');
}

async function setState(db: Kysely<Database>, id: number, state: 'active' | 'withdrawn'): Promise<void> {
  await db.updateTable('bank_hash').set({ state, updated_at: new Date(), change_xid: sql<string>`pg_current_xact_id()` }).where('id', '=', id).execute();
  await settled(db);
}

async function started(db: Kysely<Database>, options: Partial<BankMatcherOptions> = {}): Promise<BankMatcher> {
  const matcher = new BankMatcher(db, { log: silent, pollMs: 20, ...options });
  matcher.start();
  await waitFor(() => matcher.ready, 20_000, 'the index to load');
  return matcher;
}

const pdqIds = (m: BankMatcher, value: string, distance = 31) => m.match([{ signalType: 'pdq', value }], distance)[0]?.matches.map((x) => x.hashId);

describe.each(BACKENDS)('BankMatcher on %s', (backend) => {
  let database: HalteDatabase;
  let db: Kysely<Database>;
  const running: BankMatcher[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    db = database.db;
  });
  afterEach(async () => {
    vi.mocked(readChanges).mockReset();
    vi.mocked(readChanges).mockImplementation(realReadChanges);
    await Promise.all(running.splice(0).map((m) => m.stop()));
  });
  afterAll(async () => {
    await database.close();
  });
  const track = (m: BankMatcher) => (running.push(m), m);

  // Each test adds its own rows; the bank they share only grows, so counts are compared before/after.
  async function sizeNow(): Promise<number> {
    const m = track(await started(db));
    return m.size;
  }

  it('loads the whole bank over many pages: every kind of active signal, not the withdrawn or suspended ones', async () => {
    const before = await sizeNow();
    const [pdq, verified, withdrawn, suspended, md5, sha256] = [hex(32), hex(32), hex(32), hex(32), hex(16), hex(32)];
    const frames = Array.from({ length: 6 }, (_, i) => ({ pdq: hex(32), quality: 90, timestamp: i }));
    const ids = await bank(db, [
      { signal_type: 'pdq', value: pdq },
      { signal_type: 'pdq', value: verified, provenance: 'analyst_verified' },
      { signal_type: 'pdq', value: withdrawn, state: 'withdrawn' },
      { signal_type: 'pdq', value: suspended, quarantined: true },
      { signal_type: 'md5', value: md5 },
      { signal_type: 'sha256', value: sha256, provenance: 'analyst_verified' },
      { signal_type: 'vpdq', frames },
    ]);
    const m = track(await started(db, { loadPageSize: 2 }));
    expect(m.size).toBe(before + 5);
    const results = m.match(
      [
        { signalType: 'pdq', value: flip(pdq, 3) },
        { signalType: 'pdq', value: verified },
        { signalType: 'pdq', value: withdrawn },
        { signalType: 'pdq', value: suspended },
        { signalType: 'md5', value: md5 },
        { signalType: 'sha256', value: sha256 },
        { signalType: 'vpdq', value: frames },
        { signalType: 'md5', value: hex(16) },
      ],
      31,
    );
    expect(results).toEqual([
      { index: 0, matches: [{ hashId: ids[0], signalType: 'pdq', provenance: 'self_submitted', distance: 3 }] },
      { index: 1, matches: [{ hashId: ids[1], signalType: 'pdq', provenance: 'analyst_verified', distance: 0 }] },
      { index: 2, matches: [] },
      { index: 3, matches: [] },
      { index: 4, matches: [{ hashId: ids[4], signalType: 'md5', provenance: 'self_submitted', distance: 0 }] },
      { index: 5, matches: [{ hashId: ids[5], signalType: 'sha256', provenance: 'analyst_verified', distance: 0 }] },
      { index: 6, matches: [{ hashId: ids[6], signalType: 'vpdq', provenance: 'self_submitted', queryPercent: 100, targetPercent: 100 }] },
      { index: 7, matches: [] },
    ]);
  });

  it('indexes each row in its latest state when it changes while the bank loads', async () => {
    const values = [hex(32), hex(32), hex(16), hex(32)];
    const ids = await bank(db, [
      { signal_type: 'pdq', value: values[0] as string },
      { signal_type: 'pdq', value: values[1] as string, state: 'withdrawn' },
      { signal_type: 'md5', value: values[2] as string },
      { signal_type: 'pdq', value: values[3] as string },
    ]);
    // after the first page: the first row is withdrawn, the second shared again, the md5 withdrawn
    // then shared again (read twice as active), and a new row arrives
    const late = hex(32);
    let lateId = 0;
    let reads = 0;
    vi.mocked(readChanges).mockImplementation(async (...args) => {
      const rows = await realReadChanges(...args);
      if (++reads === 1) {
        await setState(db, ids[0] as number, 'withdrawn');
        await setState(db, ids[1] as number, 'active');
        await setState(db, ids[2] as number, 'withdrawn');
        await setState(db, ids[2] as number, 'active');
        lateId = (await bank(db, [{ signal_type: 'pdq', value: late }]))[0] as number;
      }
      return rows;
    });
    const m = track(await started(db, { loadPageSize: 3 }));
    expect(reads).toBeGreaterThan(2);
    expect(pdqIds(m, values[0] as string, 0)).toEqual([]);
    expect(pdqIds(m, values[1] as string, 0)).toEqual([ids[1]]);
    expect(m.match([{ signalType: 'md5', value: values[2] as string }], 0)[0]?.matches.map((x) => x.hashId)).toEqual([ids[2]]);
    expect(pdqIds(m, values[3] as string, 0)).toEqual([ids[3]]);
    expect(pdqIds(m, late, 0)).toEqual([lateId]);
    // the count follows: withdrawing what is there takes one off, once
    const size = m.size;
    await setState(db, ids[1] as number, 'withdrawn');
    await setState(db, ids[0] as number, 'withdrawn'); // already out: nothing to take off
    await waitFor(() => pdqIds(m, values[1] as string, 0)?.length === 0, 20_000, 'the withdrawal');
    await sleep(60);
    expect(m.size).toBe(size - 1);
  });

  it('resumes a failed load where it stopped, without losing what it had read; logs the code only', async () => {
    const values = Array.from({ length: 7 }, () => hex(32));
    const ids = await bank(
      db,
      values.map((value) => ({ signal_type: 'pdq', value })),
    );
    const reference = await started(db);
    await reference.stop();
    const logs = captureLogs();
    const from: unknown[] = [];
    vi.mocked(readChanges).mockImplementation(async (...args) => {
      from.push(args[1]);
      if (from.length === 3) throw Object.assign(new Error('connection to 10.0.0.5 lost for report HLT-SECRET'), { code: 'ECONNRESET' });
      return realReadChanges(...args);
    });
    const m = track(await started(db, { loadPageSize: 2, pollMs: 10, log: logs.logger }));
    // the retry starts where the failed read did, not from the beginning — and nothing read before is lost
    expect(from[3]).toEqual(from[2]);
    expect(from[2]).not.toEqual(FEED_START);
    expect(m.size).toBe(reference.size);
    for (const [i, value] of values.entries()) expect(pdqIds(m, value, 0)).toEqual([ids[i]]);
    const first = await db.selectFrom('bank_hash').select(['id', 'value']).where('signal_type', '=', 'pdq').where('state', '=', 'active').where('quarantined_at', 'is', null).where('id', '<', 2 ** 32).orderBy('change_xid').orderBy('id').limit(1).executeTakeFirstOrThrow();
    expect(pdqIds(m, first.value as string, 0)).toContain(Number(first.id));
    expect(logs.text()).toContain('"code":"ECONNRESET"');
    expect(logs.text()).toContain('"phase":"load"');
    expect(logs.text()).not.toContain('HLT-SECRET');
    expect(logs.text()).toContain('match index loaded');
  });

  it('follows the feed: new hashes match within a poll, withdrawn ones stop matching, suspended ones too', async () => {
    const m = track(await started(db));
    const size = m.size;
    const [pdq, sha256] = [hex(32), hex(32)];
    const frames = Array.from({ length: 4 }, (_, i) => ({ pdq: hex(32), quality: 80, timestamp: i }));
    const [pdqId, shaId, videoId] = (await bank(db, [
      { signal_type: 'pdq', value: pdq },
      { signal_type: 'sha256', value: sha256 },
      { signal_type: 'vpdq', frames },
    ])) as [number, number, number];
    const query = () =>
      m.match(
        [
          { signalType: 'pdq', value: pdq },
          { signalType: 'sha256', value: sha256 },
          { signalType: 'vpdq', value: frames },
        ],
        31,
      );
    await waitFor(() => query().every((r) => r.matches.length === 1), 20_000, 'the new hashes');
    expect(query().map((r) => r.matches[0]?.hashId)).toEqual([pdqId, shaId, videoId]);
    expect(m.size).toBe(size + 3);
    await setState(db, pdqId, 'withdrawn');
    await setState(db, videoId, 'withdrawn');
    await db.updateTable('bank_hash').set({ quarantined_at: new Date(), quarantine_reason: 'false_positive', change_xid: sql<string>`pg_current_xact_id()` }).where('id', '=', shaId).execute();
    await waitFor(() => query().every((r) => r.matches.length === 0), 20_000, 'the withdrawals');
    expect(m.size).toBe(size);
    // restored: matchable again
    await setState(db, pdqId, 'active');
    await waitFor(() => query()[0]?.matches.length === 1, 20_000, 'the restored hash');
    expect(m.size).toBe(size + 1);
  });

  it('logs a bank id beyond 32 bits and leaves it out, indexing the rest', async () => {
    const [big, fine] = [hex(32), hex(32)];
    const logs = captureLogs();
    const [, fineId] = await bank(db, [
      { signal_type: 'pdq', value: big, id: 2 ** 32 + 7 },
      { signal_type: 'pdq', value: fine },
    ]);
    const m = track(await started(db, { log: logs.logger }));
    expect(pdqIds(m, big, 0)).toEqual([]);
    expect(pdqIds(m, fine, 0)).toEqual([fineId]);
    expect(logs.text()).toContain('"code":"HASH_ID_OUT_OF_RANGE"');
    // and while following
    const later = hex(16);
    await bank(db, [{ signal_type: 'md5', value: later, id: 2 ** 32 + 8 }]);
    await waitFor(() => logs.text().split('HASH_ID_OUT_OF_RANGE').length === 3, 20_000, 'the second warning');
    expect(m.match([{ signalType: 'md5', value: later }], 0)[0]?.matches).toEqual([]);
  });

  it('logs a failed poll by its code, retries, and catches up', async () => {
    const logs = captureLogs();
    const m = track(await started(db, { log: logs.logger, pollMs: 10 }));
    let failing = true;
    let reads = 0;
    vi.mocked(readChanges).mockImplementation(async (...args) => {
      reads++;
      if (failing) throw Object.assign(new Error('timeout for hash 0123abcd'), { code: '57014' });
      return realReadChanges(...args);
    });
    const pdq = hex(32);
    const [id] = await bank(db, [{ signal_type: 'pdq', value: pdq }]);
    await waitFor(() => reads >= 3, 20_000, 'retries');
    expect(pdqIds(m, pdq, 0)).toEqual([]);
    // one line for the first failure, not one per poll
    expect(logs.text().split('"code":"57014"').length - 1).toBe(1);
    expect(logs.text()).not.toContain('0123abcd');
    failing = false;
    await waitFor(() => pdqIds(m, pdq, 0)?.length === 1, 20_000, 'the catch-up');
    expect(pdqIds(m, pdq, 0)).toEqual([id]);
    expect(logs.text()).toContain('reads the bank’s changes again');
  });

  it('stop() waits for the read in flight and reads no more', async () => {
    const m = new BankMatcher(db, { log: silent, pollMs: 5 });
    m.start();
    await waitFor(() => m.ready, 20_000, 'the index to load');
    let release: () => void = () => undefined;
    let finished = false;
    let reads = 0;
    vi.mocked(readChanges).mockImplementation(async (...args) => {
      reads++;
      await new Promise<void>((resolve) => (release = resolve));
      const rows = await realReadChanges(...args);
      finished = true;
      return rows;
    });
    await waitFor(() => reads === 1, 20_000, 'a poll');
    let stopped = false;
    const stopping = m.stop().then(() => (stopped = true));
    await sleep(30);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    await sleep(30);
    expect(reads).toBe(1);
  });

  it('answers 503-worthy IndexNotReadyError before the load, then every item in order, at most 100 matches each, nearest first', async () => {
    const m = new BankMatcher(db, { log: silent });
    expect(() => m.match([{ signalType: 'pdq', value: hex(32) }], 31)).toThrow(IndexNotReadyError);
    const base = hex(32);
    const far = hex(32);
    const md5 = hex(16);
    const ids = await bank(db, [
      ...Array.from({ length: MAX_MATCHES_PER_ITEM + 20 }, (_, i): Row => ({ signal_type: 'pdq', value: flip(base, i % 30) })),
      ...Array.from({ length: MAX_MATCHES_PER_ITEM + 5 }, (): Row => ({ signal_type: 'md5', value: md5 })),
      { signal_type: 'pdq', value: flip(far, 35) },
    ]);
    m.start();
    running.push(m);
    await waitFor(() => m.ready, 20_000, 'the index to load');
    const [near, exact] = m.match(
      [
        { signalType: 'pdq', value: base },
        { signalType: 'md5', value: md5 },
      ],
      99, // more than any partner may have: 31
    );
    expect(near?.matches).toHaveLength(MAX_MATCHES_PER_ITEM);
    const distances = near?.matches.map((x) => x.distance as number) ?? [];
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // beyond 31 nothing, whatever the partner's setting says
    expect(m.match([{ signalType: 'pdq', value: far }], 99)[0]?.matches).toEqual([]);
    expect(exact?.matches.map((x) => x.hashId)).toEqual(ids.slice(MAX_MATCHES_PER_ITEM + 20, MAX_MATCHES_PER_ITEM + 20 + MAX_MATCHES_PER_ITEM));
    // a partner held to distance 4 sees only those
    expect(m.match([{ signalType: 'pdq', value: base }], 4)[0]?.matches.every((x) => (x.distance as number) <= 4)).toBe(true);
  });

  it('reports a hash matching abnormally often over a sliding hour, once an hour; stop() waits for the report', async () => {
    const pdq = hex(32);
    const [id] = await bank(db, [{ signal_type: 'pdq', value: pdq }]);
    const hour = 3_600_000;
    let now = 1000 * hour + 59 * 60_000; // 59 minutes into an hour
    const reported: number[] = [];
    const settle: (() => void)[] = [];
    const m = track(
      await started(db, {
        now: () => now,
        abnormalMatchesPerHour: 3,
        onAbnormal: async (hashId) => {
          reported.push(hashId);
          await new Promise<void>((resolve) => settle.push(resolve));
        },
      }),
    );
    const hit = () => m.match([{ signalType: 'pdq', value: pdq }], 0);
    for (let i = 0; i < 3; i++) hit();
    now += 2 * 60_000; // 1 minute into the next hour: 3 × 59/60 of the last still count
    hit();
    expect(reported).toEqual([]);
    hit(); // 2 + ⌊3 × 0.983⌋ = 4 > 3 (a clock-hour counter would say 2)
    expect(reported).toEqual([id]);
    for (let i = 0; i < 10; i++) hit();
    expect(reported).toEqual([id]);
    now += 30 * 60_000; // within the hour of the report: not again
    hit();
    expect(reported).toEqual([id]);
    now += 31 * 60_000; // an hour later and still matching: reported again
    for (let i = 0; i < 5; i++) hit();
    expect(reported).toEqual([id, id]);
    now += 3 * hour; // old counts are forgotten
    hit();
    expect(reported).toEqual([id, id]);
    let stopped = false;
    const stopping = m.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    for (const done of settle) done();
    await stopping;
  });

  it('logs a failed report of an abnormal hash by its code', async () => {
    const pdq = hex(32);
    await bank(db, [{ signal_type: 'pdq', value: pdq }]);
    const logs = captureLogs();
    const m = track(await started(db, { log: logs.logger, abnormalMatchesPerHour: 1, onAbnormal: () => Promise.reject(Object.assign(new Error('x'), { code: '40001' })) }));
    m.match([{ signalType: 'pdq', value: pdq }], 0);
    m.match([{ signalType: 'pdq', value: pdq }], 0);
    await waitFor(() => logs.text().includes('could not suspend'), 2000, 'the log');
    expect(logs.text()).toContain('"code":"40001"');
  });
});

describe('ExactIndex', () => {
  const digest = (bytes: number) => new Uint8Array(randomBytes(bytes));

  it('finds each id under its digest, duplicates ascending, nothing for an unknown digest', () => {
    const a = digest(16);
    const b = digest(16);
    const index = new ExactIndex(16, 4);
    index.add(7, a);
    index.add(3, a);
    index.add(9, b);
    index.add(7, a); // again: nothing
    expect(index.size).toBe(3);
    expect(index.lookup(a)).toEqual([3, 7]);
    expect(index.lookup(a, 1)).toEqual([3]);
    expect(index.lookup(b)).toEqual([9]);
    expect(index.lookup(digest(16))).toEqual([]);
    expect(index.remove(7, b)).toBe(false);
    expect(index.remove(7, a)).toBe(true);
    expect(index.lookup(a)).toEqual([3]);
    expect(() => index.lookup(digest(32))).toThrow(RangeError);
  });

  it('behaves as a map through bulk loads, merges and compactions', () => {
    for (const bytes of [16, 32]) {
      const n = 3000;
      const digests = Array.from({ length: 600 }, () => digest(bytes));
      // crafted: many digests sharing their first 4 bytes
      for (let i = 0; i < 100; i++) (digests[i] as Uint8Array).set([1, 2, 3, 4]);
      const ids = new Uint32Array(n);
      const flat = new Uint8Array(n * bytes);
      const reference = new Map<number, Uint8Array>();
      for (let i = 0; i < n; i++) {
        ids[i] = i + 1;
        const d = digests[i % digests.length] as Uint8Array;
        flat.set(d, i * bytes);
        reference.set(i + 1, d);
      }
      ids[5] = 0; // an emptied entry of the load: skipped
      reference.delete(6);
      const index = ExactIndex.fromBytes(bytes, ids, flat, 16);
      let next = n + 1;
      let seed = 1;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let step = 0; step < 6000; step++) {
        const r = random();
        if (r < 0.4) {
          const d = random() < 0.5 ? (digests[Math.floor(random() * digests.length)] as Uint8Array) : digest(bytes);
          index.add(next, d);
          reference.set(next++, d);
        } else if (r < 0.8 && reference.size > 0) {
          const keys = [...reference.keys()];
          const id = keys[Math.floor(random() * keys.length)] as number;
          expect(index.remove(id, reference.get(id) as Uint8Array)).toBe(true);
          reference.delete(id);
        } else {
          const d = digests[Math.floor(random() * digests.length)] as Uint8Array;
          const expected = [...reference].filter(([, v]) => Buffer.compare(v, d) === 0).map(([k]) => k);
          expect(index.lookup(d)).toEqual(expected.sort((x, y) => x - y));
        }
      }
      expect(index.size).toBe(reference.size);
      for (const [id, d] of reference) expect(index.lookup(d)).toContain(id);
    }
  });

  it('holds a million SHA-256 digests in about 36 MB', () => {
    const n = 1_000_000;
    const ids = new Uint32Array(n).map((_, i) => i + 1);
    const index = ExactIndex.fromBytes(32, ids, new Uint8Array(randomBytes(n * 32)));
    expect(index.byteLength).toBe(n * 36);
    expect(index.size).toBe(n);
  });
});
