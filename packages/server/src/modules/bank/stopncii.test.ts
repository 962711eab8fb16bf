// The StopNCII-compatible face replayed as python-threatexchange's StopNCII client speaks it
// (threatexchange/exchanges/clients/stopncii/api.py): its query strings, both headers, its bodies —
// including the enum names Python's str() gives — and answers it can parse (dacite: every field
// present with its type, enums within the client's lists). Then what HMA does with them: it keeps
// the last page's nextSetTimestamp, refuses one that goes back, and stops a fetch after 4 minutes.
import { randomBytes } from 'node:crypto';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS, feedSettled } from '../../../test/database.js';
import { sleep } from '../../../test/jobs.js';
import { OPERATOR } from '../audit/log.js';
import { withdraw } from '../followup/service.js';
import { signCursor } from './cursor.js';
import { addPartner } from './partners.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
// the client's enums (StopNCIISignalType, StopNCIICaseStatus)
const SIGNAL_TYPES = ['Unknown', 'ImagePDQ', 'VideoMD5', 'VideoTMK', 'Text', 'URL'];
const CASE_STATUSES = ['Unknown', 'Received', 'Active', 'Withdrawn', 'Deleted'];

interface HashRecord {
  lastModtimestamp: number;
  signalType: string;
  hashValue: string;
  hashStatus: string;
  caseNumbers: Record<string, string>;
  CSPFeedbacks: unknown[];
}
interface FetchHashesResponse {
  count: number;
  nextPageToken: string;
  nextSetTimestamp: number;
  hasMoreRecords: boolean;
  hashRecords: HashRecord[];
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

/** What the client's dacite.from_dict(FetchHashesResponse / StopNCIIHashRecord) requires. */
function asClientParses(body: unknown): FetchHashesResponse {
  const r = body as FetchHashesResponse;
  expect(isInt(r.count)).toBe(true);
  expect(typeof r.nextPageToken).toBe('string');
  expect(isInt(r.nextSetTimestamp)).toBe(true);
  expect(typeof r.hasMoreRecords).toBe('boolean');
  expect(Array.isArray(r.hashRecords)).toBe(true);
  expect(r.count).toBe(r.hashRecords.length);
  for (const rec of r.hashRecords) {
    expect(isInt(rec.lastModtimestamp)).toBe(true);
    expect(SIGNAL_TYPES).toContain(rec.signalType);
    expect(typeof rec.hashValue).toBe('string');
    expect(CASE_STATUSES).toContain(rec.hashStatus);
    expect(typeof rec.caseNumbers).toBe('object');
    for (const status of Object.values(rec.caseNumbers)) expect(CASE_STATUSES).toContain(status);
    expect(Array.isArray(rec.CSPFeedbacks)).toBe(true);
  }
  return r;
}

describe.each(BACKENDS)('the StopNCII face on %s', (backend) => {
  let t: TestApp;
  let key: string;
  let fetchOnly: string;

  beforeAll(async () => {
    t = await createTestApp(backend);
    key = (await addPartner(t.database.db, 'HMA platform', { scopes: ['fetch', 'feedback'], rateLimitPerMinute: 1_000_000 }, OPERATOR)).key;
    fetchOnly = (await addPartner(t.database.db, 'HMA reader', { scopes: ['fetch'] }, OPERATOR)).key;
  });
  afterAll(() => t.close());

  // the client's session headers: its function key and its subscription key (here both the Halte key)
  const headers = (k = key) => ({ 'x-functions-key': k, 'Ocp-Apim-Subscription-Key': k });
  const fetchHashes = (params: Record<string, string>, h: Record<string, string> = headers()) =>
    t.app.inject({ method: 'GET', url: `/api/stopncii/v1/FetchHashes?${new URLSearchParams(params).toString()}`, headers: h });
  const post = (endpoint: string, payload: unknown, k = key) => t.app.inject({ method: 'POST', url: `/api/stopncii/v1/${endpoint}`, headers: headers(k), payload: payload as object });

  const settled = () => feedSettled(t.database.db);

  async function report(items: unknown[]): Promise<number> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: { situations: ['sextortion'], ageGroup: 'adult', madeWhenMinor: false, country: 'FR', immediateDanger: false, items, consents: { shareWithPartners: true, contactMe: false } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = await t.database.db.selectFrom('case').select('id').where('reference', '=', (res.json() as { reference: string }).reference).executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** A shared image PDQ of no case, written in a transaction of its own (as `halte bank import` does). */
  async function insertPdq(value = hex(32), at?: Date): Promise<string> {
    await t.database.db
      .insertInto('bank_hash')
      .values({ signal_type: 'pdq', value, provenance: 'analyst_verified', state: 'active', published: true, ...(at ? { updated_at: at } : {}) })
      .execute();
    return value;
  }

  /**
   * fetch_hashes_iter as HMA runs it: pages until hasMoreRecords is false, or until `stopAfter` pages
   * (HMA's time limit), checking on the way what HMA asserts: the checkpoint never goes back.
   */
  async function iterate(start: number, options: { pageSize?: number; stopAfter?: number } = {}): Promise<{ records: HashRecord[]; checkpoint: number; pages: number; complete: boolean }> {
    const records: HashRecord[] = [];
    let token = '';
    let pages = 0;
    let checkpoint = start;
    for (;;) {
      const params: Record<string, string> = { startTimestamp: String(start), pageSize: String(options.pageSize ?? 800) };
      if (token) params['nextPageToken'] = token;
      const res = await fetchHashes(params);
      expect(res.statusCode, res.body).toBe(200);
      const page = asClientParses(res.json());
      pages++;
      records.push(...page.hashRecords);
      expect(page.nextSetTimestamp, 'checkpoint time rewound?').toBeGreaterThanOrEqual(checkpoint);
      checkpoint = page.nextSetTimestamp;
      if (!page.hasMoreRecords) return { records, checkpoint, pages, complete: true };
      if (pages === options.stopAfter) return { records, checkpoint, pages, complete: false };
      expect(page.nextPageToken).not.toBe('');
      token = page.nextPageToken;
    }
  }
  const valuesOf = (records: HashRecord[]) => records.map((r) => r.hashValue);

  it('pages through every image PDQ and video MD5 exactly once, from the client’s default start', async () => {
    const pdqs = [hex(32), hex(32), hex(32)];
    const videoMd5 = hex(16);
    await report([
      ...pdqs.map((pdq) => ({ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) })),
      { kind: 'video', md5: videoMd5, sha256: hex(32), vpdq: [{ frame: 0, timestamp: 0, pdq: hex(32), quality: 90 }] },
    ]);
    const imported: string[] = [];
    for (let i = 0; i < 7; i++) imported.push(await insertPdq());
    await settled();
    const { records, pages } = await iterate(10, { pageSize: 2 });
    expect(pages).toBeGreaterThan(4);
    const values = valuesOf(records);
    expect(new Set(values).size).toBe(values.length);
    expect(values.sort()).toEqual([...pdqs, ...imported, videoMd5].sort());
    for (const pdq of pdqs) expect(records).toContainEqual(expect.objectContaining({ signalType: 'ImagePDQ', hashValue: pdq, hashStatus: 'Active' }));
    expect(records).toContainEqual(expect.objectContaining({ signalType: 'VideoMD5', hashValue: videoMd5, hashStatus: 'Active' }));
    // the case numbers are bank ids, nothing of the person's reference
    for (const r of records) expect(Object.keys(r.caseNumbers)).toEqual([expect.stringMatching(/^[0-9]+$/)]);
    expect(JSON.stringify(records)).not.toContain('HLT-');
  });

  it('a restart from the checkpoint brings what changed since, withdrawals included, and nothing else', async () => {
    const pdq = hex(32);
    const caseId = await report([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) }]);
    await settled();
    await sleep(2100); // the checkpoint is in whole seconds, one before: older changes do not come again
    const first = await iterate(10);
    expect(first.records).toContainEqual(expect.objectContaining({ hashValue: pdq, hashStatus: 'Active' }));
    await sleep(1100); // a later second
    await withdraw({ db: t.database.db, sealer: t.sealer }, caseId);
    const fresh = hex(32);
    await report([{ kind: 'image', pdq: fresh, quality: 100, md5: hex(16), sha256: hex(32) }]);
    await settled();
    const next = await iterate(first.checkpoint);
    expect(next.records).toContainEqual(expect.objectContaining({ hashValue: pdq, hashStatus: 'Withdrawn', caseNumbers: expect.any(Object) }));
    expect(next.records).toContainEqual(expect.objectContaining({ hashValue: fresh, hashStatus: 'Active' }));
    expect(valuesOf(next.records).sort()).toEqual([pdq, fresh].sort());
  });

  it('a fetch cut short resumes from its last checkpoint: it moves forward, and nothing is skipped', async () => {
    // an old bank: one change a day, each in its own transaction
    const day = 86_400_000;
    const base = Date.UTC(2026, 0, 1);
    const old: string[] = [];
    for (let i = 0; i < 12; i++) old.push(await insertPdq(hex(32), new Date(base + i * day)));
    await settled();
    // HMA's first fetch ends after two pages (its 4 minutes), and keeps the second page's checkpoint
    const cut = await iterate(10, { pageSize: 3, stopAfter: 2 });
    expect(cut.complete).toBe(false);
    const given = new Set(valuesOf(cut.records));
    const rows = await t.database.db.selectFrom('bank_hash').select(['value', 'updated_at']).where('published', '=', true).execute();
    const pendingSeconds = rows.filter((r) => r.value !== null && !given.has(r.value)).map((r) => Math.floor(r.updated_at.getTime() / 1000));
    expect(cut.checkpoint).toBeGreaterThan(10); // progress: the next fetch does not start over
    expect(cut.checkpoint).toBeLessThanOrEqual(Math.min(...pendingSeconds)); // and skips nothing
    const rest = await iterate(cut.checkpoint, { pageSize: 3 });
    const all = new Set([...given, ...valuesOf(rest.records)]);
    for (const value of old) expect(all.has(value), value).toBe(true);
    // the last checkpoint is close to now: a later fetch brings only what changes
    expect(rest.checkpoint).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it.runIf(backend === 'postgres')('the checkpoint never passes a change still being written', async () => {
    const steps = { began: deferred(), release: deferred() };
    const late = hex(32);
    const writer = t.database.db.transaction().execute(async (trx) => {
      await sql`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${late}, 'analyst_verified', 'active', true)`.execute(trx);
      steps.began.resolve();
      await steps.release.promise;
    });
    await steps.began.promise;
    await sleep(1100);
    const during = await iterate(10);
    expect(valuesOf(during.records)).not.toContain(late);
    steps.release.resolve();
    await writer;
    await settled();
    const after = await iterate(during.checkpoint);
    expect(valuesOf(after.records)).toContain(late);
  });

  it.runIf(backend === 'postgres')('nor a change by a transaction that began long before it wrote', async () => {
    // A transaction stamps its rows with its start time, but takes its id when it first writes. Here it
    // begins, waits, then writes while a younger transaction (id only, no bank rows) holds the feed back.
    const steps = { writerBegan: deferred(), holderBegan: deferred(), written: deferred(), release: deferred() };
    const late = hex(32);
    const writer = t.database.db.transaction().execute(async (trx) => {
      await sql`select now()`.execute(trx);
      steps.writerBegan.resolve();
      await steps.holderBegan.promise;
      await sql`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${late}, 'analyst_verified', 'active', true)`.execute(trx);
    });
    await steps.writerBegan.promise;
    await sleep(2200);
    const holder = t.database.db.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
      steps.holderBegan.resolve();
      await steps.release.promise;
    });
    await writer; // committed, but beyond the feed's horizon while the holder runs
    await sleep(1100);
    const during = await iterate(10);
    expect(valuesOf(during.records)).not.toContain(late);
    steps.release.resolve();
    await holder;
    const later = await insertPdq(); // a newer change, so that the restart has something after it
    await settled();
    const after = await iterate(during.checkpoint);
    expect(valuesOf(after.records)).toEqual(expect.arrayContaining([late, later]));
  });

  it.runIf(backend === 'postgres')('nor a change by a transaction open (without writing yet) during the fetch', async () => {
    const steps = { began: deferred(), write: deferred() };
    const late = hex(32);
    const writer = t.database.db.transaction().execute(async (trx) => {
      await sql`select now()`.execute(trx);
      steps.began.resolve();
      await steps.write.promise;
      await sql`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${late}, 'analyst_verified', 'active', true)`.execute(trx);
    });
    await steps.began.promise;
    await sleep(2200);
    const during = await iterate(10);
    steps.write.resolve();
    await writer;
    const later = await insertPdq();
    await settled();
    const after = await iterate(during.checkpoint);
    expect(valuesOf(after.records)).toEqual(expect.arrayContaining([late, later]));
  });

  it.runIf(backend === 'postgres')('under concurrent writers, HMA’s fetches (some cut short) skip nothing', async () => {
    const written: string[] = [];
    let writing = true;
    // each writer: begins, waits before its first write (every fourth for seconds), writes one to three rows, may wait, commits
    const writers = Array.from({ length: 12 }, async (_, w) => {
      await sleep(w * 250);
      await t.database.db.transaction().execute(async (trx) => {
        await sql`select now()`.execute(trx);
        await sleep(w % 4 === 0 ? 2500 + Math.random() * 500 : Math.random() * 800);
        const values = Array.from({ length: 1 + (w % 3) }, () => hex(32));
        for (const value of values) {
          await sql`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${value}, 'analyst_verified', 'active', true)`.execute(trx);
        }
        await sleep(Math.random() * 800);
        written.push(...values);
      });
    });
    const done = Promise.all(writers).finally(() => (writing = false));
    const seen = new Set<string>();
    let checkpoint = 10;
    let fetches = 0;
    while (writing) {
      const run = await iterate(checkpoint, { pageSize: 2, stopAfter: 1 + (fetches % 3) });
      for (const v of valuesOf(run.records)) seen.add(v);
      checkpoint = run.checkpoint;
      fetches++;
      await sleep(150);
    }
    await done;
    await settled();
    const last = await iterate(checkpoint, { pageSize: 2 });
    for (const v of valuesOf(last.records)) seen.add(v);
    expect(fetches).toBeGreaterThan(5);
    expect(written).toHaveLength(24);
    for (const value of written) expect(seen.has(value), value).toBe(true);
  });

  it('refuses a tampered or foreign page token, bad parameters, a bad key or a missing scope', async () => {
    await report([{ kind: 'image', pdq: hex(32), quality: 100, md5: hex(16), sha256: hex(32) }]);
    await settled();
    const page = asClientParses((await fetchHashes({ startTimestamp: '10', pageSize: '1' })).json());
    expect(page.hasMoreRecords).toBe(true);
    const [v, xid, id, extra, mac] = page.nextPageToken.split('.') as [string, string, string, string, string];
    const tampered = [
      [v, String(Number(xid) + 1), id, extra, mac].join('.'),
      [v, xid, id, extra.replace(/-([0-9]+)$/, (_m, ms: string) => `-${Number(ms) + 86_400_000}`), mac].join('.'),
      signCursor(t.sealer, 'feed', { xid, id: Number(id) }), // a /api/v1/hashes cursor
      'W3siY29tcG9zaXRlVG9rZW4iOnsidG9rZW4iOiIrUklEOn4xMnRWQUo4SzU2Y0NB', // StopNCII's own kind
    ];
    for (const token of tampered) {
      const res = await fetchHashes({ startTimestamp: '10', pageSize: '1', nextPageToken: token });
      expect([res.statusCode, res.json().error.code], token).toEqual([400, 'CURSOR_INVALID']);
    }
    for (const params of [{ pageSize: '0' }, { pageSize: '10001' }, { pageSize: '2.5' }, { startTimestamp: '-1' }, { startTimestamp: 'yesterday' }, { startTimestamp: '99999999999' }, { other: '1' }]) {
      const res = await fetchHashes(params);
      expect([res.statusCode, res.json().error.code], JSON.stringify(params)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await fetchHashes({}, { 'Ocp-Apim-Subscription-Key': 'nope' })).statusCode).toBe(401);
    expect((await fetchHashes({}, {})).statusCode).toBe(401);
    // either header alone is accepted
    expect((await fetchHashes({}, { 'x-functions-key': key })).statusCode).toBe(200);
    expect((await fetchHashes({}, { 'Ocp-Apim-Subscription-Key': key })).statusCode).toBe(200);
    for (const endpoint of ['SubmitFeedback', 'SubmitHashes']) {
      const scoped = await post(endpoint, { count: 1, hashFeedbacks: [{ hashValue: hex(32), feedbackValue: 'Blocked', tags: [] }] }, fetchOnly);
      expect([scoped.statusCode, scoped.json().error.code]).toEqual([403, 'PARTNER_SCOPE_MISSING']);
    }
    const bad = await post('SubmitFeedback', { count: 1, hashFeedbacks: [] }, 'hk_nope');
    expect(bad.statusCode).toBe(401);
  });

  it('SubmitFeedback as the client sends it: Blocked reaches the person, NotBlocked the analysts', async () => {
    const pdq = hex(32);
    const imageSha256 = hex(32);
    const caseId = await report([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: imageSha256 }]);
    // submit_feedbacks: {"count", "hashFeedbacks": [{"tags", "feedbackValue", "hashValue"}]}
    const res = await post('SubmitFeedback', {
      count: 6,
      hashFeedbacks: [
        { tags: ['Nude'], feedbackValue: 'Blocked', hashValue: pdq.toUpperCase() },
        { tags: [], feedbackValue: 'NotBlocked', hashValue: pdq },
        { tags: [], feedbackValue: 'PendingReview', hashValue: pdq },
        { tags: [], feedbackValue: 'Withdrawn', hashValue: pdq },
        { tags: [], feedbackValue: 'Blocked', hashValue: hex(32) },
        // a 64-digit value is an ImagePDQ here: never matched to an image's SHA-256, which this face does not serve
        { tags: [], feedbackValue: 'Blocked', hashValue: imageSha256 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 2, unknown: 2, ignored: 2 });
    const events = await t.database.db.selectFrom('event').select(['kind', 'visible_to_person']).where('case_id', '=', caseId).where('actor', '=', 'system').orderBy('id').execute();
    expect(events).toEqual([
      { kind: 'reupload_blocked', visible_to_person: true },
      { kind: 'partner_feedback', visible_to_person: false },
    ]);
    const feedback = await t.database.db.selectFrom('bank_feedback').select(['outcome', 'count']).orderBy('id').execute();
    expect(feedback).toEqual([
      { outcome: 'blocked', count: 1 },
      { outcome: 'not_blocked', count: 1 },
    ]);
    for (const body of [
      {},
      { hashFeedbacks: [] },
      { hashFeedbacks: [{ hashValue: 'xyz', feedbackValue: 'Blocked' }] },
      { hashFeedbacks: [{ hashValue: hex(20), feedbackValue: 'Blocked' }] },
      { hashFeedbacks: [{ hashValue: pdq, feedbackValue: 'Loved' }] },
      { hashFeedbacks: Array.from({ length: 1001 }, () => ({ hashValue: pdq, feedbackValue: 'Blocked' })) },
    ]) {
      const refused = await post('SubmitFeedback', body);
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('SubmitHashes as the client sends it (str() of its enums): kept for analysts, never shared', async () => {
    const pdq = hex(32);
    const md5 = hex(16);
    const now = Math.floor(Date.now() / 1000);
    // submit_hashes: {"count", "hashRecords": [{"lastModtimestamp", "signalType": str(enum), "hashValue", "CSPFeedbacks"}]}
    const res = await post('SubmitHashes', {
      count: 4,
      hashRecords: [
        { lastModtimestamp: now, signalType: 'StopNCIISignalType.ImagePDQ', hashValue: pdq, CSPFeedbacks: [{ tags: [], feedbackValue: 'Blocked' }] },
        { lastModtimestamp: now, signalType: 'StopNCIISignalType.VideoMD5', hashValue: md5.toUpperCase(), CSPFeedbacks: [{ tags: ['x'], feedbackValue: 'StopNCIICSPFeedbackValue.Blocked' }] },
        { lastModtimestamp: now, signalType: 'StopNCIISignalType.Text', hashValue: 'some text, not kept', CSPFeedbacks: [] },
        { lastModtimestamp: now, signalType: 'URL', hashValue: 'https://example.org/x', CSPFeedbacks: [{ tags: [], feedbackValue: 'Blocked' }] },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 2, unsupported: 2 });
    const kept = await t.database.db.selectFrom('partner_submission').select(['signal_type', 'value', 'feedback']).orderBy('id').execute();
    expect(kept).toEqual([
      { signal_type: 'ImagePDQ', value: pdq, feedback: 'Blocked' },
      { signal_type: 'VideoMD5', value: md5, feedback: 'Blocked' },
    ]);
    expect(await t.database.db.selectFrom('bank_hash').select('id').where('value', '=', pdq).execute()).toEqual([]);
    for (const records of [[{ signalType: 'ImagePDQ', hashValue: md5 }], [{ signalType: 'VideoMD5', hashValue: `${hex(15)}zz` }], [{ signalType: 'ImageMD5', hashValue: md5 }], []]) {
      const wrong = await post('SubmitHashes', { count: records.length, hashRecords: records });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // the message names the field and the rule, never the value
    const wrong = await post('SubmitHashes', { hashRecords: [{ signalType: 'ImagePDQ', hashValue: md5 }] });
    expect(wrong.json().error.issues).toEqual([expect.objectContaining({ path: 'hashRecords.0.hashValue', message: 'an ImagePDQ is 64 hexadecimal digits' })]);
    expect(wrong.body).not.toContain(md5);
  });
});
