import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { REFERENCE_PATTERN, normaliseReference } from './references.js';

const PDQ = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
const MD5 = '0d12d4462273b533b9197f78b9aeb0d7';
const SHA = '93aa0ba454d3805e02be04a883b839a85bee83d0cbac3d306331584c1ebec0c6';

function report(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    situations: ['sextortion'],
    ageGroup: 'minor',
    madeWhenMinor: true,
    country: 'FR',
    postalCode: '75011',
    immediateDanger: false,
    items: [
      { kind: 'image', pdq: PDQ, quality: 100, md5: MD5, sha256: SHA },
      { kind: 'image', pdq: PDQ.toUpperCase(), quality: 12, md5: MD5, sha256: SHA },
      { kind: 'video', md5: MD5, sha256: SHA, vpdq: [{ frame: 0, timestamp: 0, pdq: PDQ, quality: 90 }] },
      { kind: 'url', url: 'https://Example.COM:443/a/b?c=1#comment-3' },
    ],
    summary: 'Il me demande 300 € avant ce soir <script>alert(1)</script>',
    contact: { email: 'personne.secrete@example.org', phone: '+33 6 12 34 56 78' },
    consents: { shareWithPartners: true, contactMe: true },
    ...overrides,
  };
}

describe.each(BACKENDS)('POST /api/reports on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(() => t.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/reports', payload: body as object, headers });

  it('creates a case: an unguessable reference, a PIN shown once, warnings, orientation', async () => {
    const res = await post(report());
    expect(res.statusCode).toBe(201);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.reference).toMatch(REFERENCE_PATTERN);
    expect(body.pin).toMatch(/^\d{8}$/);
    expect(body.warnings).toEqual([{ code: 'IMAGE_TOO_UNIFORM', item: 1 }]);
    expect(body.orientation.length).toBeGreaterThan(0);
    const names = body.orientation.map((s: { id: string }) => s.id).join(' ');
    expect(names).toMatch(/3018/); // a minor in France: the 3018 line

    const row = await t.database.db.selectFrom('case').selectAll().where('reference', '=', body.reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'new', age_group: 'minor', country: 'FR', postal_code: '75011', situations: ['sextortion'] });
    expect(t.sealer.open(new Uint8Array(row.summary_enc as Uint8Array))).toBe(report()['summary']);
    expect(t.sealer.open(new Uint8Array(row.contact_enc as Uint8Array))).toEqual(report()['contact']);
    const items = await t.database.db.selectFrom('case_item').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
    expect(items.map((i) => [i.kind, i.pdq, i.low_quality, i.url, i.host])).toEqual([
      ['image', PDQ, false, null, null],
      ['image', PDQ, true, null, null], // stored lower case, flagged
      ['video', null, false, null, null],
      ['url', null, false, 'https://example.com/a/b?c=1', 'example.com'],
    ]);
    const events = await t.database.db.selectFrom('event').select(['kind', 'data', 'visible_to_person']).where('case_id', '=', row.id).execute();
    expect(events).toEqual([{ kind: 'report_received', data: { images: 2, videos: 1, urls: 1 }, visible_to_person: true }]);
  });

  it('keeps no personal data in clear: a dump of every table shows neither contact, summary nor PIN', async () => {
    const body = (await post(report())).json();
    const dump: string[] = [];
    for (const table of ['case', 'case_item', 'event', 'idempotency_key']) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(t.database.db);
      dump.push(...rows.rows.map((r) => r.row));
    }
    const text = dump.join('\n');
    expect(text).toContain(body.reference); // the dump is real
    for (const secret of ['personne.secrete', '12 34 56 78', 'Il me demande', 'alert(1)', body.pin]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers a retried request (same Idempotency-Key) with the same case, never a second one', async () => {
    const key = 'retry-0123456789abcdef';
    const answers = await Promise.all([1, 2, 3, 4].map(() => post(report({ summary: 'idem' }), { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201]);
    const references = new Set(answers.map((a) => a.json().reference));
    const pins = new Set(answers.map((a) => a.json().pin));
    expect(references.size).toBe(1);
    expect(pins.size).toBe(1);
    const count = await t.database.db.selectFrom('case').select((eb) => eb.fn.countAll<number>().as('n')).where('reference', '=', [...references][0] as string).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);

    const other = await post(report({ summary: 'another report' }), { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const badKey = await post(report(), { 'idempotency-key': 'no spaces allowed here' });
    expect(badKey.statusCode).toBe(400);
  });

  const tenThousandUrls = Array.from({ length: 10_000 }, (_, i) => ({ kind: 'url', url: `https://example.com/${i}` }));
  const bad: [string, Record<string, unknown>, string][] = [
    ['no situation', { situations: [] }, 'situations'],
    ['an unknown situation', { situations: ['sextortion', 'alien_abduction'] }, 'situations.1'],
    ['a repeated situation', { situations: ['sextortion', 'sextortion'] }, 'situations'],
    ['a wrong age group', { ageGroup: 'child' }, 'ageGroup'],
    ['a number for a boolean', { immediateDanger: 1 }, 'immediateDanger'],
    ['a bad French postal code', { postalCode: '7501' }, 'postalCode'],
    ['a bad Belgian postal code', { country: 'BE', postalCode: '75011' }, 'postalCode'],
    ['a 63-digit PDQ', { items: [{ kind: 'image', pdq: PDQ.slice(1), quality: 100, md5: MD5, sha256: SHA }] }, 'items.0.pdq'],
    ['a non-hex MD5', { items: [{ kind: 'image', pdq: PDQ, quality: 100, md5: 'z'.repeat(32), sha256: SHA }] }, 'items.0.md5'],
    ['a quality of 101', { items: [{ kind: 'image', pdq: PDQ, quality: 101, md5: MD5, sha256: SHA }] }, 'items.0.quality'],
    ['pixels smuggled in an item', { items: [{ kind: 'image', pdq: PDQ, quality: 100, md5: MD5, sha256: SHA, data: 'iVBORw0KGgo=' }] }, 'items.0'],
    ['an unknown item kind', { items: [{ kind: 'pdf', url: 'x' }] }, 'items.0.kind'],
    ['a javascript: link', { items: [{ kind: 'url', url: 'javascript:alert(1)' }] }, 'items.0.url'],
    ['a link of 5,000 characters', { items: [{ kind: 'url', url: `https://example.com/${'a'.repeat(5000)}` }] }, 'items.0.url'],
    ['10,000 links', { items: tenThousandUrls }, 'items'],
    ['a summary of 10,000 characters', { summary: 'x'.repeat(10_000) }, 'summary'],
    ['an invalid e-mail', { contact: { email: 'not-an-email' } }, 'contact.email'],
    ['an unknown field', { extra: true }, ''],
    ['consents missing', { consents: undefined }, 'consents'],
  ];
  it.each(bad)('refuses %s with 400 VALIDATION_FAILED at its path', async (_name, overrides, path) => {
    const res = await post(report(overrides));
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(res.body).not.toContain('personne.secrete'); // values are not echoed
  });

  it('refuses what is not a JSON object with a 4xx code', async () => {
    for (const payload of ['{"situations":', '[]', 'null', '"text"', '12']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(['BAD_REQUEST', 'VALIDATION_FAILED']).toContain(res.json().error.code);
    }
    const huge = await t.app.inject({ method: 'POST', url: '/api/reports', payload: `{"summary":"${'x'.repeat(9 * 1024 * 1024)}"}`, headers: { 'content-type': 'application/json' } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a report with no item, no summary and no contact', async () => {
    const res = await post(report({ items: [], summary: undefined, contact: undefined, postalCode: undefined }));
    expect(res.statusCode).toBe(201);
    const row = await t.database.db.selectFrom('case').select(['id', 'summary_enc', 'contact_enc']).where('reference', '=', res.json().reference).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ summary_enc: null, contact_enc: null });
    const events = await t.database.db.selectFrom('event').select('data').where('case_id', '=', row.id).execute();
    expect(events).toEqual([{ data: { images: 0, videos: 0, urls: 0 } }]);
  });

  it('accepts unicode in the summary as text, and HTML as plain text', async () => {
    const res = await post(report({ summary: '‮gnp.exe 👩🏽‍💻 \u0000\uFEFF <img src=x onerror=alert(1)>' }));
    expect(res.statusCode).toBe(201);
  });
});

describe('references', () => {
  it('reads what people type back as the reference', () => {
    expect(normaliseReference('hlt-0abc-defg-hjkm')).toBe('HLT-0ABC-DEFG-HJKM');
    expect(normaliseReference('HLT 0ABC DEFG HJKM')).toBe('HLT-0ABC-DEFG-HJKM');
    expect(normaliseReference('HLTOABCDEFGHJKM')).toBe('HLT-0ABC-DEFG-HJKM');
  });
});
