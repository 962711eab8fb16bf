// The StopNCII-compatible face replayed as python-threatexchange's StopNCII client speaks it
// (threatexchange/exchanges/clients/stopncii/api.py): its query strings, both headers, its bodies —
// including the enum names Python's str() gives — and answers it can parse (dacite: every field
// present with its type, enums within the client's lists).
import { randomBytes } from 'node:crypto';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { OPERATOR } from '../audit/log.js';
import { withdraw } from '../followup/service.js';
import { addPartner } from './partners.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
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

/** What the client's dacite.from_dict(FetchHashesResponse) requires. */
function asClientParses(body: unknown): FetchHashesResponse {
  const r = body as FetchHashesResponse;
  expect(typeof r.count).toBe('number');
  expect(typeof r.nextPageToken).toBe('string');
  expect(Number.isInteger(r.nextSetTimestamp)).toBe(true);
  expect(typeof r.hasMoreRecords).toBe('boolean');
  expect(r.count).toBe(r.hashRecords.length);
  for (const rec of r.hashRecords) {
    expect(Number.isInteger(rec.lastModtimestamp)).toBe(true);
    expect(SIGNAL_TYPES).toContain(rec.signalType);
    expect(typeof rec.hashValue).toBe('string');
    expect(CASE_STATUSES).toContain(rec.hashStatus);
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
    key = (await addPartner(t.database.db, 'HMA platform', { scopes: ['fetch', 'feedback'] }, OPERATOR)).key;
    fetchOnly = (await addPartner(t.database.db, 'HMA reader', { scopes: ['fetch'] }, OPERATOR)).key;
  });
  afterAll(() => t.close());

  // the client's session headers: its function key and its subscription key (here both the Halte key)
  const headers = (k = key) => ({ 'x-functions-key': k, 'Ocp-Apim-Subscription-Key': k });
  const fetchHashes = (params: Record<string, string>, h: Record<string, string> = headers()) =>
    t.app.inject({ method: 'GET', url: `/api/stopncii/v1/FetchHashes?${new URLSearchParams(params).toString()}`, headers: h });

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

  /** fetch_hashes_iter: pages until hasMoreRecords is false, as the client does. */
  async function iterate(start: number, pageSize = 800): Promise<{ records: HashRecord[]; checkpoint: number; pages: number }> {
    const records: HashRecord[] = [];
    let token = '';
    let pages = 0;
    for (;;) {
      const params: Record<string, string> = { startTimestamp: String(start), pageSize: String(pageSize) };
      if (token) params['nextPageToken'] = token;
      const res = await fetchHashes(params);
      expect(res.statusCode, res.body).toBe(200);
      const page = asClientParses(res.json());
      pages++;
      records.push(...page.hashRecords);
      if (!page.hasMoreRecords) return { records, checkpoint: page.nextSetTimestamp, pages };
      token = page.nextPageToken;
    }
  }

  it('pages through every image PDQ and video MD5 exactly once, from the client’s default start', async () => {
    const pdqs = [hex(32), hex(32), hex(32)];
    const videoMd5 = hex(16);
    await report([
      ...pdqs.map((pdq) => ({ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) })),
      { kind: 'video', md5: videoMd5, sha256: hex(32), vpdq: [{ frame: 0, timestamp: 0, pdq: hex(32), quality: 90 }] },
    ]);
    const { records, pages } = await iterate(10, 2);
    expect(pages).toBeGreaterThan(2);
    const values = records.map((r) => r.hashValue);
    expect(new Set(values).size).toBe(values.length);
    for (const pdq of pdqs) expect(records).toContainEqual(expect.objectContaining({ signalType: 'ImagePDQ', hashValue: pdq, hashStatus: 'Active' }));
    expect(records).toContainEqual(expect.objectContaining({ signalType: 'VideoMD5', hashValue: videoMd5 }));
    // image digests, SHA-256 and vPDQ have no StopNCII name: left out
    expect(records.every((r) => r.signalType === 'ImagePDQ' || r.signalType === 'VideoMD5')).toBe(true);
    // the case numbers are bank ids, nothing of the person's reference
    expect(JSON.stringify(records)).not.toContain('HLT-');
  });

  it('a restart from the checkpoint brings what changed since, withdrawals included', async () => {
    const pdq = hex(32);
    const caseId = await report([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const first = await iterate(10);
    expect(first.records).toContainEqual(expect.objectContaining({ hashValue: pdq, hashStatus: 'Active' }));
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second
    await withdraw({ db: t.database.db, sealer: t.sealer }, caseId);
    const fresh = hex(32);
    await report([{ kind: 'image', pdq: fresh, quality: 100, md5: hex(16), sha256: hex(32) }]);
    const next = await iterate(first.checkpoint);
    expect(next.records).toContainEqual(expect.objectContaining({ hashValue: pdq, hashStatus: 'Withdrawn', caseNumbers: expect.any(Object) }));
    expect(next.records).toContainEqual(expect.objectContaining({ hashValue: fresh, hashStatus: 'Active' }));
    expect(next.records.length).toBeLessThan(first.records.length + 2);
  });

  it.runIf(backend === 'postgres')('the checkpoint never passes a change still being written', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const started = new Promise<void>((resolve) => (began = resolve));
    const late = hex(32);
    const writer = t.database.db.transaction().execute(async (trx) => {
      await sql`insert into bank_hash (signal_type, value, provenance, state, published) values ('pdq', ${late}, 'analyst_verified', 'active', true)`.execute(trx);
      began();
      await gate;
    });
    await started;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const during = await iterate(10);
    expect(during.records.map((r) => r.hashValue)).not.toContain(late);
    release();
    await writer;
    const after = await iterate(during.checkpoint);
    expect(after.records.map((r) => r.hashValue)).toContain(late);
  });

  it('refuses a tampered page token, bad parameters, a bad key or a missing scope', async () => {
    await report([{ kind: 'image', pdq: hex(32), quality: 100, md5: hex(16), sha256: hex(32) }]);
    const page = asClientParses((await fetchHashes({ startTimestamp: '10', pageSize: '1' })).json());
    expect(page.hasMoreRecords).toBe(true);
    const tampered = page.nextPageToken.replace(/\.(\d+)\./, (_m, n: string) => `.${Number(n) + 1}.`);
    const res = await fetchHashes({ startTimestamp: '10', pageSize: '1', nextPageToken: tampered });
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'CURSOR_INVALID']);
    for (const params of [{ pageSize: '0' }, { pageSize: '10001' }, { startTimestamp: '-1' }, { startTimestamp: 'yesterday' }, { other: '1' }]) {
      expect((await fetchHashes(params)).statusCode, JSON.stringify(params)).toBe(400);
    }
    expect((await fetchHashes({}, { 'Ocp-Apim-Subscription-Key': 'nope' })).statusCode).toBe(401);
    expect((await fetchHashes({}, {})).statusCode).toBe(401);
    // the function key alone is accepted
    expect((await fetchHashes({}, { 'x-functions-key': key })).statusCode).toBe(200);
    const scoped = await t.app.inject({ method: 'POST', url: '/api/stopncii/v1/SubmitFeedback', headers: headers(fetchOnly), payload: { count: 1, hashFeedbacks: [{ hashValue: hex(32), feedbackValue: 'Blocked', tags: [] }] } });
    expect([scoped.statusCode, scoped.json().error.code]).toEqual([403, 'PARTNER_SCOPE_MISSING']);
  });

  it('SubmitFeedback as the client sends it: Blocked reaches the person, NotBlocked the analysts', async () => {
    const pdq = hex(32);
    const caseId = await report([{ kind: 'image', pdq, quality: 100, md5: hex(16), sha256: hex(32) }]);
    // submit_feedbacks: {"count", "hashFeedbacks": [{"tags", "feedbackValue", "hashValue"}]}
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/stopncii/v1/SubmitFeedback',
      headers: headers(),
      payload: {
        count: 3,
        hashFeedbacks: [
          { tags: ['Nude'], feedbackValue: 'Blocked', hashValue: pdq.toUpperCase() },
          { tags: [], feedbackValue: 'NotBlocked', hashValue: pdq },
          { tags: [], feedbackValue: 'PendingReview', hashValue: pdq },
          { tags: [], feedbackValue: 'Blocked', hashValue: hex(32) },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 2, unknown: 1, ignored: 1 });
    const events = await t.database.db.selectFrom('event').select(['kind', 'visible_to_person']).where('case_id', '=', caseId).where('actor', '=', 'system').orderBy('id').execute();
    expect(events).toEqual([
      { kind: 'reupload_blocked', visible_to_person: true },
      { kind: 'partner_feedback', visible_to_person: false },
    ]);
    for (const body of [{}, { hashFeedbacks: [] }, { hashFeedbacks: [{ hashValue: 'xyz', feedbackValue: 'Blocked' }] }, { hashFeedbacks: [{ hashValue: pdq, feedbackValue: 'Loved' }] }]) {
      expect((await t.app.inject({ method: 'POST', url: '/api/stopncii/v1/SubmitFeedback', headers: headers(), payload: body })).statusCode).toBe(400);
    }
  });

  it('SubmitHashes as the client sends it (str() of its enums): kept for analysts, never shared', async () => {
    const pdq = hex(32);
    const md5 = hex(16);
    const now = Math.floor(Date.now() / 1000);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/stopncii/v1/SubmitHashes',
      headers: headers(),
      payload: {
        count: 3,
        hashRecords: [
          { lastModtimestamp: now, signalType: 'StopNCIISignalType.ImagePDQ', hashValue: pdq, CSPFeedbacks: [{ tags: [], feedbackValue: 'Blocked' }] },
          { lastModtimestamp: now, signalType: 'VideoMD5', hashValue: md5.toUpperCase(), CSPFeedbacks: [{ tags: [], feedbackValue: 'StopNCIICSPFeedbackValue.Blocked' }] },
          { lastModtimestamp: now, signalType: 'StopNCIISignalType.Text', hashValue: 'abcd', CSPFeedbacks: [] },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ count: 2, unsupported: 1 });
    const kept = await t.database.db.selectFrom('partner_submission').select(['signal_type', 'value', 'feedback']).orderBy('id').execute();
    expect(kept).toEqual([
      { signal_type: 'ImagePDQ', value: pdq, feedback: 'Blocked' },
      { signal_type: 'VideoMD5', value: md5, feedback: 'Blocked' },
    ]);
    expect(await t.database.db.selectFrom('bank_hash').select('id').where('value', '=', pdq).execute()).toEqual([]);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/stopncii/v1/SubmitHashes', headers: headers(), payload: { count: 1, hashRecords: [{ signalType: 'ImagePDQ', hashValue: md5 }] } });
    expect(wrong.statusCode).toBe(400);
  });
});
