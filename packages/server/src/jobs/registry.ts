// Every queue of the server, listed explicitly (as the migrations are): `halte migrate` creates them,
// `halte serve` checks them and runs their workers. A new kind of job adds its queue and worker here.
import type { Sealer } from '../crypto/sealed.js';
import type { HalteDatabase } from '../db/database.js';
import { subsystemLogger, type Logger } from '../log/logger.js';
import type { Mailer } from '../mail/mailer.js';
import { MAIL_SEND, mailSendHandler } from '../mail/send.js';
import { WEBHOOK_DELIVER, WEBHOOK_WORKERS, webhookDeliverHandler, WebhookDispatcher, type WebhookOptions } from '../modules/bank/webhooks.js';
import { NOTICE_SEND, noticeSendHandler } from '../modules/notices/outbox.js';
import { LINK_CHECK, NOTICE_SWEEP, workTakedowns } from '../modules/notices/sweep.js';
import { HOUSEKEEPING_QUEUES, workHousekeeping } from './housekeeping.js';
import { installJobs, Jobs, type JobsOptions } from './jobs.js';

export const QUEUES = [MAIL_SEND, WEBHOOK_DELIVER, NOTICE_SEND, NOTICE_SWEEP, LINK_CHECK, ...HOUSEKEEPING_QUEUES] as const;

/** `halte migrate`: pg-boss's schema and every queue (after the application's migrations). */
export function installQueues(database: HalteDatabase, logger: Logger): Promise<{ created: boolean }> {
  return installJobs(database, QUEUES, subsystemLogger(logger, 'jobs'));
}

export interface WorkerDeps {
  readonly database: HalteDatabase;
  readonly sealer: Sealer;
  readonly mailer: Mailer;
  readonly publicUrl: string;
  /** the process's root logger */
  readonly logger: Logger;
  /** webhook batches, timeout and dispatch interval (tests); the defaults otherwise */
  readonly webhooks?: Partial<WebhookOptions>;
  /** HALTE_LINK_CHECK_ALLOW_HOSTS (tests reach their local server) */
  readonly linkCheckAllowHosts?: readonly string[];
}

/** The jobs of a process (nothing runs before startJobs); HTTP routes send through it. */
export function createJobs(database: HalteDatabase, logger: Logger, options: Omit<JobsOptions, 'logger'> = {}): Jobs {
  return new Jobs(database, { ...options, logger: subsystemLogger(logger, 'jobs') });
}

/**
 * `halte serve`: checks the queues (installQueues made them), runs every queue's worker in this process,
 * and the webhook dispatcher (it sends deliveries when the bank changes), which stops with the jobs.
 */
export async function startJobs(jobs: Jobs, deps: WorkerDeps): Promise<void> {
  await jobs.start(QUEUES);
  const db = deps.database.db;
  const bank = { db, sealer: deps.sealer, jobs, log: subsystemLogger(deps.logger, 'bank') };
  try {
    await jobs.work(MAIL_SEND, mailSendHandler({ db, sealer: deps.sealer, mailer: deps.mailer, publicUrl: deps.publicUrl, log: subsystemLogger(deps.logger, 'mail') }));
    await jobs.work(WEBHOOK_DELIVER, webhookDeliverHandler({ ...bank, options: deps.webhooks ?? {} }), { concurrency: WEBHOOK_WORKERS });
    const noticesLog = subsystemLogger(deps.logger, 'notices');
    await jobs.work(NOTICE_SEND, noticeSendHandler({ db, sealer: deps.sealer, mailer: deps.mailer, log: noticesLog }));
    await workTakedowns(jobs, { db, log: noticesLog, allowHosts: deps.linkCheckAllowHosts ?? [] });
    await workHousekeeping(jobs, db, subsystemLogger(deps.logger, 'jobs'));
  } catch (error) {
    await jobs.stop();
    throw error;
  }
  const dispatcher = new WebhookDispatcher(bank, deps.webhooks?.dispatchIntervalMs);
  dispatcher.start();
  // it sends jobs and queries the database: it ends before they do
  jobs.beforeStop(() => dispatcher.stop());
}
