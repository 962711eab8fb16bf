// Retention sweeps, scheduled jobs that delete what Halte must not keep. Each is one idempotent DELETE
// by age (running it twice, or on two replicas at once, deletes nothing more). The periods are the
// ones docs/decisions/0016 and the threat model state.
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../db/schema/index.js';
import type { Logger } from '../log/logger.js';
import { SESSION_IDLE_MINUTES } from '../modules/staff/sessions.js';
import type { Jobs } from './jobs.js';
import { defineQueue } from './queue.js';

export const RETENTION = {
  /**
   * The stored answer of a report (it holds the case's PIN, sealed), kept so that a retried submission
   * gets it back. The web app retries within the page's life, so a day is ample.
   */
  idempotencyAnswerHours: 24,
  /** The record that an e-mail was sent (a key and dates; no address): far longer than any mail job lives. */
  mailDeliveryDays: 30,
  /** The log of webhook attempts (times, statuses, counts; no content): what an operator needs to help a partner. */
  webhookDeliveryDays: 30,
} as const;

const NoPayload = z.strictObject({});
/** A queue run by a cron schedule (UTC), with no payload: a periodic sweep. */
export const sweep = (name: string, cron: string) =>
  defineQueue<Record<string, never>>({
    name,
    payload: NoPayload,
    retry: { limit: 2, delaySeconds: 60, backoff: false },
    expireInSeconds: 5 * 60,
    retentionDays: 1,
    schedule: { cron, payload: {} },
  });

/** Follow-up sessions past their 30 minutes (login also deletes them, but only when someone logs in). */
export const SWEEP_FOLLOWUP_SESSIONS = sweep('housekeeping.followup-sessions', '*/10 * * * *');
export const SWEEP_IDEMPOTENCY_ANSWERS = sweep('housekeeping.idempotency-answers', '7 * * * *');
/** Staff sessions idle too long or past their 12 hours (the session check refuses them already; this removes them). */
export const SWEEP_STAFF_SESSIONS = sweep('housekeeping.staff-sessions', '*/10 * * * *');
export const SWEEP_MAIL_DELIVERIES = sweep('housekeeping.mail-deliveries', '37 3 * * *');
export const SWEEP_WEBHOOK_DELIVERIES = sweep('housekeeping.webhook-deliveries', '47 3 * * *');

export const HOUSEKEEPING_QUEUES = [SWEEP_FOLLOWUP_SESSIONS, SWEEP_IDEMPOTENCY_ANSWERS, SWEEP_MAIL_DELIVERIES, SWEEP_STAFF_SESSIONS, SWEEP_WEBHOOK_DELIVERIES] as const;

const deleted = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows);

export async function sweepFollowupSessions(db: Kysely<Database>): Promise<number> {
  return deleted(await db.deleteFrom('followup_session').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst());
}

export async function sweepStaffSessions(db: Kysely<Database>): Promise<number> {
  return deleted(
    await db
      .deleteFrom('staff_session')
      .where((eb) =>
        eb.or([eb('expires_at', '<', sql<Date>`now()`), eb('last_seen_at', '<', sql<Date>`now() - make_interval(mins => ${SESSION_IDLE_MINUTES})`)]),
      )
      .executeTakeFirst(),
  );
}

export async function sweepIdempotencyAnswers(db: Kysely<Database>): Promise<number> {
  return deleted(
    await db
      .deleteFrom('idempotency_key')
      .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${RETENTION.idempotencyAnswerHours})`)
      .executeTakeFirst(),
  );
}

export async function sweepWebhookDeliveries(db: Kysely<Database>): Promise<number> {
  return deleted(
    await db
      .deleteFrom('webhook_delivery')
      .where('at', '<', sql<Date>`now() - make_interval(days => ${RETENTION.webhookDeliveryDays})`)
      .executeTakeFirst(),
  );
}

export async function sweepMailDeliveries(db: Kysely<Database>): Promise<number> {
  return deleted(
    await db
      .deleteFrom('mail_delivery')
      .where('created_at', '<', sql<Date>`now() - make_interval(days => ${RETENTION.mailDeliveryDays})`)
      .executeTakeFirst(),
  );
}

/** Sweeps run at most every few minutes: their workers need not look for jobs every 2 s. */
const SWEEP_POLLING_SECONDS = 30;

export async function workHousekeeping(jobs: Jobs, db: Kysely<Database>, log: Logger, pollingIntervalSeconds = SWEEP_POLLING_SECONDS): Promise<void> {
  const sweeps = [
    [SWEEP_FOLLOWUP_SESSIONS, sweepFollowupSessions],
    [SWEEP_IDEMPOTENCY_ANSWERS, sweepIdempotencyAnswers],
    [SWEEP_MAIL_DELIVERIES, sweepMailDeliveries],
    [SWEEP_STAFF_SESSIONS, sweepStaffSessions],
    [SWEEP_WEBHOOK_DELIVERIES, sweepWebhookDeliveries],
  ] as const;
  for (const [queue, run] of sweeps) {
    await jobs.work(queue, async (_payload, job) => {
      const count = await run(db);
      log[count > 0 ? 'info' : 'debug']({ queue: queue.name, job: job.id, deleted: count }, 'retention sweep');
    }, { pollingIntervalSeconds });
  }
}
