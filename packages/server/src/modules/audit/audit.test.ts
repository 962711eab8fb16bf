import { createHash } from 'node:crypto';

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BACKENDS, createTestDatabase } from '../../../test/database.js';
import type { HalteDatabase } from '../../db/database.js';
import type { Database } from '../../db/schema/index.js';
import { appendAudit, auditPage, canonicalJson, entryHash, OPERATOR, storedEntryHash, verifyAuditChain } from './log.js';

describe('the audit entry hash', () => {
  it('is SHA-256 of a fixed, versioned form of every field (a change of format is a change of this vector)', () => {
    const content = {
      seq: 1,
      at: new Date('2026-11-27T10:00:00.123Z'),
      actorKind: 'staff' as const,
      actorId: 3,
      action: 'staff.login',
      targetKind: 'staff',
      targetId: '3',
      data: { b: 1, a: ['x', true, null] },
      prevHash: new Uint8Array(32),
    };
    // the documented form (decision 0015), written out by hand
    const written = `["halte-audit-1",1,"2026-11-27T10:00:00.123Z","staff",3,"staff.login","staff","3",{"a":["x",true,null],"b":1},"${'0'.repeat(64)}"]`;
    expect(createHash('sha256').update(written).digest('hex')).toBe('dc1cb49d5a73dc81ed3019329f1f2a71e99965b7366244233ceb0f14ba3262d2');
    expect(entryHash(content).toString('hex')).toBe('dc1cb49d5a73dc81ed3019329f1f2a71e99965b7366244233ceb0f14ba3262d2');
    // every field counts
    const base = entryHash(content).toString('hex');
    for (const change of [{ seq: 2 }, { at: new Date('2026-11-27T10:00:00.124Z') }, { actorKind: 'operator' as const }, { actorId: 4 }, { action: 'staff.logout' }, { targetKind: null }, { targetId: '4' }, { data: { b: 2, a: ['x', true, null] } }, { prevHash: new Uint8Array(32).fill(1) }]) {
      expect(entryHash({ ...content, ...change }).toString('hex'), JSON.stringify(change)).not.toBe(base);
    }
    // and key order does not (jsonb keeps its own)
    expect(entryHash({ ...content, data: { a: ['x', true, null], b: 1 } }).toString('hex')).toBe(base);
  });

  it('canonicalises JSON with sorted keys at every depth', () => {
    expect(canonicalJson({ b: { d: 1, c: [2, { f: 1, e: 0 }] }, a: 'é' })).toBe('{"a":"é","b":{"c":[2,{"e":0,"f":1}],"d":1}}');
  });
});

describe.each(BACKENDS)('the audit log on %s', (backend) => {
  let database: HalteDatabase;
  let db: Kysely<Database>;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    db = database.db;
  });
  afterAll(() => database.close());

  /** Changes stored rows as only someone bypassing the append-only trigger can. */
  async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
    await db.transaction().execute(async (trx) => {
      await sql`alter table audit_entry disable trigger audit_entry_no_update`.execute(trx);
      await statement.execute(trx);
      await sql`alter table audit_entry enable trigger audit_entry_no_update`.execute(trx);
    });
  }

  it('is empty and intact at first', async () => {
    expect(await verifyAuditChain(db)).toEqual({ intact: true, entries: 0, head: null });
  });

  it('chains concurrent appends without gaps or forks, and is intact', async () => {
    // long transactions that append, then linger before committing: the window a fork would need
    const lingering = Array.from({ length: 10 }, (_, i) =>
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: { kind: 'staff', id: i }, action: 'test.lingering', data: { i } });
        await sql`select pg_sleep(0.01)`.execute(trx);
      }),
    );
    const quick = Array.from({ length: 40 }, (_, i) => appendAudit(db, { actor: OPERATOR, action: 'test.quick', target: { kind: 'case', id: i }, data: { i, tags: ['a', 'b'] } }));
    const results = await Promise.all([...lingering, ...quick]);
    expect(results).toHaveLength(50);
    const rows = await db.selectFrom('audit_entry').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(Buffer.from(rows[i]?.prev_hash as Uint8Array).equals(Buffer.from(rows[i - 1]?.hash as Uint8Array))).toBe(true);
    const verdict = await verifyAuditChain(db);
    expect(verdict).toMatchObject({ intact: true, entries: 50, head: { seq: 50 } });
  });

  it('rolls an entry back with the transaction it was written in', async () => {
    const before = await verifyAuditChain(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor: OPERATOR, action: 'test.rolled_back' });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await verifyAuditChain(db)).toEqual(before);
  });

  it('refuses updates, deletes and truncation', async () => {
    await expect(sql`update audit_entry set action = 'x.y' where seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_entry where seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_entry`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('pages newest first', async () => {
    const first = await auditPage(db, { limit: 3 });
    expect(first.entries.map((e) => e.seq)).toEqual([50, 49, 48]);
    expect(first.nextBefore).toBe(48);
    const next = await auditPage(db, { before: first.nextBefore ?? undefined, limit: 3 });
    expect(next.entries.map((e) => e.seq)).toEqual([47, 46, 45]);
    const last = await auditPage(db, { before: 3, limit: 5 });
    expect(last.entries.map((e) => e.seq)).toEqual([2, 1]);
    expect(last.nextBefore).toBeNull();
    expect(first.entries[0]).toMatchObject({ actor: { kind: 'operator', id: null }, action: 'test.quick', target: { kind: 'case' } });
    expect(first.entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names an altered entry', async () => {
    await tamper(sql`update audit_entry set data = '{"i": 999}' where seq = 20`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, seq: 20, problem: 'altered', checked: 19 });
  });

  it('names the entry after one altered and re-hashed', async () => {
    const row = await db.selectFrom('audit_entry').selectAll().where('seq', '=', 20).executeTakeFirstOrThrow();
    const rehashed = storedEntryHash(row);
    await tamper(sql`update audit_entry set hash = ${rehashed} where seq = 20`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, seq: 21, problem: 'unlinked', checked: 20 });
  });

  it('names a missing entry', async () => {
    await tamper(sql`delete from audit_entry where seq between 10 and 11`);
    const verdict = await verifyAuditChain(db);
    expect(verdict).toMatchObject({ intact: false, seq: 10, problem: 'missing', checked: 9 });
    expect(verdict.intact ? '' : verdict.detail).toMatch(/entries 10 to 11 are missing/);
  });

  it('refuses an action name it would not be able to search by', async () => {
    await expect(appendAudit(db, { actor: OPERATOR, action: 'Login OK' })).rejects.toThrow(/area\.verb/);
  });
});
