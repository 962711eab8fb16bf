// What partners send back, and what it does: acknowledgements of tombstones (counted for the person),
// feedback on matches (on the person's timeline; a false positive or an abnormal count suspends the
// hash), and the analysts' review of suspended hashes. Never anything about the person to a partner.
import type { FeedbackOutcome, FeedbackRequest, QuarantineList } from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import type { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { ApiRefusal } from '../../http/errors.js';
import { appendAudit } from '../audit/log.js';
import type { Actor } from '../staff/permissions.js';
import type { Partner } from './partners.js';

export interface BankDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
}

/** Feedback counting more uploads than this for one hash within a day suspends it (a hash that common is suspect). */
export const ABNORMAL_FEEDBACK_PER_DAY = 1000;
/**
 * Suspensions one partner's feedback may cause in a day. Beyond, its feedback is still recorded but
 * suspends nothing: one leaked or faulty key must not be able to empty the bank (analysts see the
 * feedback and can act).
 */
export const PARTNER_SUSPENSIONS_PER_DAY = 50;

export class BankError extends ApiRefusal {
  override readonly name = 'BankError';
}

/** Records the tombstones among `hashIds` as applied by `partner`; active or unknown ids are ignored. */
export async function acknowledge(db: Kysely<Database>, partner: Partner, hashIds: readonly number[]): Promise<{ acknowledged: number; ignored: number }> {
  const unique = [...new Set(hashIds)];
  const result = await sql<{ n: string }>`
    with acked as (
      insert into bank_ack (partner_id, hash_id)
      select ${partner.id}, b.id from bank_hash b
      where b.id = any(${unique}::bigint[]) and b.published and not (b.state = 'active' and b.quarantined_at is null)
      on conflict (hash_id, partner_id) do update set acked_at = now()
      returning 1
    )
    select count(*)::text as n from acked`.execute(db);
  const acknowledged = Number(result.rows[0]?.n ?? 0);
  return { acknowledged, ignored: hashIds.length - acknowledged };
}

/** Suspends a hash from the feed and from matching (idempotent); an event on its case for the analysts. */
export async function quarantine(db: Kysely<Database>, hashId: number, reason: NonNullable<Database['bank_hash']['quarantine_reason']>): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('bank_hash')
      .set({ quarantined_at: new Date(), quarantine_reason: reason, updated_at: new Date(), change_xid: sql<string>`pg_current_xact_id()` })
      .where('id', '=', hashId)
      .where('quarantined_at', 'is', null)
      .returning('item_id')
      .executeTakeFirst();
    if (!row) return false;
    const caseId = await caseOfItem(trx, row.item_id);
    if (caseId !== null) {
      await trx
        .insertInto('event')
        .values({ case_id: caseId, kind: 'hash_quarantined', visible_to_person: false, actor: 'system', data: JSON.stringify({ hash: hashId, reason }) })
        .execute();
    }
    await appendAudit(trx, { actor: { kind: 'system', id: null }, action: 'bank.quarantined', target: { kind: 'bank_hash', id: String(hashId) }, data: { reason } });
    return true;
  });
}

async function caseOfItem(db: Kysely<Database>, itemId: number | null): Promise<number | null> {
  if (itemId === null) return null;
  const item = await db.selectFrom('case_item').select('case_id').where('id', '=', itemId).executeTakeFirst();
  return item ? Number(item.case_id) : null;
}

const PERSON_OUTCOMES: readonly FeedbackOutcome[] = ['blocked', 'removed'];

/**
 * A partner's feedback on a hash. blocked/removed reach the person's timeline ("a re-upload was
 * blocked on <partner>", named only if the partner allows it); not_blocked and false_positive are for
 * the analysts; a false positive, or more than ABNORMAL_FEEDBACK_PER_DAY uploads in a day, suspends the hash.
 */
export async function recordFeedback(deps: BankDeps, partner: Partner, feedback: FeedbackRequest): Promise<{ recorded: true; quarantined: boolean; overAllowance: boolean }> {
  const { hashId, outcome, count } = feedback;
  const outcomeOf = await deps.db.transaction().execute(async (trx) => {
    const hash = await trx.selectFrom('bank_hash').select(['id', 'item_id', 'published']).where('id', '=', hashId).executeTakeFirst();
    if (!hash || !hash.published) throw new BankError('HASH_NOT_FOUND', 404, 'no such hash in the bank');
    await trx
      .insertInto('bank_feedback')
      .values({ partner_id: partner.id, hash_id: hashId, outcome, count, url_enc: feedback.url === undefined ? null : deps.sealer.seal(feedback.url) })
      .execute();
    const caseId = await caseOfItem(trx, hash.item_id);
    if (caseId !== null) {
      const c = await trx.selectFrom('case').select('status').where('id', '=', caseId).executeTakeFirstOrThrow();
      // a withdrawn case keeps no new history the person did not ask for
      if (c.status !== 'withdrawn') {
        const forPerson = PERSON_OUTCOMES.includes(outcome);
        await trx
          .insertInto('event')
          .values({
            case_id: caseId,
            kind: forPerson ? 'reupload_blocked' : 'partner_feedback',
            visible_to_person: forPerson,
            actor: 'system',
            data: JSON.stringify(forPerson ? { outcome, partner: partner.showName ? partner.name : null, count } : { outcome, partner: partner.name, count, hash: hashId }),
          })
          .execute();
      }
    }
    const day = await trx
      .selectFrom('bank_feedback')
      .select((eb) => eb.fn.sum<string>('count').as('n'))
      .where('hash_id', '=', hashId)
      .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
      .executeTakeFirstOrThrow();
    const abnormal = Number(day.n ?? 0) > ABNORMAL_FEEDBACK_PER_DAY;
    if (outcome !== 'false_positive' && !abnormal) return { suspend: null };
    // this partner's suspending feedback today, this one included
    const today = await trx
      .selectFrom('bank_feedback')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('partner_id', '=', partner.id)
      .where('created_at', '>', sql<Date>`now() - interval '1 day'`)
      .where((eb) => eb.or([eb('outcome', '=', 'false_positive'), eb('count', '>=', 100)]))
      .executeTakeFirstOrThrow();
    if (Number(today.n) > PARTNER_SUSPENSIONS_PER_DAY) return { suspend: 'over_allowance' as const };
    return { suspend: outcome === 'false_positive' ? ('false_positive' as const) : ('abnormal_feedback' as const) };
  });
  if (outcomeOf.suspend === null || outcomeOf.suspend === 'over_allowance') return { recorded: true, quarantined: false, overAllowance: outcomeOf.suspend === 'over_allowance' };
  return { recorded: true, quarantined: await quarantine(deps.db, hashId, outcomeOf.suspend), overAllowance: false };
}

/** The suspended hashes, oldest first (at most 500), with what partners reported about them. */
export async function quarantineList(db: Kysely<Database>): Promise<QuarantineList> {
  const result = await sql<{
    id: string;
    case_id: string | null;
    signal_type: QuarantineList['items'][number]['signalType'];
    provenance: QuarantineList['items'][number]['provenance'];
    quarantine_reason: QuarantineList['items'][number]['reason'];
    quarantined_at: Date;
    feedback: Record<string, number> | null;
  }>`
    select b.id, i.case_id, b.signal_type, b.provenance, b.quarantine_reason, b.quarantined_at,
      (select json_object_agg(f.outcome, f.n) from (
        select outcome, sum(count)::int as n from bank_feedback where hash_id = b.id group by outcome
      ) f) as feedback
    from bank_hash b left join case_item i on i.id = b.item_id
    where b.quarantined_at is not null
    order by b.quarantined_at, b.id
    limit 500`.execute(db);
  return {
    items: result.rows.map((r) => ({
      hashId: Number(r.id),
      caseId: r.case_id === null ? null : Number(r.case_id),
      signalType: r.signal_type,
      provenance: r.provenance,
      reason: r.quarantine_reason,
      quarantinedAt: r.quarantined_at.toISOString(),
      feedback: r.feedback ?? {},
    })),
  };
}

/**
 * An analyst's decision on a suspended hash. restore: back in the feed and matching. reject: the
 * item is rejected (never shared again: its other signals are withdrawn with it); an imported hash is
 * withdrawn. Audited; an event on the case.
 */
export async function reviewQuarantined(db: Kysely<Database>, actor: Actor, hashId: number, decision: 'restore' | 'reject', now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('bank_hash').select(['item_id', 'quarantined_at']).where('id', '=', hashId).forUpdate().executeTakeFirst();
    if (!row || row.quarantined_at === null) throw new BankError('HASH_NOT_FOUND', 404, 'no such hash in quarantine');
    if (decision === 'reject') {
      if (row.item_id !== null) {
        await trx.updateTable('case_item').set({ review: 'rejected', reviewed_at: now, reviewed_by: actor.id }).where('id', '=', row.item_id).execute();
      } else {
        await trx.updateTable('bank_hash').set({ state: 'withdrawn' }).where('id', '=', hashId).execute();
      }
    }
    await trx
      .updateTable('bank_hash')
      .set({ quarantined_at: null, quarantine_reason: null, updated_at: now, change_xid: sql<string>`pg_current_xact_id()` })
      .where('id', '=', hashId)
      .execute();
    const caseId = await caseOfItem(trx, row.item_id);
    if (caseId !== null) {
      await trx
        .insertInto('event')
        .values({ case_id: caseId, kind: decision === 'restore' ? 'hash_restored' : 'item_reviewed', visible_to_person: false, actor: `staff:${actor.id}`, data: JSON.stringify({ hash: hashId, decision }) })
        .execute();
    }
    await appendAudit(trx, { actor: { kind: 'staff', id: actor.id }, action: 'bank.reviewed', target: { kind: 'bank_hash', id: String(hashId) }, data: { decision } }, now);
  });
}

/**
 * For the person's follow-up after a withdrawal: how many partners receiving the bank have applied
 * every tombstone of the case (appliedBy) out of how many receive it (partners: not revoked, with the
 * fetch scope). Null when nothing of the case was ever shared.
 */
export async function withdrawalProgress(db: Kysely<Database>, caseId: number): Promise<{ appliedBy: number; partners: number } | null> {
  const result = await sql<{ shared: number; partners: number; applied: number }>`
    with shared as (
      select b.id from bank_hash b join case_item i on i.id = b.item_id
      where i.case_id = ${caseId} and b.published
    ),
    receivers as (select id from partner where revoked_at is null and 'fetch' = any(scopes))
    select (select count(*) from shared)::int as shared,
      (select count(*) from receivers)::int as partners,
      (select count(*) from receivers r where not exists (
        select 1 from shared s where not exists (select 1 from bank_ack a where a.hash_id = s.id and a.partner_id = r.id)
      ))::int as applied`.execute(db);
  const row = result.rows[0];
  if (!row || row.shared === 0) return null;
  return { appliedBy: row.applied, partners: row.partners };
}
