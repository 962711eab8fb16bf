// The `notice.send` queue: a notice e-mail leaves at most once. The notice row is the outbox entry
// (unique Message-ID); an attempt marks it `sending` with a lease and commits BEFORE talking to the
// SMTP server, and records `sent` after the server's 250. An attempt that finds `sending` whose lease
// ran out knows a worker died in between: the e-mail may have left, so it is never sent again by the
// machine — the notice becomes `uncertain` and an analyst checks the notices mailbox by its Message-ID
// (decision 0019: a host receiving the same notice twice is a nuisance, but the issue asks never twice,
// and the analyst can resend in one click).
import { ESCALABLE_STATES, type NoticeKind, type TakedownProgress } from '@halte/contract';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import type { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { defineQueue, JobError, type JobHandler } from '../../jobs/queue.js';
import type { Logger } from '../../log/logger.js';
import { MailDeliveryError, MailDisabledError, type Mailer } from '../../mail/mailer.js';
import { MAIL_ATTEMPT_SECONDS, MAIL_RETRY } from '../../mail/send.js';
import { readSettings } from '../cases/settings.js';
import type { NoticeDocument } from './document.js';
import { ESCALATIONS } from './escalation.js';

/** How long one attempt may take (an e-mail's: the SMTP timeouts fit well inside). Also the job's expiry. */
export const NOTICE_ATTEMPT_SECONDS = MAIL_ATTEMPT_SECONDS;

/** After a notice left, the link checker looks a first time after this, then every day. */
export const FIRST_CHECK_HOURS = 6;
export const CHECK_EVERY_HOURS = 24;

export const NoticeJob = z.strictObject({ noticeId: z.number().int().positive() });
export type NoticeJob = z.infer<typeof NoticeJob>;

export const NOTICE_SEND = defineQueue<NoticeJob>({
  name: 'notice.send',
  payload: NoticeJob,
  retry: MAIL_RETRY,
  expireInSeconds: NOTICE_ATTEMPT_SECONDS,
  retentionDays: 14,
});

/** What a notice row holds, sealed: the document (for the PDF) and the e-mail's subject and text rendered from it. */
export interface NoticeContent {
  readonly subject: string;
  readonly text: string;
  readonly document: NoticeDocument;
}

export interface OutboxDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  readonly mailer: Mailer;
  /** the `notices` logger: ids, states and codes only — never an address or a link */
  readonly log: Logger;
  readonly now?: () => Date;
  /** tests: a shorter lease, to see a dead worker's notice become uncertain quickly */
  readonly leaseSeconds?: number;
}

type Claim = { kind: 'done' } | { kind: 'busy' } | { kind: 'go'; to: string; content: NoticeContent; messageId: string; language: string };

async function claim(deps: OutboxDeps, noticeId: number, now: Date): Promise<Claim> {
  return deps.db.transaction().execute(async (trx) => {
    const n = await trx
      .selectFrom('notice as n')
      .innerJoin('case as c', 'c.id', 'n.case_id')
      .select(['n.state', 'n.lease_until', 'n.content_enc', 'n.target', 'n.message_id', 'n.case_id', 'n.language', 'c.status'])
      .where('n.id', '=', noticeId)
      .forUpdate('n')
      .executeTakeFirst();
    if (!n) return { kind: 'done' };
    if (n.state === 'sending') {
      if (n.lease_until !== null && n.lease_until > now) return { kind: 'busy' };
      // the worker holding it died after telling the SMTP server, or before: nobody can know
      await trx.updateTable('notice').set({ state: 'uncertain', lease_until: null, updated_at: now }).where('id', '=', noticeId).execute();
      await systemEvent(trx, n.case_id, 'notice_outcome', { notice: noticeId, outcome: 'uncertain' });
      deps.log.warn({ notice: noticeId }, 'a notice e-mail may or may not have left (its worker stopped): an analyst checks');
      return { kind: 'done' };
    }
    if (n.state !== 'queued') return { kind: 'done' };
    if (n.status === 'withdrawn' || n.content_enc === null || n.message_id === null) {
      await trx.updateTable('notice').set({ state: 'cancelled', updated_at: now }).where('id', '=', noticeId).execute();
      return { kind: 'done' };
    }
    const lease = new Date(now.getTime() + (deps.leaseSeconds ?? NOTICE_ATTEMPT_SECONDS) * 1000);
    await trx
      .updateTable('notice')
      .set((eb) => ({ state: 'sending', lease_until: lease, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', '=', noticeId)
      .execute();
    return { kind: 'go', to: n.target, content: deps.sealer.open<NoticeContent>(new Uint8Array(n.content_enc)), messageId: n.message_id, language: n.language };
  });
}

async function systemEvent(trx: Kysely<Database>, caseId: number, kind: 'notice_outcome' | 'notice_sent' | 'link_checked' | 'takedown_moved', data: Record<string, unknown>): Promise<void> {
  await trx.insertInto('event').values({ case_id: caseId, kind, visible_to_person: false, actor: 'system', data: JSON.stringify(data) }).execute();
}

/** The person's plain-words step: one event per change, naming the host when there is one. */
export async function progressEvent(trx: Kysely<Database>, caseId: number, progress: TakedownProgress, actor: string): Promise<void> {
  await trx.insertInto('event').values({ case_id: caseId, kind: 'takedown_progress', visible_to_person: true, actor, data: JSON.stringify(progress) }).execute();
}

/**
 * What a notice's leaving changes (e-mail accepted, or a form submitted): the links' states and
 * deadlines, the timeline for staff and, in plain words, for the person.
 */
export async function applyDelivered(trx: Kysely<Database>, noticeId: number, now: Date, actor: string): Promise<void> {
  const n = await trx
    .selectFrom('notice as n')
    .leftJoin('host_directory as h', 'h.id', 'n.host_id')
    .innerJoin('case as c', 'c.id', 'n.case_id')
    .select(['n.case_id', 'n.kind', 'n.item_ids', 'n.escalation_target', 'n.routing', 'n.involves_minor', 'h.name as host_name'])
    .where('n.id', '=', noticeId)
    .executeTakeFirstOrThrow();
  const kind: NoticeKind = n.kind;
  const items = n.item_ids.map(Number);
  if (kind === 'notice') {
    const settings = await readSettings(trx);
    const reminderHours = n.involves_minor ? settings.noticeMinorReminderHours : settings.noticeReminderHours;
    const escalationHours = n.involves_minor ? settings.noticeMinorEscalationHours : settings.noticeEscalationHours;
    const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
    const moved = await trx
      .updateTable('takedown')
      .set({
        state: 'notice_sent',
        state_at: now,
        notice_sent_at: now,
        reminder_due_at: hours(reminderHours),
        escalation_due_at: hours(escalationHours),
        next_check_at: hours(FIRST_CHECK_HOURS),
      })
      .where('item_id', 'in', items)
      .where('state', '=', 'reported')
      .returning('item_id')
      .execute();
    if (moved.length > 0) await progressEvent(trx, n.case_id, { state: 'notice_sent', host: n.host_name, count: moved.length }, actor);
  } else if (kind === 'reminder') {
    await trx
      .updateTable('takedown')
      .set((eb) => ({ reminders_sent: eb('reminders_sent', '+', 1) }))
      .where('item_id', 'in', items)
      .execute();
  } else if (n.escalation_target !== null) {
    const target = n.escalation_target;
    await trx
      .updateTable('takedown')
      .set({ escalated_to: sql`case when ${target} = any(escalated_to) then escalated_to else array_append(escalated_to, ${target}) end` })
      .where('item_id', 'in', items)
      .execute();
    // a deliberate escalation moves the links; the child-protection report beside a notice does not
    if (!n.routing) {
      await trx.updateTable('takedown').set({ state: 'escalated', state_at: now }).where('item_id', 'in', items).where('state', 'in', ESCALABLE_STATES).execute();
    }
    await progressEvent(trx, n.case_id, { state: 'escalated', host: ESCALATIONS[target].name, count: items.length }, actor);
  }
}

async function recordSent(deps: OutboxDeps, noticeId: number, now: Date): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const n = await trx
      .updateTable('notice')
      .set({ state: 'sent', sent_at: now, lease_until: null, updated_at: now })
      .where('id', '=', noticeId)
      .where('state', '=', 'sending')
      .returning(['case_id'])
      .executeTakeFirst();
    if (!n) return; // an analyst resolved it meanwhile (it had been left uncertain): nothing more
    await systemEvent(trx, n.case_id, 'notice_sent', { notice: noticeId });
    await applyDelivered(trx, noticeId, now, 'system');
  });
}

async function recordFailure(deps: OutboxDeps, noticeId: number, state: 'queued' | 'failed' | 'uncertain', now: Date, code: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const n = await trx
      .updateTable('notice')
      .set({ state, lease_until: null, updated_at: now })
      .where('id', '=', noticeId)
      .where('state', '=', 'sending')
      .returning('case_id')
      .executeTakeFirst();
    if (n && state !== 'queued') await systemEvent(trx, n.case_id, 'notice_outcome', { notice: noticeId, outcome: state, code });
  });
}

function htmlOf(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!doctype html><html><body><pre style="white-space:pre-wrap;font-family:sans-serif">${escaped}</pre></body></html>`;
}

export function noticeSendHandler(deps: OutboxDeps): JobHandler<NoticeJob> {
  return async ({ noticeId }, context) => {
    const now = deps.now ?? (() => new Date());
    const claimed = await claim(deps, noticeId, now());
    if (claimed.kind === 'done') return;
    if (claimed.kind === 'busy') throw new JobError('NOTICE_BUSY', 'another attempt is sending this notice: try later');
    try {
      await deps.mailer.send({
        to: claimed.to,
        ...(deps.mailer.from ? { bcc: deps.mailer.from.address } : {}),
        subject: claimed.content.subject,
        text: claimed.content.text,
        html: htmlOf(claimed.content.text),
        messageId: claimed.messageId,
        language: claimed.language,
      });
    } catch (error) {
      if (error instanceof MailDisabledError) {
        await recordFailure(deps, noticeId, 'queued', now(), error.code);
        throw error; // retried once e-mail is configured
      }
      if (error instanceof MailDeliveryError && error.certainlyNotDelivered) {
        // a permanent refusal (5xx) will not change by retrying: the analyst chooses another channel
        const permanent = error.responseCode !== undefined && error.responseCode >= 500;
        await recordFailure(deps, noticeId, permanent || context.lastAttempt ? 'failed' : 'queued', now(), error.code);
        if (permanent) {
          deps.log.warn({ notice: noticeId, code: error.code, reply: error.responseCode }, 'the SMTP server refused a notice for good');
          return;
        }
        throw error;
      }
      // cut mid-way: it may have been taken — never twice
      await recordFailure(deps, noticeId, 'uncertain', now(), error instanceof JobError ? error.code : 'EUNKNOWN');
      deps.log.warn({ notice: noticeId, code: error instanceof JobError ? error.code : 'EUNKNOWN' }, 'a notice e-mail may or may not have left: an analyst checks');
      return;
    }
    await recordSent(deps, noticeId, now());
    deps.log.info({ notice: noticeId, attempt: context.attempt }, 'notice sent');
  };
}
