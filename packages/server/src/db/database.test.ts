import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { BACKENDS, createTestDatabase } from '../../test/database.js';
import { createRootLogger } from '../log/logger.js';
import { migrateToLatest, openDatabase, pendingMigrations } from './database.js';
import { acquireDataDirLock } from './lock.js';
import { MIGRATIONS } from './migrations/index.js';

describe.each(BACKENDS)('the database on %s', (backend) => {
  it('is migrated, and the same queries work (ids as numbers, arrays, jsonb, bytea)', async () => {
    const { db, close } = await createTestDatabase(backend);
    try {
      expect(await pendingMigrations(db)).toEqual([]);
      expect((await migrateToLatest(db)).applied).toEqual([]);
      const created = await db
        .insertInto('case')
        .values({
          reference: 'HLT-TEST-0000-0001',
          pin_hash: new Uint8Array([1, 2, 3]),
          status: 'new',
          situations: ['sextortion', 'grooming'],
          age_group: 'minor',
          made_when_minor: true,
          country: 'FR',
          postal_code: null,
          immediate_danger: false,
          summary_enc: null,
          contact_enc: null,
          consent_share_with_partners: true,
          consent_contact_me: false,
          withdrawn_at: null,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      expect(typeof created.id).toBe('number');
      expect(created.created_at).toBeInstanceOf(Date);
      await db.insertInto('event').values({ case_id: created.id, kind: 'report_received', visible_to_person: true, actor: 'person', data: JSON.stringify({ items: 3 }) }).execute();
      const row = await db.selectFrom('case').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.situations).toEqual(['sextortion', 'grooming']);
      expect(Array.from(row.pin_hash)).toEqual([1, 2, 3]);
      const event = await db.selectFrom('event').select(['data', 'case_id']).executeTakeFirstOrThrow();
      expect(event).toEqual({ data: { items: 3 }, case_id: created.id });
    } finally {
      await close();
    }
  });

  it('enforces the schema’s checks', async () => {
    const { db, close } = await createTestDatabase(backend);
    try {
      await expect(
        sql`insert into "case" (reference, pin_hash, situations, age_group, made_when_minor, country, immediate_danger, consent_share_with_partners, consent_contact_me)
            values ('HLT-X', '\\x00', '{}', 'child', false, 'FR', false, false, false)`.execute(db),
      ).rejects.toThrow(/check constraint/);
    } finally {
      await close();
    }
  });

  it('rolls back a failed transaction whole', async () => {
    const { db, close } = await createTestDatabase(backend);
    try {
      await expect(
        db.transaction().execute(async (trx) => {
          await trx.insertInto('idempotency_key').values({ scope: 's', key: 'k', request_hash: new Uint8Array(1), status_code: 201, response_enc: new Uint8Array(1) }).execute();
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.selectFrom('idempotency_key').selectAll().execute()).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the embedded database on disk', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('persists across openings, and refuses a second process while one holds it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'halte-data-'));
    dirs.push(dataDir);
    const first = await openDatabase({ kind: 'pglite', dataDir }, 'serve');
    await migrateToLatest(first.db);
    expect(() => acquireDataDirLock(dataDir, 'migrate')).toThrow(/in use by "halte serve"/);
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir }, 'migrate');
    expect(await pendingMigrations(second.db)).toEqual([]);
    expect(Object.keys(MIGRATIONS).length).toBeGreaterThan(0);
    await second.close();
  });

  it('takes over a lock left by a process that died', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'halte-data-'));
    dirs.push(dataDir);
    writeFileSync(join(dataDir, 'halte.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, command: 'serve', since: 'then' }));
    const lock = acquireDataDirLock(dataDir, 'migrate');
    lock.release();
  });
});

describe.runIf(process.env['HALTE_TEST_DATABASE_URL'])('a PostgreSQL server that drops idle connections', () => {
  it('costs a logged warning and a new connection, never the process', async () => {
    const url = process.env['HALTE_TEST_DATABASE_URL'] as string;
    const lines: string[] = [];
    const logger = createRootLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } });
    const opened = await openDatabase({ kind: 'postgres', url }, 'serve', logger);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const pid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(opened.db)).rows[0]?.pid;
      const idle = await pid(); // the connection now waits, idle, in the pool
      await admin.query('select pg_terminate_backend($1)', [idle]);
      await expect.poll(() => lines.length).toBeGreaterThan(0);
      expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 40, msg: 'an idle database connection failed and was dropped', err: { code: '57P01' } });
      const next = await pid();
      expect(next).toBeGreaterThan(0);
      expect(next).not.toBe(idle);
    } finally {
      await admin.end();
      await opened.close();
    }
  });
});
