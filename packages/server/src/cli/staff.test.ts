import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase } from '../db/database.js';
import { acquireDataDirLock } from '../db/lock.js';
import { runHalte } from '../../test/cli.js';

// The commands run in-process on an embedded database in a fresh directory (one PGlite for the file);
// one test runs the built command to check it is wired as `npx halte` runs it.
const dataDir = mkdtempSync(join(tmpdir(), 'halte-staff-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const halte = (args: string[], env: Record<string, string> = {}) => runHalte(dataDir, args, env);

describe('halte staff and halte audit', () => {
  beforeAll(async () => {
    // before migrating: the commands say what to do rather than fail on a missing table
    const early = await halte(['staff', 'list']);
    expect([early.code, early.stderr]).toEqual([1, 'halte staff: the database schema is not up to date: run "halte migrate" first\n']);
    expect((await halte(['migrate'])).code).toBe(0);
  });

  it('has no account to begin with, and no default one', async () => {
    const run = await halte(['staff', 'list']);
    expect(run).toEqual({ code: 0, stdout: 'No staff accounts yet: add one with "halte staff add --email E --role admin".\n', stderr: '' });
  });

  it('adds an account and prints its one-time enrolment link under HALTE_PUBLIC_URL', async () => {
    const run = await halte(['staff', 'add', '--email', 'Admin.One@Association.example', '--role', 'admin', '--child-safety'], { HALTE_PUBLIC_URL: 'https://halte.association.example/' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Account 1 created for admin\.one@association\.example \(admin, child safety\)\.\n/);
    expect(run.stdout).toMatch(/\nhttps:\/\/halte\.association\.example\/staff\/enrol#[A-Za-z0-9_-]{43}\n$/);
    const plain = await halte(['staff', 'add', '--email', 'analyst.two@association.example', '--role', 'analyst']);
    expect(plain.stdout).toMatch(/\(analyst\)\.\n[\s\S]*\nhttp:\/\/localhost:8080\/staff\/enrol#[A-Za-z0-9_-]{43}\n$/);
    const again = await halte(['staff', 'add', '--email', 'ADMIN.ONE@association.example', '--role', 'analyst']);
    expect([again.code, again.stderr]).toEqual([1, 'halte staff add: an account with this e-mail address exists (to give it a new link: halte staff reset)\n']);

    const list = await halte(['staff', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id\s+email\s+role\s+child-safety\s+state\s+enrolled\s+last login$/);
    expect(lines[1]).toMatch(/^1\s+admin\.one@association\.example\s+admin\s+yes\s+pending\s+-\s+-$/);
    expect(lines[2]).toMatch(/^2\s+analyst\.two@association\.example\s+analyst\s+no\s+pending/);
  });

  it('disables, re-enables and resets an account by its address', async () => {
    const off = await halte(['staff', 'disable', '--email', 'analyst.two@association.example']);
    expect([off.code, off.stdout]).toEqual([0, 'Account 2 (analyst.two@association.example) is disabled; its sessions have ended.\n']);
    expect((await halte(['staff', 'list'])).stdout).toMatch(/analyst\.two@association\.example\s+analyst\s+no\s+disabled/);
    const on = await halte(['staff', 'enable', '--email', 'analyst.two@association.example']);
    expect(on.stdout).toMatch(/is enabled, but not enrolled: give it a new link with "halte staff reset"/);
    const reset = await halte(['staff', 'reset', '--email', 'analyst.two@association.example']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/password and authenticator forgotten, sessions ended\.\nNew enrolment link, valid until .*\nhttp:\/\/localhost:8080\/staff\/enrol#[A-Za-z0-9_-]{43}\n$/);
    const unknown = await halte(['staff', 'disable', '--email', 'nobody@association.example']);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'halte staff disable: no staff account has the address nobody@association.example\n']);
  });

  it.each([
    [['staff']],
    [['staff', 'promote', '--email', 'a@b.example']],
    [['staff', 'add']],
    [['staff', 'add', '--email', 'a@b.example']],
    [['staff', 'add', '--email', 'a@b.example', '--role', 'root']],
    [['staff', 'add', '--email', 'not an address', '--role', 'admin']],
    [['staff', 'add', '--email', 'a@b.example', '--role', 'admin', '--password', 'x']],
    [['staff', 'add', '--email', 'a@b.example', '--role', 'admin', 'extra']],
    [['staff', 'list', '--email', 'a@b.example']],
    [['staff', 'disable']],
    [['staff', 'reset', '--role', 'admin']],
    [['audit']],
    [['audit', 'check']],
    [['audit', 'verify', '--all']],
  ])('refuses %j with exit code 2 and the usage', async (args) => {
    const run = await halte(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^halte (staff|audit): .+\n\nUsage: halte (staff|audit) /);
    expect(run.stdout).toBe('');
  });

  it('prints its usage on --help', async () => {
    expect(await halte(['staff', '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: halte staff add --email E --role analyst\|supervisor\|admin \[--child-safety\]/) });
    expect(await halte(['staff', 'add', '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: halte staff add/) });
    expect(await halte(['audit', '--help'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: halte audit verify/) });
  });

  it('refuses a bad HALTE_PUBLIC_URL with exit code 78', async () => {
    const run = await halte(['staff', 'add', '--email', 'a@b.example', '--role', 'admin'], { HALTE_PUBLIC_URL: 'halte.example' });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/HALTE_PUBLIC_URL: must be the http\(s\):\/\/ address/);
  });

  it('waits for "halte serve" to release the embedded database, and says so', async () => {
    const lock = acquireDataDirLock(dataDir, 'serve');
    try {
      for (const args of [['staff', 'list'], ['staff', 'add', '--email', 'late@b.example', '--role', 'analyst'], ['audit', 'verify']]) {
        const run = await halte(args);
        expect(run.code, args.join(' ')).toBe(1);
        expect(run.stderr).toMatch(new RegExp(`^halte ${args[0]}: the embedded database in .* is in use by "halte serve" \\(process ${process.pid}`));
      }
    } finally {
      lock.release();
    }
  });

  it('verifies the audit log, and names the first entry someone altered', async () => {
    const intact = await halte(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^The audit log is intact: 5 entries\. Last: entry 5, hash [0-9a-f]{64}\n$/);

    const database = await openDatabase({ kind: 'pglite', dataDir }, 'test');
    try {
      // (the refused duplicate wrote nothing: its transaction rolled back)
      const actions = await database.db.selectFrom('audit_entry').select(['seq', 'action', 'actor_kind', 'target_id']).orderBy('seq').execute();
      expect(actions.map((a) => `${a.seq} ${a.action} ${a.actor_kind} ${a.target_id}`)).toEqual([
        '1 staff.created operator 1',
        '2 staff.created operator 2',
        '3 staff.disabled operator 2',
        '4 staff.enabled operator 2',
        '5 staff.reset operator 2',
      ]);
      await database.db.transaction().execute(async (trx) => {
        await sql`alter table audit_entry disable trigger audit_entry_no_update`.execute(trx);
        await sql`update audit_entry set target_id = '1' where seq = 3`.execute(trx);
        await sql`alter table audit_entry enable trigger audit_entry_no_update`.execute(trx);
      });
    } finally {
      await database.close();
    }
    const broken = await halte(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe('The audit log is BROKEN at entry 3: entry 3 was altered: its content no longer gives its hash. Entries 1 to 2 are intact.\n');
  });

  it('is what `npx halte staff` runs (the built command)', () => {
    const bin = join(fileURLToPath(new URL('../../../../', import.meta.url)), 'bin/halte.js');
    const run = spawnSync(process.execPath, [bin, 'staff', 'add', '--role', 'admin'], { encoding: 'utf8', env: { ...process.env, HALTE_DATA_DIR: dataDir } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^halte staff: --email is required\n\nUsage: halte staff add/);
    const top = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(top.stdout).toMatch(/\n {2}staff\s+add, list, disable, enable or reset staff accounts/);
    expect(top.stdout).toMatch(/\n {2}audit\s+verify the audit log’s hash chain/);
  });
});
