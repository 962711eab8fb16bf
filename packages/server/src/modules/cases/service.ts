// Case work: the queue, the case view, and every staff action on a case. Each action loads the case's
// facts, decides with `can` (role, child-safety permission, assignee) and the workflow of the contract,
// writes its rows, a timeline event and an audit entry in ONE transaction, or refuses with a stable code
// (the refusal audited too). Reading what the person sent (summary, contact, messages) is audited before
// anything is decrypted: no read without its entry.
import {
  caseBadges,
  decideTransition,
  DEFAULT_QUEUE_PAGE,
  OPEN_STATUSES,
  priorityHours,
  RESPONSE_TARGETS,
  staffMovesFrom,
  type AnswerTemplate,
  type CaseDetail,
  type CaseEventKind,
  type CaseStatus,
  type ItemReview,
  type Language,
  type QueueCase,
  type QueuePage,
  type QueueQuery,
  type Statistics,
} from '@halte/contract';
import { sql, type Kysely } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';

import type { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import type { Jobs } from '../../jobs/jobs.js';
import { sendFollowupMessageMail } from '../../mail/send.js';
import { appendAudit, type AuditData } from '../audit/log.js';
import { normaliseReference } from '../reports/references.js';
import type { Orient } from '../reports/service.js';
import { StaffError } from '../staff/accounts.js';
import { decide, type Actor, type CaseAction, type Refusal } from '../staff/permissions.js';
import { draftAnswer } from './answers.js';
import { offencesFor, unknownOffences } from './offences.js';

export interface CaseDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  readonly orient: Orient;
  readonly now: () => Date;
  /** to queue the e-mail telling the person a message waits (absent in tests that send none) */
  readonly jobs?: Pick<Jobs, 'send'> | undefined;
}

/** What deciding about a case needs: no personal data. */
export interface Facts {
  readonly id: number;
  readonly status: CaseStatus;
  readonly involvesMinor: boolean;
  readonly assigneeId: number | null;
  readonly country: 'FR' | 'BE' | 'other';
}

export const staffActor = (actor: Actor) => ({ kind: 'staff', id: actor.id }) as const;
export const caseTarget = (id: number) => ({ kind: 'case', id }) as const;

async function loadFacts(db: Kysely<Database>, id: number, lock: boolean): Promise<Facts | null> {
  let q = db.selectFrom('case').select(['id', 'status', 'involves_minor', 'assignee_id', 'country']).where('id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? { id: row.id, status: row.status, involvesMinor: row.involves_minor, assigneeId: row.assignee_id, country: row.country } : null;
}

const REFUSALS: Readonly<Record<Refusal, StaffError>> = {
  role: new StaffError('STAFF_PERMISSION_DENIED', 403, 'your role does not allow this'),
  // a minor's case does not exist for an account without the permission: the same answer as no case
  child_safety: new StaffError('CASE_NOT_FOUND', 404, 'no such case'),
  not_assignee: new StaffError('CASE_NOT_ASSIGNEE', 403, 'this case is assigned to someone else: ask them or a supervisor'),
  already_assigned: new StaffError('CASE_ALREADY_ASSIGNED', 409, 'someone else took this case first'),
};

/** A refusal, to be audited once the transaction that found it has ended (its entry must stay). */
class Denied extends Error {
  constructor(
    readonly action: CaseAction,
    readonly reason: Refusal,
    readonly caseId: number,
  ) {
    super(`${action} refused: ${reason}`);
  }
}

async function auditDenied(deps: CaseDeps, actor: Actor, denied: Denied): Promise<never> {
  await appendAudit(deps.db, { actor: staffActor(actor), action: 'case.access_denied', target: caseTarget(denied.caseId), data: { permission: denied.action, reason: denied.reason } }, deps.now());
  throw REFUSALS[denied.reason];
}

/** What an action needs: fixed, or decided by the case's status (a move: reopening is a supervisor's). */
type Needed = CaseAction | ((status: CaseStatus) => CaseAction);

/** Loads the case's facts and decides the action; throws Denied (not audited yet) or CASE_NOT_FOUND. */
async function decideOn(db: Kysely<Database>, actor: Actor, needed: Needed, id: number, lock: boolean): Promise<Facts> {
  const facts = await loadFacts(db, id, lock);
  if (facts === null) throw new StaffError('CASE_NOT_FOUND', 404, 'no such case');
  const action = typeof needed === 'function' ? needed(facts.status) : needed;
  const decision = decide(actor, action, facts);
  if (!decision.allowed) throw new Denied(action, decision.reason, id);
  return facts;
}

/** Outside a transaction: decides, audits a refusal, throws it as its stable code. */
export async function authorise(deps: CaseDeps, actor: Actor, action: CaseAction, id: number): Promise<Facts> {
  try {
    return await decideOn(deps.db, actor, action, id, false);
  } catch (error) {
    if (error instanceof Denied) return auditDenied(deps, actor, error);
    throw error;
  }
}

/** A change to a case: authorised, then `work` with the locked row, an event and an audit entry, in one transaction. */
export async function change<T>(
  deps: CaseDeps,
  actor: Actor,
  action: Needed,
  id: number,
  work: (trx: Kysely<Database>, facts: Facts) => Promise<{ result: T; event: CaseEventKind; data: AuditData; visibleToPerson?: boolean }>,
): Promise<T> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const facts = await decideOn(trx, actor, action, id, true);
      if (facts.status === 'withdrawn') throw new StaffError('CASE_WITHDRAWN', 409, 'the person withdrew this case: nothing more can be done to it');
      const done = await work(trx, facts);
      const now = deps.now();
      await trx
        .insertInto('event')
        .values({ case_id: id, kind: done.event, visible_to_person: done.visibleToPerson ?? false, actor: `staff:${actor.id}`, data: JSON.stringify(done.data) })
        .execute();
      await trx.updateTable('case').set({ updated_at: now }).where('id', '=', id).execute();
      await appendAudit(trx, { actor: staffActor(actor), action: `case.${done.event}`, target: caseTarget(id), data: done.data }, now);
      return done.result;
    });
  } catch (error) {
    // after the rollback: the refusal's entry is written on its own
    if (error instanceof Denied) return auditDenied(deps, actor, error);
    throw error;
  }
}

// --- the queue ----------------------------------------------------------------------------------

const ISO = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

function encodeCursor(urgencyMicros: string, id: number): string {
  return `${urgencyMicros}.${id}`;
}

/**
 * The queue, most urgent first (contract: PRIORITY). Served by the partial index `case_queue`
 * (urgency_at, id) over open cases, or `case_assignee_queue` with an assignee filter; paged by keyset
 * (urgency_at, id), so a page costs the same deep in the queue as at its top.
 */
export async function queue(deps: CaseDeps, actor: Actor, query: QueueQuery): Promise<QueuePage> {
  const limit = query.limit ?? DEFAULT_QUEUE_PAGE;
  const statuses = query.status ?? [...OPEN_STATUSES];
  let q = deps.db
    .selectFrom('case as c')
    .leftJoin('staff as a', 'a.id', 'c.assignee_id')
    .select([
      'c.id',
      'c.reference',
      'c.status',
      'c.situations',
      'c.age_group',
      'c.involves_minor',
      'c.country',
      'c.immediate_danger',
      'c.created_at',
      'c.assignee_id',
      'a.email as assignee_email',
      'c.urgency_at',
      'c.unanswered_messages',
      'c.deadline_at',
      'c.first_answered_at',
      'c.person_waiting_since',
      ISO('c.urgency_at').as('urgency_iso'),
      sql<string>`(extract(epoch from c.urgency_at) * 1000000)::bigint::text`.as('urgency_micros'),
      sql<{ images: number; videos: number; urls: number }>`(select json_build_object(
          'images', count(*) filter (where i.kind = 'image'), 'videos', count(*) filter (where i.kind = 'video'),
          'urls', count(*) filter (where i.kind = 'url')) from case_item i where i.case_id = c.id)`.as('items'),
    ])
    // literals, not parameters: the planner must see that the statuses imply the partial index's predicate
    .where(sql<boolean>`c.status in (${sql.join(statuses.map((s) => sql.lit(s)))})`)
    .orderBy('c.urgency_at')
    .orderBy('c.id')
    .limit(limit + 1);
  // a minor's case does not exist for an account without the child-safety permission
  if (!actor.childSafety) q = q.where('c.involves_minor', '=', false);
  // an analyst works unassigned cases and their own
  if (actor.role === 'analyst') q = q.where((eb) => eb.or([eb('c.assignee_id', 'is', null), eb('c.assignee_id', '=', actor.id)]));
  if (query.situation !== undefined) q = q.where(sql<boolean>`${query.situation} = any(c.situations)`);
  if (query.country !== undefined) q = q.where('c.country', '=', query.country);
  if (query.assignee === 'none') q = q.where('c.assignee_id', 'is', null);
  else if (query.assignee === 'me') q = q.where('c.assignee_id', '=', actor.id);
  else if (query.assignee !== undefined) q = q.where('c.assignee_id', '=', query.assignee);
  if (query.reference !== undefined) q = q.where('c.reference', '=', normaliseReference(query.reference));
  if (query.cursor !== undefined) {
    const [micros, id] = query.cursor.split('.') as [string, string];
    q = q.where(sql<boolean>`(c.urgency_at, c.id) > (timestamptz 'epoch' + ${micros}::bigint * interval '1 microsecond', ${id}::bigint)`);
  }
  const rows = await q.execute();
  const now = deps.now();
  const page = rows.slice(0, limit);
  const cases = page.map(
    (r): QueueCase => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      situations: r.situations,
      ageGroup: r.age_group,
      involvesMinor: r.involves_minor,
      country: r.country,
      immediateDanger: r.immediate_danger,
      createdAt: r.created_at.toISOString(),
      assignee: r.assignee_id === null ? null : { id: r.assignee_id, email: r.assignee_email ?? '' },
      priority: priorityHours(r.urgency_at, now),
      urgencyAt: r.urgency_iso,
      badges: caseBadges(
        { status: r.status, createdAt: r.created_at, immediateDanger: r.immediate_danger, firstAnsweredAt: r.first_answered_at, personWaitingSince: r.person_waiting_since, deadlineAt: r.deadline_at },
        now,
      ),
      unansweredMessages: r.unanswered_messages,
      deadlineAt: r.deadline_at?.toISOString() ?? null,
      items: r.items,
    }),
  );
  const last = rows.length > limit ? page.at(-1) : undefined;
  return { cases, nextCursor: last ? encodeCursor(last.urgency_micros, last.id) : null };
}

// --- the case view ------------------------------------------------------------------------------

/** The case as staff see it. The read is audited first; then the summary, contact, messages and notes are decrypted. */
export async function caseView(deps: CaseDeps, actor: Actor, id: number): Promise<CaseDetail> {
  await authorise(deps, actor, 'cases.read', id);
  await appendAudit(deps.db, { actor: staffActor(actor), action: 'case.read', target: caseTarget(id) }, deps.now());
  // one statement: the case, and its items, timeline, messages and notes as JSON arrays (dates as ISO
  // strings, sealed bodies as base64) — a case view is one round trip after the audit entry
  const c = await deps.db
    .selectFrom('case as c')
    .leftJoin('staff as a', 'a.id', 'c.assignee_id')
    .leftJoin('staff as q', 'q.id', 'c.qualified_by')
    .selectAll('c')
    .select((eb) => [
      'a.email as assignee_email',
      'q.email as qualified_by_email',
      jsonArrayFrom(
        eb
          .selectFrom('case_item as i')
          .leftJoin('staff as r', 'r.id', 'i.reviewed_by')
          .select([
            'i.id', 'i.kind', 'i.pdq', 'i.quality', 'i.low_quality', 'i.md5', 'i.sha256', 'i.url', 'i.host', 'i.review', 'i.reviewed_by',
            'r.email as reviewer_email',
            ISO('i.reviewed_at').as('reviewed_at'),
            ISO('i.created_at').as('created_at'),
            sql<boolean>`i.withdrawn_at is not null`.as('withdrawn'),
            sql<number | null>`case when i.vpdq is null then null else jsonb_array_length(i.vpdq) end`.as('frames'),
            sql<number | null>`(select min((f->>'quality')::int) from jsonb_array_elements(case when jsonb_typeof(i.vpdq) = 'array' then i.vpdq else '[]'::jsonb end) f)`.as('min_frame_quality'),
          ])
          .whereRef('i.case_id', '=', 'c.id')
          .orderBy('i.id'),
      ).as('items'),
      jsonArrayFrom(
        eb
          .selectFrom('event as e')
          .select(['e.id', 'e.kind', 'e.actor', 'e.visible_to_person', 'e.data', ISO('e.created_at').as('created_at')])
          .whereRef('e.case_id', '=', 'c.id')
          .orderBy('e.id'),
      ).as('events'),
      jsonArrayFrom(
        eb
          .selectFrom('message as m')
          .leftJoin('staff as s', 's.id', 'm.staff_id')
          .select(['m.id', 'm.author', 'm.staff_id', 's.email as staff_email', sql<string>`encode(m.body_enc, 'base64')`.as('body'), ISO('m.created_at').as('created_at')])
          .whereRef('m.case_id', '=', 'c.id')
          .orderBy('m.id'),
      ).as('messages'),
      jsonArrayFrom(
        eb
          .selectFrom('case_note as n')
          .leftJoin('staff as s', 's.id', 'n.staff_id')
          .select(['n.id', 'n.staff_id', 's.email as staff_email', sql<string>`encode(n.body_enc, 'base64')`.as('body'), ISO('n.created_at').as('created_at')])
          .whereRef('n.case_id', '=', 'c.id')
          .orderBy('n.id'),
      ).as('notes'),
    ])
    .where('c.id', '=', id)
    .executeTakeFirstOrThrow();
  const now = deps.now();
  const facts = { id: c.id, status: c.status, involvesMinor: c.involves_minor, assigneeId: c.assignee_id, country: c.country };
  const open = (bytes: Uint8Array | null) => (bytes === null ? null : deps.sealer.open<unknown>(new Uint8Array(bytes)));
  const open64 = (base64: string) => deps.sealer.open<string>(new Uint8Array(Buffer.from(base64, 'base64')));
  const ref = (staffId: number | null, email: string | null) => (staffId === null ? null : { id: staffId, email: email ?? '' });
  return {
    id: c.id,
    reference: c.reference,
    status: c.status,
    situations: c.situations,
    ageGroup: c.age_group,
    madeWhenMinor: c.made_when_minor,
    involvesMinor: c.involves_minor,
    country: c.country,
    postalCode: c.postal_code,
    immediateDanger: c.immediate_danger,
    language: c.language,
    summary: open(c.summary_enc) as string | null,
    contact: open(c.contact_enc) as { email?: string; phone?: string } | null,
    consents: { shareWithPartners: c.consent_share_with_partners, contactMe: c.consent_contact_me },
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
    deadlineAt: c.deadline_at?.toISOString() ?? null,
    firstAnsweredAt: c.first_answered_at?.toISOString() ?? null,
    assignee: ref(c.assignee_id, c.assignee_email),
    priority: priorityHours(c.urgency_at, now),
    badges: caseBadges(
      { status: c.status, createdAt: c.created_at, immediateDanger: c.immediate_danger, firstAnsweredAt: c.first_answered_at, personWaitingSince: c.person_waiting_since, deadlineAt: c.deadline_at },
      now,
    ),
    items: c.items.map((i) => ({
      id: i.id,
      kind: i.kind,
      pdq: i.pdq,
      quality: i.quality,
      lowQuality: i.low_quality,
      md5: i.md5,
      sha256: i.sha256,
      frames: i.frames,
      minFrameQuality: i.min_frame_quality,
      url: i.url,
      host: i.host,
      review: i.review,
      reviewedAt: i.reviewed_at,
      reviewedBy: ref(i.reviewed_by, i.reviewer_email),
      withdrawn: i.withdrawn,
      addedAt: i.created_at,
    })),
    timeline: c.events.map((e) => {
      const staff = /^staff:(\d+)$/.exec(e.actor);
      return {
        id: e.id,
        kind: e.kind,
        at: e.created_at,
        actor: staff ? { kind: 'staff' as const, id: Number(staff[1]) } : { kind: e.actor === 'person' ? ('person' as const) : ('system' as const), id: null },
        visibleToPerson: e.visible_to_person,
        data: (e.data ?? {}) as Record<string, unknown>,
      };
    }),
    messages: c.messages.map((m) => ({ id: m.id, author: m.author, staff: ref(m.staff_id, m.staff_email), body: open64(m.body), at: m.created_at })),
    notes: c.notes.map((n) => ({ id: n.id, author: ref(n.staff_id, n.staff_email), body: open64(n.body), at: n.created_at })),
    qualification: { offenceIds: c.offence_ids, at: c.qualified_at?.toISOString() ?? null, by: ref(c.qualified_by, c.qualified_by_email) },
    offences: offencesFor({ country: c.country, situations: c.situations, involvesMinor: c.involves_minor }),
    moves: staffMovesFrom(c.status).filter((to) => {
      const move = decideTransition(c.status, to, 'staff');
      return move.allowed && move.permission !== null && decide(actor, move.permission, facts).allowed;
    }),
    may: {
      claim: decide(actor, 'cases.claim', facts).allowed && c.status !== 'withdrawn',
      work: decide(actor, 'cases.work', facts).allowed && c.status !== 'withdrawn',
      reassign: decide(actor, 'cases.reassign', facts).allowed && c.status !== 'withdrawn',
    },
  };
}

// --- actions ------------------------------------------------------------------------------------

export async function claim(deps: CaseDeps, actor: Actor, id: number): Promise<void> {
  await change(deps, actor, 'cases.claim', id, async (trx) => {
    await trx.updateTable('case').set({ assignee_id: actor.id, assigned_at: deps.now() }).where('id', '=', id).execute();
    return { result: undefined, event: 'claimed', data: { assignee: actor.id } };
  });
}

/** Supervisors: give the case to an active account (with the child-safety permission for a minor's case), or back to the queue. */
export async function assign(deps: CaseDeps, actor: Actor, id: number, staffId: number | null): Promise<void> {
  await change(deps, actor, 'cases.reassign', id, async (trx, facts) => {
    if (staffId !== null) {
      const account = await trx.selectFrom('staff').select(['child_safety', 'enrolled_at', 'disabled_at']).where('id', '=', staffId).executeTakeFirst();
      if (!account || account.enrolled_at === null || account.disabled_at !== null) throw new StaffError('ASSIGNEE_INVALID', 422, 'this account cannot take cases (unknown, pending or disabled)');
      if (facts.involvesMinor && !account.child_safety) throw new StaffError('ASSIGNEE_INVALID', 422, 'this case involves a minor: the account needs the child-safety permission');
    }
    await trx.updateTable('case').set({ assignee_id: staffId, assigned_at: staffId === null ? null : deps.now() }).where('id', '=', id).execute();
    return { result: undefined, event: 'assigned', data: { from: facts.assigneeId, to: staffId } };
  });
}

export async function moveTo(deps: CaseDeps, actor: Actor, id: number, to: CaseStatus): Promise<void> {
  const permission = (from: CaseStatus) => {
    const move = decideTransition(from, to, 'staff');
    return move.allowed && move.permission !== null ? move.permission : 'cases.work';
  };
  await change(deps, actor, permission, id, async (trx, locked) => {
    const decided = decideTransition(locked.status, to, 'staff');
    if (!decided.allowed) throw new StaffError('CASE_TRANSITION_REFUSED', 409, `a case cannot go from ${locked.status} to ${to} (${decided.reason})`);
    await trx.updateTable('case').set({ status: to }).where('id', '=', id).execute();
    return { result: undefined, event: 'status_changed', data: { from: locked.status, to } };
  });
}

export async function qualify(deps: CaseDeps, actor: Actor, id: number, offenceIds: readonly string[]): Promise<void> {
  await change(deps, actor, 'cases.work', id, async (trx, facts) => {
    const unknown = unknownOffences(offenceIds, facts.country);
    if (unknown.length > 0) throw new StaffError('OFFENCE_UNKNOWN', 422, `not offences of this case's country (${facts.country}): ${unknown.join(', ')}`);
    await trx.updateTable('case').set({ offence_ids: [...offenceIds], qualified_at: deps.now(), qualified_by: actor.id }).where('id', '=', id).execute();
    return { result: undefined, event: 'qualified', data: { offences: [...offenceIds] } };
  });
}

export async function addNote(deps: CaseDeps, actor: Actor, id: number, body: string): Promise<{ id: number }> {
  return change(deps, actor, 'cases.work', id, async (trx) => {
    const note = await trx.insertInto('case_note').values({ case_id: id, staff_id: actor.id, body_enc: deps.sealer.seal(body) }).returning('id').executeTakeFirstOrThrow();
    return { result: { id: note.id }, event: 'note_added', data: { note: note.id } };
  });
}

export async function reviewItem(deps: CaseDeps, actor: Actor, id: number, itemId: number, review: Exclude<ItemReview, 'self_submitted'>): Promise<void> {
  await change(deps, actor, 'cases.work', id, async (trx) => {
    const item = await trx.selectFrom('case_item').select(['kind', 'withdrawn_at', 'review']).where('id', '=', itemId).where('case_id', '=', id).executeTakeFirst();
    if (!item || item.kind === 'url') throw new StaffError('ITEM_NOT_FOUND', 404, 'no such fingerprint in this case');
    await trx.updateTable('case_item').set({ review, reviewed_at: deps.now(), reviewed_by: actor.id }).where('id', '=', itemId).execute();
    return { result: undefined, event: 'item_reviewed', data: { item: itemId, from: item.review, review } };
  });
}

export async function setDeadline(deps: CaseDeps, actor: Actor, id: number, deadlineAt: Date | null): Promise<void> {
  await change(deps, actor, 'cases.work', id, async (trx) => {
    await trx.updateTable('case').set({ deadline_at: deadlineAt }).where('id', '=', id).execute();
    return { result: undefined, event: 'deadline_set', data: { deadlineAt: deadlineAt?.toISOString() ?? null } };
  });
}

/** The draft of an answer from a template, filled from the case (no personal data in it: counts, the qualification, help services). */
export async function answerDraft(deps: CaseDeps, actor: Actor, id: number, template: AnswerTemplate, language: Language | undefined): Promise<{ template: AnswerTemplate; language: Language; body: string }> {
  await authorise(deps, actor, 'cases.work', id);
  const c = await deps.db
    .selectFrom('case')
    .select(['country', 'situations', 'age_group', 'immediate_danger', 'offence_ids', 'consent_share_with_partners', 'language'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const items = await deps.db.selectFrom('case_item').select(['kind', 'review', 'withdrawn_at']).where('case_id', '=', id).execute();
  const lang = language ?? c.language;
  const body = draftAnswer(
    template,
    lang,
    {
      country: c.country,
      situations: c.situations,
      ageGroup: c.age_group,
      immediateDanger: c.immediate_danger,
      offenceIds: c.offence_ids,
      items: items.map((i) => ({ kind: i.kind, review: i.review, withdrawn: i.withdrawn_at !== null })),
      shareWithPartners: c.consent_share_with_partners,
    },
    deps.orient,
  );
  return { template, language: lang, body };
}

/**
 * Sends the analyst's answer: a message in the person's follow-up and, when they gave an e-mail address
 * and agreed to be contacted, an e-mail job (in the same transaction) saying a message waits. A case
 * still `new` or `triaged` moves to `in_progress`: someone is on it.
 */
export async function answer(deps: CaseDeps, actor: Actor, id: number, body: string): Promise<{ messageId: number; emailQueued: boolean }> {
  return change(deps, actor, 'cases.work', id, async (trx, facts) => {
    const now = deps.now();
    const message = await trx
      .insertInto('message')
      .values({ case_id: id, author: 'staff', staff_id: actor.id, body_enc: deps.sealer.seal(body) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const moved = facts.status === 'new' || facts.status === 'triaged';
    // what the e-mail needs comes back from the same statement
    const c = await trx
      .updateTable('case')
      .set((eb) => ({
        first_answered_at: eb.fn.coalesce('first_answered_at', sql<Date>`${now}::timestamptz`),
        last_answered_at: now,
        person_waiting_since: null,
        unanswered_messages: 0,
        ...(moved ? { status: 'in_progress' as const } : {}),
      }))
      .where('id', '=', id)
      .returning(['contact_enc', 'consent_contact_me', 'language'])
      .executeTakeFirstOrThrow();
    if (moved) {
      await trx
        .insertInto('event')
        .values({ case_id: id, kind: 'status_changed', visible_to_person: false, actor: `staff:${actor.id}`, data: JSON.stringify({ from: facts.status, to: 'in_progress' }) })
        .execute();
    }
    const email = c.consent_contact_me && c.contact_enc !== null && deps.sealer.open<{ email?: string }>(new Uint8Array(c.contact_enc)).email !== undefined;
    let emailQueued = false;
    if (email && deps.jobs !== undefined) {
      await sendFollowupMessageMail(deps.jobs, trx, { caseId: id, messageId: message.id, language: c.language });
      emailQueued = true;
    }
    return { result: { messageId: message.id, emailQueued }, event: 'message_from_team', visibleToPerson: true, data: { message: message.id, emailQueued } };
  });
}

// --- supervisors: assignees and statistics ------------------------------------------------------

export async function assignees(db: Kysely<Database>): Promise<{ id: number; email: string; role: string; childSafety: boolean }[]> {
  const rows = await db
    .selectFrom('staff')
    .select(['id', 'email', 'role', 'child_safety'])
    .where('enrolled_at', 'is not', null)
    .where('disabled_at', 'is', null)
    .orderBy('email')
    .execute();
  return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, childSafety: r.child_safety }));
}

/** Counts for supervisors (no personal data). The overdue counts follow `caseBadges` of the contract (statistics test). */
export async function statistics(deps: CaseDeps): Promise<Statistics> {
  const now = deps.now();
  const byStatus = await deps.db.selectFrom('case').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute();
  const open = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)));
  const hours = (n: number) => sql`make_interval(hours => ${sql.lit(n)})`;
  const t = RESPONSE_TARGETS;
  const row = (
    await sql<{
      minor: number;
      unassigned: number;
      danger: number;
      first: number;
      waiting: number;
      deadline: number;
      median: number | null;
    }>`select
        count(*) filter (where involves_minor)::int as minor,
        count(*) filter (where assignee_id is null)::int as unassigned,
        count(*) filter (where immediate_danger and status = 'new' and created_at < ${now}::timestamptz - ${hours(t.dangerTriageHours)})::int as danger,
        count(*) filter (where first_answered_at is null and created_at < ${now}::timestamptz - ${hours(t.firstAnswerHours)})::int as first,
        count(*) filter (where person_waiting_since < ${now}::timestamptz - ${hours(t.personWaitingHours)})::int as waiting,
        count(*) filter (where deadline_at < ${now}::timestamptz + ${hours(t.deadlineWarningHours)})::int as deadline,
        (select percentile_cont(0.5) within group (order by extract(epoch from first_answered_at - created_at) / 3600)
          from "case" where first_answered_at is not null and created_at > ${now}::timestamptz - interval '30 days') as median
      from "case" where status in (${open})`.execute(deps.db)
  ).rows[0];
  return {
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
    openInvolvingMinor: row?.minor ?? 0,
    unassignedOpen: row?.unassigned ?? 0,
    overdue: {
      danger_not_triaged: row?.danger ?? 0,
      first_answer_overdue: row?.first ?? 0,
      person_waiting: row?.waiting ?? 0,
      deadline_near: row?.deadline ?? 0,
    },
    firstAnswerHoursMedian: row?.median === null || row?.median === undefined ? null : Math.round(Number(row.median) * 10) / 10,
  };
}
