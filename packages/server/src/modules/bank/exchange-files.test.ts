// python-threatexchange's files: the signal file and the CSV, read line by line with their line numbers,
// the bank exported a page at a time, and an export imported into a fresh database exports the same.
import { randomBytes } from 'node:crypto';

import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BACKENDS, createTestDatabase } from '../../../test/database.js';
import { waitFor } from '../../../test/jobs.js';
import type { HalteDatabase } from '../../db/database.js';
import type { Database } from '../../db/schema/index.js';
import { OPERATOR } from '../audit/log.js';
import { CSV_HEADER, exportBank, FileFormatError, importBank, parseBankFile, type FileFormat } from './exchange-files.js';
import { readChanges } from './feed.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function badLines(text: string): string {
  try {
    parseBankFile(text);
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError);
    return (error as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('reading a bank file', () => {
  const pdq = hex(32);
  const md5 = hex(16);
  const sha = hex(32);

  it('reads the signal file, upper case normalised, blank lines, comments and CRLF skipped', () => {
    const text = `\uFEFFpdq ${pdq.toUpperCase()}\r\n\r\n# vetted 2026-11-20\nvideo_md5 ${md5}\n  video_sha256   ${sha}  \n`;
    expect(parseBankFile(text)).toEqual({
      entries: [
        { signal: 'pdq', value: pdq, video: false },
        { signal: 'md5', value: md5, video: true },
        { signal: 'sha256', value: sha, video: true },
      ],
      negative: 0,
    });
  });

  it('reads `threatexchange dataset -P` lines, whose collaboration and opinions follow the signal', () => {
    expect(parseBankFile(`pdq ${pdq} 'StopNCII' INVESTIGATION_SEED +1 +Facebook\n`).entries).toEqual([{ signal: 'pdq', value: pdq, video: false }]);
  });

  it('reads the CSV of `dataset -P --csv` by its header, quotes included, and leaves NEGATIVE_CLASS out', () => {
    const text = [
      CSV_HEADER,
      `pdq,${pdq},StopNCII,POSITIVE_CLASS,Nude Objectionable`,
      `"video_md5","${md5.toUpperCase()}","a ""quoted"", collab",INVESTIGATION_SEED,`,
      `video_sha256,${sha},x,NEGATIVE_CLASS,"a,b"`,
      '',
    ].join('\r\n');
    expect(parseBankFile(text)).toEqual({
      entries: [
        { signal: 'pdq', value: pdq, video: false },
        { signal: 'md5', value: md5, video: true },
      ],
      negative: 1,
    });
    // columns found by name
    expect(parseBankFile(`signal_str,signal_type\n${pdq},pdq\n`).entries).toEqual([{ signal: 'pdq', value: pdq, video: false }]);
    expect(parseBankFile(`${CSV_HEADER}\n`).entries).toEqual([]);
  });

  it('names every bad line by its number, and returns nothing', () => {
    const text = [
      `pdq ${pdq}`,
      `pdq ${hex(31)}`,
      `pdq ${pdq.slice(0, 63)}g`,
      `video_tmk ${pdq}`,
      `${pdq}`,
      `md5 ${md5}`,
      `video_md5`,
      `PDQ ${pdq}`,
    ].join('\n');
    expect(badLines(text)).toBe(
      [
        '7 bad line(s), nothing imported:',
        'line 2: a pdq is 64 hexadecimal digits',
        'line 3: a pdq is 64 hexadecimal digits',
        'line 4: unknown signal type "video_tmk" (pdq, video_md5 or video_sha256)',
        `line 5: unknown signal type "${pdq.slice(0, 40)}…" (pdq, video_md5 or video_sha256): each line starts with its type`,
        'line 6: unknown signal type "md5" (pdq, video_md5 or video_sha256)',
        'line 7: a video_md5 is 32 hexadecimal digits',
        'line 8: unknown signal type "PDQ" (pdq, video_md5 or video_sha256)',
      ].join('\n'),
    );
    expect(badLines(`${CSV_HEADER}\npdq,${pdq},x,MAYBE,\n"pdq,${pdq}\n`)).toBe(
      '2 bad line(s), nothing imported:\nline 2: unknown category "MAYBE" (POSITIVE_CLASS, INVESTIGATION_SEED, NEGATIVE_CLASS)\nline 3: unbalanced quotes',
    );
    expect(badLines('signal_type,collab\npdq,x\n')).toMatch(/^line 1: a CSV header names its columns/);
    const many = badLines(Array.from({ length: 25 }, () => 'pdq 00').join('\n'));
    expect(many.split('\n')).toHaveLength(1 + 20 + 1);
    expect(many).toMatch(/^25 bad line\(s\).*\n[^]*\(and 5 more\)$/);
  });
});

type Row = Insertable<Database['bank_hash']>;

describe.each(BACKENDS)('bank files on %s', (backend) => {
  let a: HalteDatabase;
  let b: HalteDatabase;
  const shared = { pdq: [hex(32), hex(32), hex(32)], videoMd5: hex(16), videoSha: hex(32) };
  const base = { item_id: null, quality: null, quarantined_at: null, quarantine_reason: null, provenance: 'self_submitted', state: 'active', published: true } as const;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestDatabase(backend), createTestDatabase(backend)]);
    const rows: Row[] = [
      ...shared.pdq.map((value) => ({ ...base, signal_type: 'pdq' as const, value, video_id: null, provenance: 'analyst_verified' as const })),
      { ...base, signal_type: 'md5', value: shared.videoMd5, video_id: 7 },
      { ...base, signal_type: 'sha256', value: shared.videoSha, video_id: 7 },
      // not exported: an image's digests (no python-threatexchange type), a video's vPDQ, a withdrawn hash,
      // a suspended one, one never shared
      { ...base, signal_type: 'md5', value: hex(16), video_id: null },
      { ...base, signal_type: 'sha256', value: hex(32), video_id: null },
      { ...base, signal_type: 'vpdq', value: null, video_id: 7, frames: JSON.stringify([{ pdq: hex(32), quality: 90, timestamp: 0 }]) },
      { ...base, signal_type: 'pdq', value: hex(32), video_id: null, state: 'withdrawn' },
      { ...base, signal_type: 'pdq', value: hex(32), video_id: null, quarantined_at: new Date(), quarantine_reason: 'false_positive' },
      { ...base, signal_type: 'pdq', value: hex(32), video_id: null, state: 'withdrawn', published: false },
    ];
    await a.db.insertInto('bank_hash').values(rows).execute();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  async function exported(db: HalteDatabase, format: FileFormat, pageSize?: number): Promise<{ text: string; chunks: number; count: number }> {
    let text = '';
    let chunks = 0;
    const count = await exportBank(
      db.db,
      format,
      async (chunk) => {
        text += chunk;
        chunks++;
        await Promise.resolve();
      },
      pageSize === undefined ? {} : { pageSize },
    );
    return { text, chunks, count };
  }

  it('exports the shared, active image PDQs and video digests, a page at a time', async () => {
    const whole = await exported(a, 'txt');
    expect(whole.count).toBe(5);
    expect(whole.text.trimEnd().split('\n').sort()).toEqual([...shared.pdq.map((p) => `pdq ${p}`), `video_md5 ${shared.videoMd5}`, `video_sha256 ${shared.videoSha}`].sort());
    // pages of 2 rows (some of them left out): the same lines, written page by page
    const paged = await exported(a, 'txt', 2);
    expect(paged.text).toBe(whole.text);
    expect(paged.chunks).toBeGreaterThanOrEqual(3);
    const csv = await exported(a, 'csv', 2);
    expect(csv.text.split('\n')[0]).toBe(CSV_HEADER);
    expect(csv.text).toContain(`\npdq,${shared.pdq[0]},halte,POSITIVE_CLASS,\n`);
    expect(parseBankFile(csv.text).entries).toEqual(parseBankFile(whole.text).entries);
  });

  it('round trip: an export imported into a fresh database exports the same lines, in both formats', async () => {
    for (const format of ['txt', 'csv'] as const) {
      const first = await exported(a, format);
      // as another tool may write them: upper case
      const text = first.text.replace(/\b[0-9a-f]{32,64}\b/g, (h) => h.toUpperCase());
      const result = await importBank(b.db, parseBankFile(text).entries, 'analyst_verified', OPERATOR);
      expect(result).toEqual(format === 'txt' ? { added: 5, skipped: 0 } : { added: 0, skipped: 5 });
      expect((await exported(b, format)).text).toBe(first.text);
    }
    const rows = await b.db.selectFrom('bank_hash').select(['id', 'item_id', 'video_id', 'provenance', 'state', 'published', 'quality']).orderBy('id').execute();
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(row).toMatchObject({ item_id: null, provenance: 'analyst_verified', state: 'active', published: true, quality: null });
      // a video digest is its own video; a PDQ has none
      expect(row.video_id === null ? null : Number(row.video_id)).toBe(rows.indexOf(row) < 3 ? null : Number(row.id));
    }
    // shared: the partners' feed carries them (once every older transaction on the server has ended)
    const fed = async () => (await readChanges(b.db, { xid: '0', id: 0 }, 100)).map((r) => r.value).sort();
    await waitFor(async () => (await fed()).length === 5, 30_000, 'the feed');
    expect(await fed()).toEqual([...shared.pdq, shared.videoMd5, shared.videoSha].sort());
    const audit = await b.db.selectFrom('audit_entry').select(['actor_kind', 'action', 'data']).where('action', '=', 'bank.imported').orderBy('seq').execute();
    expect(audit).toEqual([
      { actor_kind: 'operator', action: 'bank.imported', data: { added: 5, skipped: 0, provenance: 'analyst_verified' } },
      { actor_kind: 'operator', action: 'bank.imported', data: { added: 0, skipped: 5, provenance: 'analyst_verified' } },
    ]);
  });

  it('skips what the bank has in any state (a withdrawn hash stays withdrawn) and repeats within the file', async () => {
    const withdrawn = hex(32);
    await b.db.insertInto('bank_hash').values({ ...base, signal_type: 'pdq', value: withdrawn, video_id: null, state: 'withdrawn' }).execute();
    const fresh = hex(32);
    // the same value as another type is another hash
    const asVideo = shared.pdq[0] as string;
    const text = `pdq ${withdrawn}\npdq ${fresh}\npdq ${fresh.toUpperCase()}\nvideo_sha256 ${asVideo}\n`;
    expect(await importBank(b.db, parseBankFile(text).entries, 'self_submitted', OPERATOR)).toEqual({ added: 2, skipped: 2 });
    const rows = await b.db.selectFrom('bank_hash').select(['value', 'signal_type', 'state', 'provenance']).where('value', 'in', [withdrawn, fresh, asVideo]).orderBy('id').execute();
    expect(rows).toEqual([
      { value: asVideo, signal_type: 'pdq', state: 'active', provenance: 'analyst_verified' },
      { value: withdrawn, signal_type: 'pdq', state: 'withdrawn', provenance: 'self_submitted' },
      { value: fresh, signal_type: 'pdq', state: 'active', provenance: 'self_submitted' },
      { value: asVideo, signal_type: 'sha256', state: 'active', provenance: 'self_submitted' },
    ]);
  });

  it('imports all or nothing: a failure in a later batch leaves the bank as it was', async () => {
    const before = await b.db.selectFrom('bank_hash').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const entries = Array.from({ length: 5001 }, () => ({ signal: 'pdq' as const, value: hex(32), video: false }));
    // a row the table refuses (a vPDQ has frames, not a value), in the second batch
    entries.push({ signal: 'vpdq' as never, value: hex(32), video: false });
    await expect(importBank(b.db, entries, 'analyst_verified', OPERATOR)).rejects.toThrow();
    const after = await b.db.selectFrom('bank_hash').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
