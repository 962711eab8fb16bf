// `halte bank export|import` in python-threatexchange's formats: a round trip between two embedded
// databases gives the same lines; bad files import nothing; the exit codes of every command.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runHalte } from '../../test/cli.js';
import { openDatabase } from '../db/database.js';
import { CSV_HEADER, parseBankFile } from '../modules/bank/exchange-files.js';

const first = mkdtempSync(join(tmpdir(), 'halte-bank-cli-a-'));
const second = mkdtempSync(join(tmpdir(), 'halte-bank-cli-b-'));
const unmigrated = mkdtempSync(join(tmpdir(), 'halte-bank-cli-c-'));
afterAll(() => {
  for (const dir of [first, second, unmigrated]) rmSync(dir, { recursive: true, force: true });
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

  it('exports the shared hashes as a signal file, and imports it elsewhere to the same lines', async () => {
    const exported = await runHalte(first, ['bank', 'export']);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toBe([...pdqs.map((p) => `pdq ${p}`), `video_md5 ${videoMd5}`, `video_sha256 ${videoSha}`, ''].join('\n'));

    // as another tool may write it: upper-case values
    writeFileSync(join(second, 'bank.txt'), exported.stdout.replace(/\b[0-9a-f]{32,64}\b/g, (h) => h.toUpperCase()));
    const imported = await runHalte(second, ['bank', 'import', 'bank.txt']);
    expect([imported.code, imported.stdout, imported.stderr]).toEqual([0, '4 hashes added to the bank, 0 already there or repeated.\n', '']);
    expect((await runHalte(second, ['bank', 'export'])).stdout).toBe(exported.stdout);
    // a second import adds nothing
    expect((await runHalte(second, ['bank', 'import', 'bank.txt'])).stdout).toBe('0 hashes added to the bank, 4 already there or repeated.\n');
    const rows = await withDb(second, (db) => db.selectFrom('bank_hash').select(['provenance', 'item_id', 'state', 'published']).execute());
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.provenance === 'analyst_verified' && r.item_id === null && r.state === 'active' && r.published)).toBe(true);
    const audit = await withDb(second, (db) => db.selectFrom('audit_entry').select(['actor_kind', 'data']).where('action', '=', 'bank.imported').orderBy('seq').execute());
    expect(audit).toEqual([
      { actor_kind: 'operator', data: { added: 4, skipped: 0, provenance: 'analyst_verified' } },
      { actor_kind: 'operator', data: { added: 0, skipped: 4, provenance: 'analyst_verified' } },
    ]);
  });

  it('exports and imports the CSV of threatexchange dataset --csv', async () => {
    const exported = await runHalte(first, ['bank', 'export', '--format', 'csv', '--out', 'bank.csv']);
    expect([exported.code, exported.stdout, exported.stderr]).toEqual([0, '', '4 hashes written to bank.csv\n']);
    const csv = readFileSync(join(first, 'bank.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe(CSV_HEADER);
    expect(csv).toContain(`\npdq,${pdqs[0]},halte,POSITIVE_CLASS,\n`);
    expect(parseBankFile(csv).entries).toHaveLength(4);
    const exists = await runHalte(first, ['bank', 'export', '--out', 'bank.csv']);
    expect([exists.code, exists.stderr]).toEqual([1, 'halte bank export: cannot create bank.csv (EEXIST)\n']); // never overwrites
    expect(readFileSync(join(first, 'bank.csv'), 'utf8')).toBe(csv);
    const nowhere = await runHalte(first, ['bank', 'export', '--out', 'missing/bank.txt']);
    expect([nowhere.code, nowhere.stderr]).toEqual([1, 'halte bank export: cannot create missing/bank.txt (ENOENT)\n']);

    // a collaboration's CSV: its false positives (NEGATIVE_CLASS) are left out
    const fresh = hex(32);
    const negative = hex(32);
    writeFileSync(join(second, 'collab.csv'), `${CSV_HEADER}\r\npdq,${fresh},StopNCII,INVESTIGATION_SEED,\r\npdq,${negative},StopNCII,NEGATIVE_CLASS,\r\n${csv.split('\n')[1]}\r\n`);
    const imported = await runHalte(second, ['bank', 'import', 'collab.csv', '--provenance', 'self_submitted']);
    expect([imported.code, imported.stdout]).toEqual([0, '1 hashes added to the bank, 1 already there or repeated. 1 line(s) of category NEGATIVE_CLASS left out.\n']);
    const rows = await withDb(second, (db) => db.selectFrom('bank_hash').select(['value', 'provenance']).where('value', 'in', [fresh, negative]).execute());
    expect(rows).toEqual([{ value: fresh, provenance: 'self_submitted' }]);
  });

  it('refuses a file with a bad line and imports nothing from it', async () => {
    const good = hex(32);
    writeFileSync(join(second, 'bad.txt'), `pdq ${good}\npdq ${hex(31)}\nvideo_tmk ${hex(32)}\n# a comment\n\nvideo_md5 ${hex(16)}zz\n`);
    const run = await runHalte(second, ['bank', 'import', 'bad.txt']);
    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toBe(
      'halte bank import: 3 bad line(s), nothing imported:\nline 2: a pdq is 64 hexadecimal digits\nline 3: unknown signal type "video_tmk" (pdq, video_md5 or video_sha256)\nline 6: a video_md5 is 32 hexadecimal digits\n',
    );
    expect(await withDb(second, (db) => db.selectFrom('bank_hash').select('id').where('value', '=', good).execute())).toEqual([]);
    expect((await runHalte(second, ['bank', 'import', 'missing.txt'])).stderr).toMatch(/^halte bank import: cannot read .*missing\.txt \(ENOENT\)\n$/);
  });

  it('prints its usage on --help, and exits 2 on a command line it cannot run', async () => {
    for (const args of [['bank', '--help'], ['bank', 'export', '--help'], ['bank', 'import', '-h']]) {
      expect(await runHalte(second, args), args.join(' ')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: halte bank export \[--format txt\|csv\] \[--out FILE\]\n/) });
    }
    for (const args of [
      ['bank'],
      ['bank', 'frob'],
      ['bank', 'export', 'bank.txt'],
      ['bank', 'export', '--format', 'json'],
      ['bank', 'export', '--frob'],
      ['bank', 'import'],
      ['bank', 'import', 'a', 'b'],
      ['bank', 'import', 'bad.txt', '--provenance', 'trusted'],
    ]) {
      const run = await runHalte(second, args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toContain('Usage: halte bank');
    }
  });

  it('exits 78 on a bad setting, 1 on a database not migrated', async () => {
    const config = await runHalte(first, ['bank', 'export'], { HALTE_PUBLIC_URL: 'halte.example' });
    expect([config.code, config.stdout]).toEqual([78, '']);
    expect(config.stderr).toMatch(/^halte bank: invalid configuration:\n.*HALTE_PUBLIC_URL/);
    const early = await runHalte(unmigrated, ['bank', 'export']);
    expect([early.code, early.stderr]).toEqual([1, 'halte bank: the database schema is not up to date: run "halte migrate" first\n']);
    expect(existsSync(join(unmigrated, 'bank.txt'))).toBe(false);
  });
});
