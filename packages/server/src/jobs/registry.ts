// Every queue of the server, listed explicitly (as the migrations are): `halte migrate` creates them,
// `halte serve` checks them and runs their workers. A new kind of job adds its queue and worker here.
import type { Sealer } from '../crypto/sealed.js';
import type { HalteDatabase } from '../db/database.js';
import { subsystemLogger, type Logger } from '../log/logger.js';
import type { Mailer } from '../mail/mailer.js';
import { MAIL_SEND, mailSendHandler } from '../mail/send.js';
import { HOUSEKEEPING_QUEUES, workHousekeeping } from './housekeeping.js';
import { installJobs, Jobs, type JobsOptions } from './jobs.js';

export const QUEUES = [MAIL_SEND, ...HOUSEKEEPING_QUEUES] as const;

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
}

/** The jobs of a process (nothing runs before startJobs); HTTP routes send through it. */
export function createJobs(database: HalteDatabase, logger: Logger, options: Omit<JobsOptions, 'logger'> = {}): Jobs {
  return new Jobs(database, { ...options, logger: subsystemLogger(logger, 'jobs') });
}

/** `halte serve`: checks the queues (installQueues made them) and runs every queue's worker in this process. */
export async function startJobs(jobs: Jobs, deps: WorkerDeps): Promise<void> {
  await jobs.start(QUEUES);
  try {
    const db = deps.database.db;
    await jobs.work(MAIL_SEND, mailSendHandler({ db, sealer: deps.sealer, mailer: deps.mailer, publicUrl: deps.publicUrl, log: subsystemLogger(deps.logger, 'mail') }));
    await workHousekeeping(jobs, db, subsystemLogger(deps.logger, 'jobs'));
  } catch (error) {
    await jobs.stop();
    throw error;
  }
}
