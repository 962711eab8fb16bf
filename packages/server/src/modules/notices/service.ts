// Takedown work on a case: the links and their states, notices (preview, send), the analyst's word on
// forms and uncertain e-mails, moves, escalations, hosts' replies, re-checks — and the due list across
// cases. Every change goes through the case module's `change` (decided per case, one transaction with
// its timeline event and audit entry); the person's follow-up gets a plain-words event for each step.
import { randomUUID } from 'node:crypto';

import {
  ESCALABLE_STATES,
  mayMoveTakedown,
  TAKEDOWN_MOVES,
  type CaseTakedowns,
  type DueItem,
  type DueList,
  type EscalationTarget,
  type Language,
  type NoticePreview,
  type NoticeRequest,
  type NoticeState,
  type Situation,
  type TakedownState,
} from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import type { Jobs } from '../../jobs/jobs.js';
import { appendAudit } from '../audit/log.js';
import { authorise, caseTarget, change, staffActor, type CaseDeps } from '../cases/service.js';
import { readSettings } from '../cases/settings.js';
import { StaffError } from '../staff/accounts.js';
import { seesMinorCases, type Actor } from '../staff/permissions.js';
import { composeEscalation, renderNoticeText } from './compose.js';
import { directory, hostForUrl, hostnameOf } from './directory.js';
import { ESCALATIONS } from './escalation.js';
import { applyDelivered, NOTICE_SEND, progressEvent, type NoticeContent } from './outbox.js';
import { renderNoticePdf } from './pdf.js';
import { citedOffences, planNotices, type CaseForNotice, type LinkForNotice, type PlannedNotice } from './plan.js';
import { LINK_CHECK } from './sweep.js';

export interface NoticeDeps extends CaseDeps {
  /** HALTE_MAIL_FROM's address: the notifier's address when the settings give none, and the Message-IDs' domain */
  readonly mailFromAddress: string | null;
  readonly jobs?: Pick<Jobs, 'send'> | undefined;
}

const ISO = (d: Date | null) => (d === null ? null : d.toISOString());

async function caseForNotice(db: Kysely<Database>, id: number): Promise<CaseForNotice> {
  const c = await db.selectFrom('case').select(['id', 'country', 'involves_minor', 'situations', 'offence_ids']).where('id', '=', id).executeTakeFirstOrThrow();
  return { id: c.id, country: c.country, involvesMinor: c.involves_minor, situations: c.situations as Situation[], offenceIds: c.offence_ids };
}

interface LinkRow extends LinkForNotice {
  readonly state: TakedownState;
}

/** The links of the case among `itemIds` (all must be its live links), optionally locked. */
async function linksOf(db: Kysely<Database>, caseId: number, itemIds: readonly number[], lock: boolean): Promise<LinkRow[]> {
  let q = db
    .selectFrom('takedown as t')
    .innerJoin('case_item as i', 'i.id', 't.item_id')
    .select(['t.item_id', 't.state', 't.notice_sent_at', 'i.url', 'i.created_at'])
    .where('t.case_id', '=', caseId)
    .where('t.item_id', 'in', [...itemIds])
    .orderBy('t.item_id');
  if (lock) q = q.forUpdate('t');
  const rows = await q.execute();
  const found = new Set(rows.filter((r) => r.url !== null).map((r) => Number(r.item_id)));
  const missing = itemIds.filter((id) => !found.has(id));
  if (missing.length > 0) throw new StaffError('ITEM_NOT_FOUND', 404, `no such link in this case: ${missing.join(', ')}`);
  return rows.flatMap((r) => (r.url === null ? [] : [{ itemId: Number(r.item_id), url: r.url, reportedAt: r.created_at, noticeSentAt: r.notice_sent_at, state: r.state }]));
}

function requireStates(links: readonly LinkRow[], allowed: readonly TakedownState[], what: string): void {
  const wrong = links.filter((l) => !allowed.includes(l.state));
  if (wrong.length > 0) {
    throw new StaffError('TAKEDOWN_MOVE_REFUSED', 409, `${what} is not possible for link(s) ${wrong.map((l) => `${l.itemId} (${l.state})`).join(', ')}`);
  }
}

/** The states in which a notice of each kind may be sent about a link. */
const NOTICE_STATES_FOR: Readonly<Record<'notice' | 'reminder', readonly TakedownState[]>> = {
  notice: ['reported'],
  reminder: ['notice_sent', 'acknowledged', 'no_answer'],
};

/** Notices not settled yet: a link covered by one cannot get another of the same kind. */
const PENDING: readonly NoticeState[] = ['queued', 'sending', 'to_submit', 'uncertain'];

async function refusePending(db: Kysely<Database>, caseId: number, itemIds: readonly number[], kind: string): Promise<void> {
  const pending = await db
    .selectFrom('notice')
    .select('id')
    .where('case_id', '=', caseId)
    .where('kind', '=', kind as 'notice')
    .where('state', 'in', [...PENDING])
    .where(sql<boolean>`item_ids && ${sql.val(itemIds.map(String))}::bigint[]`)
    .execute();
  if (pending.length > 0) throw new StaffError('NOTICE_STATE_CONFLICT', 409, `a ${kind} about these links is still waiting (notice ${pending.map((p) => p.id).join(', ')})`);
}

// --- the case's links -----------------------------------------------------------------------------

export async function caseTakedowns(deps: NoticeDeps, actor: Actor, caseId: number): Promise<CaseTakedowns> {
  await authorise(deps, actor, 'cases.read', caseId);
  await appendAudit(deps.db, { actor: staffActor(actor), action: 'case.takedowns_read', target: caseTarget(caseId) }, deps.now());
  const links = await deps.db
    .selectFrom('takedown as t')
    .innerJoin('case_item as i', 'i.id', 't.item_id')
    .selectAll('t')
    .select(['i.url'])
    .where('t.case_id', '=', caseId)
    .orderBy('t.item_id')
    .execute();
  const notices = await deps.db.selectFrom('notice').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const replies = await deps.db.selectFrom('host_reply').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  const hosts = new Map((await directory(deps.db)).map((h) => [h.id, h]));
  return {
    links: await Promise.all(
      links.map(async (l) => {
        const host = l.url === null ? null : await hostForUrl(deps.db, l.url);
        return {
          itemId: Number(l.item_id),
          url: l.url,
          hostname: l.url === null ? null : hostnameOf(l.url),
          host: host === null ? null : { id: host.id, name: host.name, confidence: host.confidence },
          state: l.state,
          stateAt: l.state_at.toISOString(),
          noticeSentAt: ISO(l.notice_sent_at),
          reminderDueAt: l.state === 'notice_sent' && l.reminders_sent === 0 ? ISO(l.reminder_due_at) : null,
          escalationDueAt: l.state === 'notice_sent' || l.state === 'acknowledged' ? ISO(l.escalation_due_at) : null,
          remindersSent: l.reminders_sent,
          escalatedTo: l.escalated_to,
          lastCheck: l.checked_at === null || l.check_outcome === null ? null : { at: l.checked_at.toISOString(), outcome: l.check_outcome, detail: l.check_detail ?? '' },
          removalProposedAt: ISO(l.removal_proposed_at),
          moves: l.url === null ? [] : [...TAKEDOWN_MOVES[l.state]],
        };
      }),
    ),
    notices: notices.map((n) => {
      const content = n.content_enc === null ? null : deps.sealer.open<NoticeContent>(new Uint8Array(n.content_enc));
      return {
        id: Number(n.id),
        kind: n.kind,
        hostId: n.host_id,
        escalationTarget: n.escalation_target,
        channel: n.channel,
        target: n.target,
        itemIds: n.item_ids.map(Number),
        language: n.language,
        state: n.state,
        involvesMinor: n.involves_minor,
        messageId: n.message_id,
        createdAt: n.created_at.toISOString(),
        sentAt: ISO(n.sent_at),
        createdBy: n.created_by === null ? null : Number(n.created_by),
        subject: content?.subject ?? null,
        text: content?.text ?? null,
        hostName: n.host_id === null ? null : (hosts.get(n.host_id)?.name ?? n.host_id),
      };
    }),
    replies: replies.map((r) => ({
      id: Number(r.id),
      itemIds: r.item_ids.map(Number),
      body: deps.sealer.open<string>(new Uint8Array(r.body_enc)),
      receivedAt: r.received_at.toISOString(),
      addedBy: r.added_by === null ? null : Number(r.added_by),
      addedAt: r.added_at.toISOString(),
    })),
  };
}

// --- notices ----------------------------------------------------------------------------------------

function presentPlan(p: PlannedNotice, c: CaseForNotice): NoticePreview {
  const { subject, text } = p.render(null);
  return {
    hostId: p.host.id,
    hostName: p.host.name,
    itemIds: p.links.map((l) => l.itemId),
    channel: p.channel,
    target: p.target,
    language: p.language,
    involvesMinor: c.involvesMinor,
    subject,
    text,
    alsoReportTo: [...p.alsoReportTo],
  };
}

type ParsedNoticeRequest = { itemIds: number[]; grouping: 'per_host' | 'per_link'; language?: Language | undefined; kind: 'notice' | 'reminder'; channel?: number | undefined };

function planOptions(request: ParsedNoticeRequest): Pick<NoticeRequest, 'grouping' | 'language' | 'channel' | 'kind'> {
  return {
    grouping: request.grouping,
    kind: request.kind,
    ...(request.language === undefined ? {} : { language: request.language }),
    ...(request.channel === undefined ? {} : { channel: request.channel }),
  };
}

export async function previewNotices(deps: NoticeDeps, actor: Actor, caseId: number, request: ParsedNoticeRequest): Promise<NoticePreview[]> {
  await authorise(deps, actor, 'cases.work', caseId);
  const c = await caseForNotice(deps.db, caseId);
  const links = await linksOf(deps.db, caseId, request.itemIds, false);
  requireStates(links, NOTICE_STATES_FOR[request.kind], `a ${request.kind}`);
  const plans = await planNotices(deps.db, c, links, planOptions(request), deps.mailFromAddress, deps.now());
  return plans.map((p) => presentPlan(p, c));
}

function messageIdFor(domainOf: string | null): string {
  const domain = domainOf === null ? 'halte.invalid' : domainOf.slice(domainOf.lastIndexOf('@') + 1);
  return `<notice-${randomUUID()}@${domain}>`;
}

/** A notice row, its content rendered with its own reference, and (e-mail) its job — in the caller's transaction. */
async function insertNotice(
  deps: NoticeDeps,
  trx: Kysely<Database>,
  row: {
    caseId: number;
    kind: 'notice' | 'reminder' | 'escalation';
    hostId: string | null;
    escalationTarget: EscalationTarget | null;
    routing?: boolean;
    channel: 'email' | 'dsa_form' | 'trusted_flagger' | null;
    target: string;
    itemIds: readonly number[];
    language: Language;
    involvesMinor: boolean;
    createdBy: number;
  },
  render: (reference: string) => NoticeContent,
): Promise<{ id: number; state: NoticeState }> {
  const email = row.channel === 'email';
  const state: NoticeState = email ? 'queued' : 'to_submit';
  const inserted = await trx
    .insertInto('notice')
    .values({
      case_id: row.caseId,
      kind: row.kind,
      host_id: row.hostId,
      escalation_target: row.escalationTarget,
      routing: row.routing ?? false,
      channel: row.channel,
      target: row.target,
      item_ids: [...row.itemIds],
      language: row.language,
      involves_minor: row.involvesMinor,
      state,
      message_id: email ? messageIdFor(deps.mailFromAddress) : null,
      created_by: row.createdBy,
      created_at: deps.now(),
      updated_at: deps.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(inserted.id);
  const content = render(`HALTE-N${id}`);
  await trx.updateTable('notice').set({ content_enc: deps.sealer.seal(content) }).where('id', '=', id).execute();
  if (email) {
    if (deps.jobs === undefined) throw new Error('notices: e-mail notices need the jobs');
    await deps.jobs.send(NOTICE_SEND, { noticeId: id }, { transaction: trx, key: `notice:${id}` });
  }
  return { id, state };
}

/** Sends (e-mail) or prepares (forms) a notice per host; content involving a minor is also routed to child protection. */
export async function createNotices(deps: NoticeDeps, actor: Actor, caseId: number, request: ParsedNoticeRequest): Promise<{ id: number; state: NoticeState }[]> {
  return change(deps, actor, 'cases.work', caseId, async (trx) => {
    const c = await caseForNotice(trx, caseId);
    const links = await linksOf(trx, caseId, request.itemIds, true);
    requireStates(links, NOTICE_STATES_FOR[request.kind], `a ${request.kind}`);
    await refusePending(trx, caseId, request.itemIds, request.kind);
    const plans = await planNotices(trx, c, links, planOptions(request), deps.mailFromAddress, deps.now());
    const created: { id: number; state: NoticeState }[] = [];
    for (const plan of plans) {
      created.push(
        await insertNotice(
          deps,
          trx,
          {
            caseId,
            kind: request.kind,
            hostId: plan.host.id,
            escalationTarget: null,
            channel: plan.channel,
            target: plan.target,
            itemIds: plan.links.map((l) => l.itemId),
            language: plan.language,
            involvesMinor: c.involvesMinor,
            createdBy: actor.id,
          },
          (reference) => plan.render(reference),
        ),
      );
    }
    if (request.kind === 'notice' && c.involvesMinor) {
      const routed = await routeToChildProtection(deps, trx, actor, c, links, plans);
      created.push(...routed);
    }
    return { result: created, event: 'notice_created', data: { notices: created.map((n) => n.id), kind: request.kind, links: request.itemIds.length } };
  });
}

/** Content involving a minor: a report to PHAROS and the 3018 (FR) or Child Focus (BE), once per link and service. */
async function routeToChildProtection(deps: NoticeDeps, trx: Kysely<Database>, actor: Actor, c: CaseForNotice, links: readonly LinkRow[], plans: readonly PlannedNotice[]): Promise<{ id: number; state: NoticeState }[]> {
  const out: { id: number; state: NoticeState }[] = [];
  const targets = plans[0]?.alsoReportTo ?? [];
  for (const target of targets) {
    const done = await trx
      .selectFrom('notice')
      .select('item_ids')
      .where('case_id', '=', c.id)
      .where('escalation_target', '=', target)
      .where('state', '!=', 'cancelled')
      .execute();
    const covered = new Set(done.flatMap((d) => d.item_ids.map(Number)));
    const todo = links.filter((l) => !covered.has(l.itemId));
    if (todo.length === 0) continue;
    out.push(await insertEscalation(deps, trx, actor, c, todo, target, 'fr', true));
  }
  return out;
}

async function insertEscalation(deps: NoticeDeps, trx: Kysely<Database>, actor: Actor, c: CaseForNotice, links: readonly LinkRow[], target: EscalationTarget, language: Language, routing: boolean): Promise<{ id: number; state: NoticeState }> {
  const settings = await readSettings(trx);
  const entry = ESCALATIONS[target];
  const hosts = await Promise.all(links.map((l) => hostForUrl(trx, l.url)));
  const names = [...new Set(hosts.filter((h) => h !== null).map((h) => h.name))];
  const now = deps.now();
  return insertNotice(
    deps,
    trx,
    {
      caseId: c.id,
      kind: 'escalation',
      hostId: null,
      escalationTarget: target,
      routing,
      channel: null,
      target: entry.form,
      itemIds: links.map((l) => l.itemId),
      language,
      involvesMinor: c.involvesMinor,
      createdBy: actor.id,
    },
    (reference) => {
      const document = composeEscalation({
        language,
        reference,
        date: now,
        target: { name: entry.name },
        host: names.length === 0 ? null : { name: names.join(', ') },
        links: links.map((l) => ({ url: l.url, reportedAt: l.reportedAt, noticeSentAt: l.noticeSentAt })),
        country: c.country,
        involvesMinor: c.involvesMinor,
        situations: c.situations,
        offences: citedOffences(c),
        notifier: { name: settings.noticeNotifierName, email: settings.noticeNotifierEmail ?? deps.mailFromAddress ?? '' },
      });
      return { subject: document.title, text: renderNoticeText(document), document };
    },
  );
}

/** The analyst's word on a notice: a form submitted, an uncertain e-mail found sent or to resend, or cancelled. */
export async function noticeOutcome(deps: NoticeDeps, actor: Actor, caseId: number, noticeId: number, outcome: 'submitted' | 'sent' | 'cancelled' | 'resend'): Promise<NoticeState> {
  return change(deps, actor, 'cases.work', caseId, async (trx) => {
    const n = await trx.selectFrom('notice').select(['state', 'channel']).where('id', '=', noticeId).where('case_id', '=', caseId).forUpdate().executeTakeFirst();
    if (!n) throw new StaffError('NOTICE_NOT_FOUND', 404, 'no such notice in this case');
    const from = n.state;
    const allowed: Record<typeof outcome, readonly NoticeState[]> = {
      submitted: ['to_submit'],
      sent: ['uncertain'],
      resend: ['uncertain', 'failed'],
      cancelled: ['to_submit', 'uncertain', 'failed'],
    };
    if (!allowed[outcome].includes(from)) throw new StaffError('NOTICE_STATE_CONFLICT', 409, `a notice that is ${from} cannot be marked ${outcome}`);
    const now = deps.now();
    const to: NoticeState = outcome === 'resend' ? 'queued' : outcome;
    await trx.updateTable('notice').set({ state: to, updated_at: now, ...(to === 'submitted' || to === 'sent' ? { sent_at: now } : {}) }).where('id', '=', noticeId).execute();
    if (to === 'submitted' || to === 'sent') await applyDelivered(trx, noticeId, now, `staff:${actor.id}`);
    if (to === 'queued') {
      if (deps.jobs === undefined) throw new Error('notices: resending needs the jobs');
      // a new job (the first one is finished); the notice keeps its Message-ID
      await deps.jobs.send(NOTICE_SEND, { noticeId }, { transaction: trx, key: `notice:${noticeId}:resend:${now.getTime()}` });
    }
    return { result: to, event: 'notice_outcome', data: { notice: noticeId, from, outcome } };
  });
}

/** The notice as a PDF (its text, laid out; the date it was made), for forms that take a file and for the record. */
export async function noticePdf(deps: NoticeDeps, actor: Actor, caseId: number, noticeId: number): Promise<{ pdf: Uint8Array; filename: string }> {
  await authorise(deps, actor, 'cases.read', caseId);
  const n = await deps.db.selectFrom('notice').select(['content_enc', 'created_at', 'kind']).where('id', '=', noticeId).where('case_id', '=', caseId).executeTakeFirst();
  if (!n || n.content_enc === null) throw new StaffError('NOTICE_NOT_FOUND', 404, 'no such notice in this case');
  await appendAudit(deps.db, { actor: staffActor(actor), action: 'case.notice_pdf', target: caseTarget(caseId), data: { notice: noticeId } }, deps.now());
  const content = deps.sealer.open<NoticeContent>(new Uint8Array(n.content_enc));
  return { pdf: await renderNoticePdf(content.document, { createdAt: n.created_at }), filename: `halte-${n.kind}-${noticeId}.pdf` };
}

// --- the links' states ------------------------------------------------------------------------------

const PERSON_SEES: readonly TakedownState[] = ['acknowledged', 'removed', 'refused'];

async function moveLinks(trx: Kysely<Database>, caseId: number, links: readonly LinkRow[], to: TakedownState, now: Date, actor: Actor): Promise<void> {
  const refused = links.filter((l) => !mayMoveTakedown(l.state, to));
  if (refused.length > 0) throw new StaffError('TAKEDOWN_MOVE_REFUSED', 409, `link(s) ${refused.map((l) => `${l.itemId} (${l.state})`).join(', ')} cannot move to ${to}`);
  const ids = links.map((l) => l.itemId);
  await trx
    .updateTable('takedown')
    .set({
      state: to,
      state_at: now,
      ...(to === 'removed' || to === 'reported' ? { removal_proposed_at: null } : {}),
      ...(to === 'removed' ? { next_check_at: null } : {}),
      // back to reported: the content came back; a new notice starts the deadlines again
      ...(to === 'reported' ? { notice_sent_at: null, reminder_due_at: null, escalation_due_at: null, reminders_sent: 0 } : {}),
    })
    .where('item_id', 'in', ids)
    .execute();
  if (PERSON_SEES.includes(to)) {
    const hosts = await Promise.all(links.map((l) => hostForUrl(trx, l.url)));
    const names = [...new Set(hosts.map((h) => h?.name ?? null))];
    await progressEvent(trx, caseId, { state: to as 'acknowledged', host: names.length === 1 ? (names[0] ?? null) : null, count: links.length }, `staff:${actor.id}`);
  }
}

export async function moveTakedowns(deps: NoticeDeps, actor: Actor, caseId: number, itemIds: readonly number[], to: TakedownState): Promise<void> {
  await change(deps, actor, 'cases.work', caseId, async (trx) => {
    const links = await linksOf(trx, caseId, itemIds, true);
    const from = [...new Set(links.map((l) => l.state))];
    await moveLinks(trx, caseId, links, to, deps.now(), actor);
    return { result: undefined, event: 'takedown_moved', data: { links: [...itemIds], from, to } };
  });
}

export async function escalate(deps: NoticeDeps, actor: Actor, caseId: number, itemIds: readonly number[], target: EscalationTarget, language: Language | undefined): Promise<{ id: number; state: NoticeState }> {
  return change(deps, actor, 'cases.work', caseId, async (trx) => {
    const c = await caseForNotice(trx, caseId);
    const entry = ESCALATIONS[target];
    if (c.country !== 'other' && entry.country !== c.country) throw new StaffError('ESCALATION_REFUSED', 422, `${entry.name} takes reports for ${entry.country}; this case is ${c.country}`);
    const links = await linksOf(trx, caseId, itemIds, true);
    const early = links.filter((l) => !(ESCALABLE_STATES as readonly TakedownState[]).includes(l.state));
    // child-protection services take a minor's links at once; the others after the host was notified
    if (early.length > 0 && !(entry.childProtection && c.involvesMinor)) {
      throw new StaffError('ESCALATION_REFUSED', 422, `notify the host first: link(s) ${early.map((l) => l.itemId).join(', ')} have no notice yet`);
    }
    const created = await insertEscalation(deps, trx, actor, c, links, target, language ?? (entry.country === 'BE' || entry.country === 'FR' ? 'fr' : 'en'), false);
    return { result: created, event: 'takedown_escalated', data: { links: [...itemIds], target, notice: created.id } };
  });
}

export async function addReply(
  deps: NoticeDeps,
  actor: Actor,
  caseId: number,
  request: { itemIds: readonly number[]; body: string; receivedAt: Date; outcome: 'acknowledged' | 'removed' | 'refused' | null },
): Promise<{ id: number }> {
  return change(deps, actor, 'cases.work', caseId, async (trx) => {
    const links = await linksOf(trx, caseId, request.itemIds, true);
    const reply = await trx
      .insertInto('host_reply')
      .values({ case_id: caseId, item_ids: [...request.itemIds], body_enc: deps.sealer.seal(request.body), received_at: request.receivedAt, added_by: actor.id, added_at: deps.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (request.outcome !== null) {
      // a reply that says what was already recorded moves nothing for those links
      const moving = links.filter((l) => l.state !== request.outcome);
      if (moving.length > 0) await moveLinks(trx, caseId, moving, request.outcome, deps.now(), actor);
    }
    return { result: { id: Number(reply.id) }, event: 'host_reply_added', data: { reply: Number(reply.id), links: [...request.itemIds], outcome: request.outcome } };
  });
}

/** Asks the link checker to look now. */
export async function recheck(deps: NoticeDeps, actor: Actor, caseId: number, itemIds: readonly number[]): Promise<void> {
  await change(deps, actor, 'cases.work', caseId, async (trx) => {
    await linksOf(trx, caseId, itemIds, true);
    if (deps.jobs === undefined) throw new Error('notices: re-checks need the jobs');
    for (const itemId of itemIds) await deps.jobs.send(LINK_CHECK, { itemId }, { transaction: trx, key: `link-check:${itemId}:${deps.now().getTime()}` });
    return { result: undefined, event: 'link_checked', data: { links: [...itemIds], requested: true } };
  });
}

export async function dismissRemoval(deps: NoticeDeps, actor: Actor, caseId: number, itemIds: readonly number[]): Promise<void> {
  await change(deps, actor, 'cases.work', caseId, async (trx) => {
    await linksOf(trx, caseId, itemIds, true);
    await trx.updateTable('takedown').set({ removal_proposed_at: null }).where('item_id', 'in', [...itemIds]).execute();
    return { result: undefined, event: 'link_checked', data: { links: [...itemIds], dismissed: true } };
  });
}

// --- what is due ------------------------------------------------------------------------------------

const DUE_LIMIT = 500;

/**
 * What must be done by the end of today (UTC), across the cases this account works: supervisors see
 * every case, analysts unassigned cases and their own; a minor's case only with the child-safety
 * permission. Oldest first.
 */
export async function dueList(deps: NoticeDeps, actor: Actor): Promise<DueList> {
  const now = deps.now();
  const endOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  // the cases this account works: not withdrawn; a minor's only with the permission; an analyst's own or unassigned
  const visible = sql<boolean>`c.status <> 'withdrawn'
    and (${seesMinorCases(actor)} or not c.involves_minor)
    and (${actor.role !== 'analyst'} or c.assignee_id is null or c.assignee_id = ${actor.id})`;
  const base = deps.db
    .selectFrom('takedown as t')
    .innerJoin('case as c', 'c.id', 't.case_id')
    .innerJoin('case_item as i', 'i.id', 't.item_id')
    .where(visible)
    .where('i.url', 'is not', null);
  const [reported, reminders, escalations, proposals] = await Promise.all([
    base.select(['t.case_id', 't.item_id', 'i.url', 't.created_at as due', 'c.involves_minor']).where('t.state', '=', 'reported').orderBy('t.created_at').limit(DUE_LIMIT).execute(),
    base
      .select(['t.case_id', 't.item_id', 'i.url', 't.reminder_due_at as due', 'c.involves_minor'])
      .where('t.state', '=', 'notice_sent')
      .where('t.reminders_sent', '=', 0)
      .where('t.reminder_due_at', '<', endOfDay)
      .orderBy('t.reminder_due_at')
      .limit(DUE_LIMIT)
      .execute(),
    base.select(['t.case_id', 't.item_id', 'i.url', 't.escalation_due_at as due', 'c.involves_minor']).where('t.state', '=', 'no_answer').orderBy('t.escalation_due_at').limit(DUE_LIMIT).execute(),
    base.select(['t.case_id', 't.item_id', 'i.url', 't.removal_proposed_at as due', 'c.involves_minor']).where('t.removal_proposed_at', 'is not', null).orderBy('t.removal_proposed_at').limit(DUE_LIMIT).execute(),
  ]);
  const waiting = await deps.db
    .selectFrom('notice as n')
    .innerJoin('case as c', 'c.id', 'n.case_id')
    .leftJoin('host_directory as h', 'h.id', 'n.host_id')
    .select(['n.id', 'n.case_id', 'n.state', 'n.updated_at', 'n.escalation_target', 'h.name as host_name', 'c.involves_minor'])
    .where('n.state', 'in', ['to_submit', 'uncertain', 'failed'])
    .where(visible)
    .orderBy('n.updated_at')
    .limit(DUE_LIMIT)
    .execute();

  const items: DueItem[] = [];
  type LinkRow = { case_id: number; item_id: number; url: string | null; due: Date | null; involves_minor: boolean };
  const push = (r: LinkRow, reason: DueItem['reason'], hostName: string | null) =>
    items.push({ caseId: Number(r.case_id), itemId: Number(r.item_id), noticeId: null, hostname: r.url === null ? null : hostnameOf(r.url), hostName, reason, dueAt: (r.due ?? now).toISOString(), involvesMinor: r.involves_minor });
  const hostNameOf = async (r: LinkRow) => (r.url === null ? null : ((await hostForUrl(deps.db, r.url))?.name ?? null));
  // links not notified yet are due only when nobody can notify them: their host is unknown
  for (const r of reported) if ((await hostNameOf(r)) === null) push(r, 'unknown_host', null);
  for (const [rows, reason] of [[reminders, 'reminder'], [escalations, 'escalation'], [proposals, 'removal_proposed']] as const) {
    for (const r of rows) push(r, reason, await hostNameOf(r));
  }
  for (const n of waiting) {
    items.push({
      caseId: Number(n.case_id),
      itemId: null,
      noticeId: Number(n.id),
      hostname: null,
      hostName: n.host_name ?? (n.escalation_target === null ? null : ESCALATIONS[n.escalation_target].name),
      reason: n.state as 'to_submit' | 'uncertain' | 'failed',
      dueAt: n.updated_at.toISOString(),
      involvesMinor: n.involves_minor,
    });
  }
  items.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.caseId - b.caseId);
  const truncated = [reported, reminders, escalations, proposals, waiting].some((list) => list.length === DUE_LIMIT);
  return { items, truncated };
}
