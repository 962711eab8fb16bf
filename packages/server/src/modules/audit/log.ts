// The audit log: every staff action, append-only and hash-chained (decision 0015).
//
// Entry n stores SHA-256(canonical(n)), where canonical(n) holds every field of n and the hash of
// entry n-1; sequence numbers run 1, 2, 3 … without gaps. Appends are serialised by a transaction-level
// advisory lock, so two concurrent appends cannot both extend the same head (a fork); the entry is
// written in the transaction of the action it records, so an action cannot commit without its entry.
// `verifyAuditChain` walks the chain and names the first entry that does not fit.
import { createHash } from 'node:crypto';

import type { AuditEntry, AuditPage } from '@halte/contract';
import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database } from '../../db/schema/index.js';

export type ActorKind = 'staff' | 'operator' | 'anonymous' | 'system';

export interface AuditActor {
  readonly kind: ActorKind;
  /** the staff account (kind 'staff', or the account a failed login named) */
  readonly id: number | null;
}

/** What the command line does as: the operator at the terminal (no account). */
export const OPERATOR: AuditActor = { kind: 'operator', id: null };

type Scalar = string | number | boolean | null;
/** Details of an entry: reasons, counts, roles, ids. Never a person's data, a password, a code or a token. */
export type AuditData = Readonly<Record<string, Scalar | readonly Scalar[]>>;

export interface AuditEvent {
  readonly actor: AuditActor;
  /** dotted, lower case: staff.login, staff.disabled, case.read … */
  readonly action: string;
  /** what the action was done to, by id */
  readonly target?: { readonly kind: string; readonly id: string | number } | null;
  readonly data?: AuditData;
}

/** Taken for the length of the appending transaction (PostgreSQL advisory locks: any 64-bit key). */
export const AUDIT_LOCK_KEY = 0x48_41_4c_54_41_55; // "HALTAU"
const GENESIS = new Uint8Array(32);
const ACTION = /^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/;

interface Content {
  seq: number;
  at: Date;
  actorKind: ActorKind;
  actorId: number | null;
  action: string;
  targetKind: string | null;
  targetId: string | null;
  data: unknown;
  prevHash: Uint8Array;
}

/** JSON with object keys sorted at every depth: one text per value, whatever order jsonb kept. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash an entry must have: SHA-256 of a versioned, fixed-position array of every field. */
export function entryHash(c: Content): Buffer {
  const canonical = canonicalJson([
    'halte-audit-1',
    c.seq,
    c.at.toISOString(),
    c.actorKind,
    c.actorId,
    c.action,
    c.targetKind,
    c.targetId,
    c.data,
    Buffer.from(c.prevHash).toString('hex'),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest();
}

/**
 * Appends one entry. Inside a transaction (`db.isTransaction`), the entry commits or rolls back with
 * it and the lock is held until then. Outside one (an entry of its own, e.g. a case read), entries
 * arriving while another append is being committed are appended together in the next transaction
 * (group commit: one lock and one commit for many), each caller resolved once its entry is committed.
 */
export async function appendAudit(db: Kysely<Database>, event: AuditEvent, at: Date = new Date()): Promise<{ seq: number; hash: string }> {
  if (!ACTION.test(event.action)) throw new Error(`@NOTE audit action "${event.action}" is not of the form area.verb`);
  if (db.isTransaction) return appendInTransaction(db, event, at);
  let queue = groups.get(db);
  if (queue === undefined) {
    queue = { pending: [], flushing: false };
    groups.set(db, queue);
  }
  const entry = new Promise<{ seq: number; hash: string }>((resolve, reject) => queue.pending.push({ event, at, resolve, reject }));
  if (!queue.flushing) void flush(db, queue);
  return entry;
}

interface Pending {
  readonly event: AuditEvent;
  readonly at: Date;
  readonly resolve: (appended: { seq: number; hash: string }) => void;
  readonly reject: (error: unknown) => void;
}

/** At most this many entries per group transaction (bounded lock time). */
const MAX_GROUP = 100;
const groups = new WeakMap<Kysely<Database>, { pending: Pending[]; flushing: boolean }>();

async function flush(db: Kysely<Database>, queue: { pending: Pending[]; flushing: boolean }): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.pending.length > 0) {
      const group = queue.pending.splice(0, MAX_GROUP);
      try {
        const appended = await db.transaction().execute(async (trx) => {
          // one lock and one read of the head for the whole group
          let head = await lockHead(trx);
          const out: { seq: number; hash: string }[] = [];
          for (const p of group) {
            const next = await appendAfter(trx, head, p.event, p.at);
            out.push(next.appended);
            head = next.head;
          }
          return out;
        });
        group.forEach((p, i) => p.resolve(appended[i] as { seq: number; hash: string }));
      } catch (error) {
        for (const p of group) p.reject(error);
      }
    }
  } finally {
    queue.flushing = false;
  }
}

type Head = { readonly seq: number; readonly hash: Uint8Array } | undefined;

/** Takes the appending lock (until the transaction ends) and reads the chain's head under it. */
async function lockHead(db: Kysely<Database>): Promise<Head> {
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(db);
  const head = await db.selectFrom('audit_entry').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return head ? { seq: head.seq, hash: new Uint8Array(head.hash) } : undefined;
}

async function appendInTransaction(db: Kysely<Database>, event: AuditEvent, at: Date): Promise<{ seq: number; hash: string }> {
  return (await appendAfter(db, await lockHead(db), event, at)).appended;
}

/** Writes the entry after `head` (the lock held); the new head. */
async function appendAfter(db: Kysely<Database>, head: Head, event: AuditEvent, at: Date): Promise<{ appended: { seq: number; hash: string }; head: Head }> {
  const content: Content = {
    seq: head ? head.seq + 1 : 1,
    at: new Date(at.getTime()),
    actorKind: event.actor.kind,
    actorId: event.actor.id,
    action: event.action,
    targetKind: event.target ? event.target.kind : null,
    targetId: event.target ? String(event.target.id) : null,
    // what jsonb will give back: the JSON round trip drops undefined and normalises numbers
    data: JSON.parse(JSON.stringify(event.data ?? {})) as unknown,
    prevHash: head ? head.hash : GENESIS,
  };
  const hash = entryHash(content);
  await db
    .insertInto('audit_entry')
    .values({
      seq: content.seq,
      at: content.at,
      actor_kind: content.actorKind,
      actor_id: content.actorId,
      action: content.action,
      target_kind: content.targetKind,
      target_id: content.targetId,
      data: JSON.stringify(content.data),
      prev_hash: content.prevHash,
      hash,
    })
    .execute();
  return { appended: { seq: content.seq, hash: hash.toString('hex') }, head: { seq: content.seq, hash: new Uint8Array(hash) } };
}

export type ChainVerdict =
  | { readonly intact: true; readonly entries: number; readonly head: { readonly seq: number; readonly hash: string } | null }
  | {
      readonly intact: false;
      /** the first entry that does not fit */
      readonly seq: number;
      readonly problem: 'missing' | 'altered' | 'unlinked';
      /** in words, for the operator */
      readonly detail: string;
      /** entries checked and found right before it */
      readonly checked: number;
    };

const BATCH = 1000;

/** The hash a stored row must have, from its columns. */
export function storedEntryHash(row: Selectable<Database['audit_entry']>): Buffer {
  return entryHash({
    seq: row.seq,
    at: row.at,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    targetKind: row.target_kind,
    targetId: row.target_id,
    data: row.data,
    prevHash: new Uint8Array(row.prev_hash),
  });
}

/** Walks the whole chain from entry 1; stops at the first entry that does not fit. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainVerdict> {
  let expected = 1;
  let prev: Uint8Array = GENESIS;
  for (;;) {
    const rows = await db.selectFrom('audit_entry').selectAll().where('seq', '>=', expected).orderBy('seq').limit(BATCH).execute();
    for (const row of rows) {
      if (row.seq !== expected) {
        const missing = row.seq - expected === 1 ? `entry ${expected} is missing` : `entries ${expected} to ${row.seq - 1} are missing`;
        return { intact: false, seq: expected, problem: 'missing', detail: `${missing} (deleted?)`, checked: expected - 1 };
      }
      const stored = new Uint8Array(row.hash);
      const recomputed = storedEntryHash(row);
      if (!Buffer.from(row.prev_hash).equals(Buffer.from(prev))) {
        return {
          intact: false,
          seq: row.seq,
          problem: 'unlinked',
          detail: `entry ${row.seq} does not follow entry ${row.seq - 1}: its previous-hash differs from that entry's hash (an entry altered and re-hashed, or replaced)`,
          checked: expected - 1,
        };
      }
      if (!recomputed.equals(Buffer.from(stored))) {
        return { intact: false, seq: row.seq, problem: 'altered', detail: `entry ${row.seq} was altered: its content no longer gives its hash`, checked: expected - 1 };
      }
      prev = stored;
      expected += 1;
    }
    if (rows.length < BATCH) {
      const last = expected - 1;
      return { intact: true, entries: last, head: last === 0 ? null : { seq: last, hash: Buffer.from(prev).toString('hex') } };
    }
  }
}

export const DEFAULT_AUDIT_PAGE = 50;

/** A page of the log, newest first: entries before `before` (exclusive), at most `limit`. */
export async function auditPage(db: Kysely<Database>, query: { before?: number | undefined; limit?: number | undefined }): Promise<AuditPage> {
  const limit = query.limit ?? DEFAULT_AUDIT_PAGE;
  let q = db.selectFrom('audit_entry').selectAll().orderBy('seq', 'desc').limit(limit);
  if (query.before !== undefined) q = q.where('seq', '<', query.before);
  const rows = await q.execute();
  const entries: AuditEntry[] = rows.map((r) => ({
    seq: r.seq,
    at: r.at.toISOString(),
    actor: { kind: r.actor_kind, id: r.actor_id },
    action: r.action,
    target: r.target_kind === null || r.target_id === null ? null : { kind: r.target_kind, id: r.target_id },
    data: (r.data ?? {}) as Record<string, unknown>,
    hash: Buffer.from(r.hash).toString('hex'),
  }));
  const oldest = rows.at(-1);
  return { entries, nextBefore: oldest && oldest.seq > 1 && rows.length === limit ? oldest.seq : null };
}
