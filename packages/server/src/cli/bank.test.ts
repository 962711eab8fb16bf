// `halte bank export|import` in python-threatexchange's formats: a round trip between two embedded
// databases gives the same lines; bad files import nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runHalte } from '../../test/cli.js';
import { openDatabase } from '../db/database.js';
import { CSV_HEADER, parseBankFile } from '../modules/bank/exchange-files.js';

const first = mkdtempSync(join(tmpdir(), 'halte-bank-cli-a-'));
const second = mkdtempSync(join(tmpdir(), 'halte-bank-cli-b-'));
afterAll(() => {
  rmSync(first, { recursive: true, force: true });
  rmSync(second, { recursive: true, force: true });
});
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function withDb<T>(dir: string, work: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'pglite', dataDir: dir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}

describe('halte bank', () => {
  const pdqs = [hex(32), hex(32)];
  const videoMd5 = hex(16);
  const videoSha = hex(32);

  beforeAll(async () => {
    expect((await runHalte(first, ['migrate'])).code).toBe(0);
    expect((await runHalte(second, ['migrate'])).code).toBe(0);
    await withDb(first, async (db) => {
      const rows = [
        ...pdqs.map((value) => ({ signal_type: 'pdq' as const, value, provenance: 'analyst_verified' as const, state: 'active' as const, published: true })),
        { signal_type: 'md5' as const, value: videoMd5, video_id: 7, provenance: 'self_submitted' as const, state: 'active' as const, published: true },
        { signal_type: 'sha256' as const, value: videoSha, video_id: 7, provenance: 'self_submitted' as const, state: 'active' as const, published: true },
        // not exported: an image's MD5 (no python-threatexchange type), a tombstone, a suspended hash, an unshared one
        { signal_type: 'md5' as const, value: hex(16), provenance: 'self_submitted' as const, state: 'active' as const, published: true },
        { signal_type: 'pdq' as const, value: hex(32), provenance: 'self_submitted' as const, state: 'withdrawn' as const, published: true },
        { signal_type: 'pdq' as const, value: hex(32), provenance: 'self_submitted' as const, state: 'active' as const, published: true, quarantined_at: new Date(), quarantine_reason: 'false_positive' as const },
        { signal_type: 'pdq' as const, value: hex(32), provenance: 'self_submitted' as const, state: 'withdrawn' as const, published: false },
      ];
      await db.insertInto('bank_hash').values(rows).execute();
    });
  });

  it('exports the shared hashes as signal files, and imports them elsewhere to the same lines', async () => {
    const exported = await runHalte(first, ['bank', 'export']);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trimEnd().split('\n');
    expect(lines.sort()).toEqual([...pdqs.map((p) => `pdq ${p}`), `video_md5 ${videoMd5}`, `video_sha256 ${videoSha}`].sort());

    writeFileSync(join(second, 'bank.txt'), exported.stdout.toUpperCase().replaceAll('PDQ ', 'pdq ').replaceAll('VIDEO_MD5 ', 'video_md5 ').replaceAll('VIDEO_SHA256 ', 'video_sha256 '));
    const imported = await runHalte(second, ['bank', 'import', 'bank.txt']);
    expect([imported.code, imported.stdout]).toEqual([0, '4 hashes added to the bank, 0 already there or repeated.\n']);
    const again = await runHalte(second, ['bank', 'export']);
    expect(again.stdout.trimEnd().split('\n').sort()).toEqual(lines.sort());
    // a second import adds nothing
    expect((await runHalte(second, ['bank', 'import', 'bank.txt'])).stdout).toBe('0 hashes added to the bank, 4 already there or repeated.\n');
    const provenance = await withDb(second, (db) => db.selectFrom('bank_hash').select(['provenance', 'item_id']).execute());
    expect(provenance.every((r) => r.provenance === 'analyst_verified' && r.item_id === null)).toBe(true);
  });

  it('exports and imports the CSV of threatexchange dataset --csv', async () => {
    const exported = await runHalte(first, ['bank', 'export', '--format', 'csv', '--out', 'bank.csv']);
    expect([exported.code, exported.stderr]).toEqual([0, '4 hashes written to bank.csv\n']);
    const csv = readFileSync(join(first, 'bank.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe(CSV_HEADER);
    expect(csv).toContain(`pdq,${pdqs[0]},halte,POSITIVE_CLASS,`);
    expect(parseBankFile(csv)).toHaveLength(4);
    const exists = await runHalte(first, ['bank', 'export', '--out', 'bank.csv']);
    expect([exists.code, exists.stderr]).toEqual([1, 'halte bank export: cannot create bank.csv (EEXIST)\n']); // never overwrites
  });

  it('refuses a file with a bad line and imports nothing from it', async () => {
    writeFileSync(join(second, 'bad.txt'), `pdq ${hex(32)}\npdq ${hex(31)}\nvideo_tmk ${hex(32)}\n# a comment\n\nvideo_md5 ${hex(16)}zz\n`);
    const run = await runHalte(second, ['bank', 'import', 'bad.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'halte bank import: 3 bad line(s), nothing imported:\nline 2: a pdq is 64 hexadecimal digits\nline 3: unknown signal type "video_tmk" (pdq, video_md5 or video_sha256)\nline 6: a video_md5 is 32 hexadecimal digits\n',
    );
    expect((await runHalte(second, ['bank', 'import', 'missing.txt'])).stderr).toMatch(/^halte bank import: cannot read .*missing\.txt \(ENOENT\)\n$/);
    for (const args of [['bank'], ['bank', 'export', '--format', 'json'], ['bank', 'import'], ['bank', 'import', 'a', 'b'], ['bank', 'import', 'bad.txt', '--provenance', 'trusted'], ['bank', 'frob']]) {
      expect((await runHalte(second, args)).code, args.join(' ')).toBe(2);
    }
  });
});
