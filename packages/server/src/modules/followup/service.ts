// The person's follow-up. Logging in takes reference + PIN and gives a 30-minute session; repeated wrong
// PINs lock the case's follow-up with a growing delay. Withdrawal erases the personal data at once and
// leaves only fingerprints as tombstones, so partners can learn to delete them.
import { createHash, randomBytes } from 'node:crypto';

import { decideTransition, type FollowupView } from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { normaliseReference } from '../reports/references.js';
import { withdrawalProgress } from '../bank/service.js';
import { forgetTakedowns } from '../notices/withdrawal.js';
import { hostForUrl } from '../notices/directory.js';
import { countItems, toItemRows } from '../reports/service.js';

export const SESSION_MINUTES = 30;
/** Wrong PINs allowed before the back-off starts; then 1, 2, 4 … minutes, at most a day. */
export const FREE_ATTEMPTS = 5;
const MAX_LOCK_MINUTES = 24 * 60;

export interface FollowupDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
}

export type LoginResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; reason: 'mismatch' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number; /** this attempt set the lock */ justLocked: boolean };

const sha256 = (value: string) => createHash('sha256').update(value).digest();
// Compared when the reference does not exist, so that an unknown reference costs the same as a known one.
const DECOY_HASH = new Uint8Array(32);

export async function login(deps: FollowupDeps, rawReference: string, rawPin: string, now = new Date()): Promise<LoginResult> {
  const reference = normaliseReference(rawReference.trim());
  const pin = rawPin.trim();
  const row = await deps.db
    .selectFrom('case')
    .select(['id', 'pin_hash', 'pin_failures', 'pin_locked_until', 'status'])
    .where('reference', '=', reference)
    .executeTakeFirst();
  const candidate = deps.sealer.pinHash(reference, pin);
  const matches = Sealer.equal(candidate, row ? new Uint8Array(row.pin_hash) : DECOY_HASH);
  if (!row) return { ok: false, reason: 'mismatch' };
  if (row.pin_locked_until && row.pin_locked_until > now) {
    return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil((row.pin_locked_until.getTime() - now.getTime()) / 1000), justLocked: false };
  }
  if (!matches) {
    const failures = row.pin_failures + 1;
    const lockMinutes = failures >= FREE_ATTEMPTS ? Math.min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_MINUTES) : 0;
    await deps.db
      .updateTable('case')
      .set({ pin_failures: failures, pin_locked_until: lockMinutes > 0 ? new Date(now.getTime() + lockMinutes * 60_000) : null })
      .where('id', '=', row.id)
      .execute();
    return lockMinutes > 0 ? { ok: false, reason: 'locked', retryAfterSeconds: lockMinutes * 60, justLocked: true } : { ok: false, reason: 'mismatch' };
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_MINUTES * 60_000);
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('case').set({ pin_failures: 0, pin_locked_until: null }).where('id', '=', row.id).execute();
    await trx.insertInto('followup_session').values({ token_hash: sha256(token), case_id: row.id, expires_at: expiresAt }).execute();
    await trx.deleteFrom('followup_session').where('expires_at', '<', now).execute();
  });
  return { ok: true, token, expiresAt };
}

/** The case a session token opens, or null (unknown or expired). */
export async function sessionCase(deps: FollowupDeps, token: string, now = new Date()): Promise<number | null> {
  const row = await deps.db
    .selectFrom('followup_session')
    .select('case_id')
    .where('token_hash', '=', sha256(token))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row?.case_id ?? null;
}

export async function logout(deps: FollowupDeps, token: string): Promise<void> {
  await deps.db.deleteFrom('followup_session').where('token_hash', '=', sha256(token)).execute();
}

const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface ViewRow {
  id: number;
  reference: string;
  status: FollowupView['status'];
  created_at: string;
  situations: string[];
  items: FollowupView['items'];
  timeline: FollowupView['timeline'];
  messages: { id: number; author: 'person' | 'staff'; body: string; at: string }[];
}

/**
 * The person's view of their case — the only path from rows to what they see — in one query (the case,
 * its items, visible events and messages aggregated as JSON): a follow-up read is one round trip.
 * `by`: a session token's hash (only while the session is valid) or a case id.
 */
async function loadView(deps: FollowupDeps, by: { tokenHash: Uint8Array } | { caseId: number }): Promise<{ caseId: number; view: FollowupView } | null> {
  const where =
    'tokenHash' in by
      ? sql`c.id = (select s.case_id from followup_session s where s.token_hash = ${by.tokenHash} and s.expires_at > now())`
      : sql`c.id = ${by.caseId}`;
  const result = await sql<ViewRow>`
    select c.id, c.reference, c.status, ${iso('c.created_at')} as created_at, c.situations,
      (select coalesce(json_agg(json_build_object('id', i.id, 'kind', i.kind, 'quality', i.quality, 'lowQuality', i.low_quality,
          'url', i.url, 'withdrawn', i.withdrawn_at is not null, 'addedAt', ${iso('i.created_at')},
          'takedown', (select json_build_object('state', t.state, 'host', null, 'since', ${iso('t.state_at')}) from takedown t
            where t.item_id = i.id and t.state <> 'reported' and i.url is not null)) order by i.id), '[]'::json)
        from case_item i where i.case_id = c.id) as items,
      (select coalesce(json_agg(json_build_object('kind', e.kind, 'at', ${iso('e.created_at')}, 'data', e.data) order by e.id), '[]'::json)
        from event e where e.case_id = c.id and e.visible_to_person) as timeline,
      (select coalesce(json_agg(json_build_object('id', m.id, 'author', m.author, 'body', encode(m.body_enc, 'base64'),
          'at', ${iso('m.created_at')}) order by m.id), '[]'::json)
        from message m where m.case_id = c.id) as messages
    from "case" c where ${where}`.execute(deps.db);
  const row = result.rows[0];
  if (!row) return null;
  return {
    caseId: row.id,
    view: {
      reference: row.reference,
      status: row.status,
      createdAt: row.created_at,
      situations: row.situations,
      // the host's name, as the directory knows it, beside each link that has a takedown
      items: await Promise.all(row.items.map(async (i) => (i.takedown === null || i.url === null ? i : { ...i, takedown: { ...i.takedown, host: (await hostForUrl(deps.db, i.url))?.name ?? null } }))),
      timeline: row.timeline,
      messages: row.messages.map((m) => ({ id: m.id, author: m.author, body: deps.sealer.open<string>(new Uint8Array(Buffer.from(m.body, 'base64'))), at: m.at })),
      withdrawal: row.status === 'withdrawn' ? await withdrawalProgress(deps.db, row.id) : null,
    },
  };
}

export async function view(deps: FollowupDeps, caseId: number): Promise<FollowupView> {
  const loaded = await loadView(deps, { caseId });
  if (!loaded) throw new Error(`@NOTE case ${caseId} vanished while its session was open`);
  return loaded.view;
}

/** The view for a session token, or null when the session is unknown or expired. */
export async function viewBySession(deps: FollowupDeps, token: string): Promise<FollowupView | null> {
  return (await loadView(deps, { tokenHash: sha256(token) }))?.view ?? null;
}

/** Everything Halte holds about the case, readable (GDPR art. 15 and 20). */
export async function exportData(deps: FollowupDeps, caseId: number): Promise<Record<string, unknown>> {
  const c = await deps.db.selectFrom('case').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
  const items = await deps.db.selectFrom('case_item').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const base = await view(deps, caseId);
  return {
    exportedAt: new Date().toISOString(),
    ...base,
    ageGroup: c.age_group,
    madeWhenMinor: c.made_when_minor,
    country: c.country,
    postalCode: c.postal_code,
    immediateDanger: c.immediate_danger,
    summary: c.summary_enc ? deps.sealer.open<string>(new Uint8Array(c.summary_enc)) : null,
    contact: c.contact_enc ? deps.sealer.open<Record<string, string>>(new Uint8Array(c.contact_enc)) : null,
    consents: { shareWithPartners: c.consent_share_with_partners, contactMe: c.consent_contact_me },
    fingerprints: items
      .filter((i) => i.kind !== 'url')
      .map((i) => ({ kind: i.kind, pdq: i.pdq, quality: i.quality, md5: i.md5, sha256: i.sha256, vpdq: i.vpdq })),
  };
}

export class CaseWithdrawnError extends Error {
  override readonly name = 'CaseWithdrawnError';
}

/**
 * Runs `work` in a transaction holding the case's row, unless the case is withdrawn: a withdrawal
 * running at the same moment cannot let a message or a link in after the erasure.
 */
export async function whileOpen<T>(deps: FollowupDeps, caseId: number, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('case').select('status').where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
    if (c.status === 'withdrawn') throw new CaseWithdrawnError('this case was withdrawn');
    return work(trx);
  });
}

/** Adds items, leaving out those the case already has (a retried request adds nothing twice). */
export async function addItems(deps: FollowupDeps, caseId: number, items: Parameters<typeof toItemRows>[1]): Promise<void> {
  await whileOpen(deps, caseId, async (trx) => {
    const existing = await trx.selectFrom('case_item').select(['kind', 'url', 'sha256']).where('case_id', '=', caseId).execute();
    const seen = new Set(existing.map((e) => `${e.kind}:${e.url ?? e.sha256}`));
    const rows = toItemRows(caseId, items).filter((r) => {
      const key = `${r.kind}:${r.url ?? r.sha256}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (rows.length === 0) return;
    await trx.insertInto('case_item').values(rows).execute();
    await trx
      .insertInto('event')
      .values({ case_id: caseId, kind: 'items_added', visible_to_person: true, actor: 'person', data: JSON.stringify(countItems(rows)) })
      .execute();
  });
}

export async function addMessage(deps: FollowupDeps, caseId: number, body: string): Promise<void> {
  await whileOpen(deps, caseId, async (trx) => {
    // writing to a closed case reopens it: the message must reach the queue (contract: decideTransition)
    const { status } = await trx.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
    if (decideTransition(status, 'in_progress', 'person').allowed) {
      await trx.updateTable('case').set({ status: 'in_progress' }).where('id', '=', caseId).execute();
      await trx
        .insertInto('event')
        .values({ case_id: caseId, kind: 'status_changed', visible_to_person: false, actor: 'person', data: JSON.stringify({ from: status, to: 'in_progress' }) })
        .execute();
    }
    await trx.insertInto('message').values({ case_id: caseId, author: 'person', body_enc: deps.sealer.seal(body) }).execute();
    await trx.insertInto('event').values({ case_id: caseId, kind: 'message_from_person', visible_to_person: true, actor: 'person', data: '{}' }).execute();
    // the person now waits for an answer: the case climbs the queue (contract: urgencyAt)
    await trx
      .updateTable('case')
      .set((eb) => ({
        updated_at: new Date(),
        person_waiting_since: eb.fn.coalesce('person_waiting_since', sql<Date>`now()`),
        unanswered_messages: eb('unanswered_messages', '+', 1),
      }))
      .where('id', '=', caseId)
      .execute();
  });
}

/**
 * Withdrawal: the summary, contact details, postal code, links and messages are erased now; every
 * fingerprint becomes a tombstone; every session of the case ends. The case keeps its reference and
 * status so that a partner's acknowledgement can still be shown.
 */
export async function withdraw(deps: FollowupDeps, caseId: number, now = new Date()): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('case').select(['status', 'reference']).where('id', '=', caseId).forUpdate().executeTakeFirstOrThrow();
    if (current.status === 'withdrawn') return; // once is enough: the tombstones keep their first date
    await trx
      .updateTable('case')
      .set({ status: 'withdrawn', withdrawn_at: now, updated_at: now, summary_enc: null, contact_enc: null, postal_code: null, consent_contact_me: false, consent_share_with_partners: false })
      .where('id', '=', caseId)
      .execute();
    await trx.updateTable('case_item').set({ url: null, host: null, withdrawn_at: now }).where('case_id', '=', caseId).execute();
    await trx.deleteFrom('message').where('case_id', '=', caseId).execute();
    await forgetTakedowns(trx, caseId, now);
    // the stored answer of the report holds the PIN
    await trx.deleteFrom('idempotency_key').where('reference', '=', current.reference).execute();
    await trx.deleteFrom('followup_session').where('case_id', '=', caseId).execute();
    await trx.insertInto('event').values({ case_id: caseId, kind: 'withdrawn', visible_to_person: true, actor: 'person', data: '{}' }).execute();
  });
}
