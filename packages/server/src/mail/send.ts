// The `mail.send` queue: an e-mail is a durable job whose payload names its template, its language and
// WHERE its recipient's address is (a case's sealed contact), never the address itself. The handler
// unseals the address, renders, sends, and records the delivery by its key, so that a retry after the
// SMTP server accepted the message does not send it again (decision 0016 says what remains possible).
import { createHash } from 'node:crypto';

import { Language } from '@halte/contract';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import type { Sealer } from '../crypto/sealed.js';
import type { Database } from '../db/schema/index.js';
import type { Jobs } from '../jobs/jobs.js';
import { defineQueue, JobError, type JobHandler } from '../jobs/queue.js';
import type { Logger } from '../log/logger.js';
import { MailDisabledError, type Mailer } from './mailer.js';
import { MAIL_TEMPLATES, renderMail } from './templates.js';

/**
 * How long one sending attempt may take (the job's expiry). An attempt that started less than this ago
 * and has no outcome may still be running elsewhere: another attempt waits rather than send twice.
 */
export const MAIL_ATTEMPT_SECONDS = 5 * 60;

/**
 * 30 s, 1 min, 2 min … doubling: 12 retries span about two days, for an SMTP server that is down or
 * e-mail not configured yet. Every e-mail queue (the person's, the notices) retries this way.
 */
export const MAIL_RETRY = { limit: 12, delaySeconds: 30, backoff: true } as const;

/** Where the recipient's address is kept (sealed); the job carries only this. */
const Recipient = z.discriminatedUnion('kind', [
  /** the e-mail address of a case's contact, if the person gave one and agreed to be contacted */
  z.strictObject({ kind: z.literal('case-contact'), caseId: z.number().int().positive() }),
]);

export const MailJob = z.strictObject({
  /** the delivery's idempotency key: ids only (`followup-message:42`) */
  key: z.string().regex(/^[a-z0-9][a-z0-9:._-]{0,199}$/),
  template: z.enum(MAIL_TEMPLATES),
  language: Language,
  to: Recipient,
});
export type MailJob = z.infer<typeof MailJob>;

export const MAIL_SEND = defineQueue<MailJob>({
  name: 'mail.send',
  payload: MailJob,
  // a job with no retry left stays "failed" in the job table for 7 days, retryable
  retry: MAIL_RETRY,
  expireInSeconds: MAIL_ATTEMPT_SECONDS,
  retentionDays: 14,
});

export interface MailDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  readonly mailer: Mailer;
  /** HALTE_PUBLIC_URL: the origin of the one link an e-mail carries */
  readonly publicUrl: string;
  /** the `mail` subsystem's logger: keys, job ids, outcomes — never an address */
  readonly log: Logger;
}

/** The address to write to, unsealed, or null when there is none any more (withdrawn, no consent, no e-mail). */
async function recipientAddress(deps: MailDeps, to: MailJob['to']): Promise<string | null> {
  const row = await deps.db
    .selectFrom('case')
    .select(['contact_enc', 'consent_contact_me', 'status'])
    .where('id', '=', to.caseId)
    .executeTakeFirst();
  if (!row || row.status === 'withdrawn' || !row.consent_contact_me || row.contact_enc === null) return null;
  const contact = deps.sealer.open<{ email?: string }>(new Uint8Array(row.contact_enc));
  return contact.email ?? null;
}

function messageIdFor(key: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1);
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

type Claim = { kind: 'done' } | { kind: 'busy' } | { kind: 'go'; outcomeUnknown: boolean };

/** Marks the delivery as being sent, unless it was sent (or skipped), or another attempt is under way. */
async function claim(db: Kysely<Database>, key: string): Promise<Claim> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('mail_delivery')
      .select(['state', 'attempts', sql<boolean>`updated_at > now() - make_interval(secs => ${MAIL_ATTEMPT_SECONDS})`.as('recent')])
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirst();
    if (row?.state === 'sent' || row?.state === 'skipped') return { kind: 'done' };
    if (row?.state === 'sending' && row.recent) return { kind: 'busy' };
    if (row) {
      await trx.updateTable('mail_delivery').set({ state: 'sending', attempts: row.attempts + 1, updated_at: sql<Date>`now()` }).where('key', '=', key).execute();
      return { kind: 'go', outcomeUnknown: row.state === 'sending' };
    }
    const inserted = await trx.insertInto('mail_delivery').values({ key, state: 'sending', attempts: 1 }).onConflict((c) => c.doNothing()).executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n ? { kind: 'go', outcomeUnknown: false } : { kind: 'busy' };
  });
}

async function mark(db: Kysely<Database>, key: string, state: 'sent' | 'failed' | 'skipped'): Promise<void> {
  await db
    .insertInto('mail_delivery')
    .values({ key, state, attempts: 0, sent_at: state === 'sent' ? sql<Date>`now()` : null })
    .onConflict((c) =>
      c
        .column('key')
        .doUpdateSet({ state, updated_at: sql<Date>`now()`, sent_at: state === 'sent' ? sql<Date>`now()` : null })
        .where('mail_delivery.state', '<>', 'sent'),
    )
    .execute();
}

export function mailSendHandler(deps: MailDeps): JobHandler<MailJob> {
  return async (mail, job) => {
    const fields = { job: job.id, key: mail.key, template: mail.template, attempt: job.attempt };
    const known = await deps.db.selectFrom('mail_delivery').select('state').where('key', '=', mail.key).executeTakeFirst();
    if (known?.state === 'sent' || known?.state === 'skipped') {
      deps.log.info({ ...fields, state: known.state }, 'e-mail already handled under its key: not sent again');
      return;
    }
    const address = await recipientAddress(deps, mail.to);
    if (address === null) {
      await mark(deps.db, mail.key, 'skipped');
      deps.log.info(fields, 'e-mail not sent: no address any more, or no consent to be contacted');
      return;
    }
    if (!deps.mailer.enabled || deps.mailer.from === null) throw new MailDisabledError();
    const claimed = await claim(deps.db, mail.key);
    if (claimed.kind === 'done') return;
    if (claimed.kind === 'busy') throw new JobError('MAIL_IN_PROGRESS', 'another attempt at this e-mail started less than 5 minutes ago; retried later');
    if (claimed.outcomeUnknown) {
      deps.log.warn(fields, 'an earlier attempt ended without a known outcome (the process stopped): sending again with the same Message-ID');
    }
    const rendered = renderMail(mail.template, mail.language, { publicUrl: deps.publicUrl });
    try {
      await deps.mailer.send({ to: address, ...rendered, messageId: messageIdFor(mail.key, deps.mailer.from.address), language: mail.language });
    } catch (error) {
      // refused or never connected: nothing was accepted, the retry may send
      await mark(deps.db, mail.key, 'failed');
      throw error;
    }
    await mark(deps.db, mail.key, 'sent');
    deps.log.info(fields, 'e-mail accepted by the SMTP server');
  };
}

/**
 * Queues the e-mail telling a person that a message from the team waits in their follow-up — in the
 * caller's transaction, the one that stores the message: both commit, or neither. One e-mail per
 * message; it goes only if the case still has an e-mail address and the person agreed to be contacted
 * when it is sent.
 */
export function sendFollowupMessageMail(
  jobs: Pick<Jobs, 'send'>,
  transaction: Kysely<Database>,
  mail: { readonly caseId: number; readonly messageId: number; readonly language: Language },
): Promise<string | null> {
  const key = `followup-message:${mail.messageId}`;
  return jobs.send(MAIL_SEND, { key, template: 'followup-message-waiting', language: mail.language, to: { kind: 'case-contact', caseId: mail.caseId } }, { key, transaction });
}
