// Jobs for tests: queues installed on the test database, short polling and maintenance intervals
// (production defaults: 2 s and 120 s), cron schedules off unless asked for.
import { Writable } from 'node:stream';

import type { HalteDatabase } from '../src/db/database.js';
import { installJobs, Jobs, type JobsOptions } from '../src/jobs/jobs.js';
import type { QueueDefinition } from '../src/jobs/queue.js';
import { createRootLogger, subsystemLogger, type Logger } from '../src/log/logger.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQueue = QueueDefinition<any>;

export const FAST: Omit<JobsOptions, 'logger'> = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, schedule: false, stopTimeoutMs: 5_000 };

/** Installs `queues` (with the policies given) and returns started jobs. `logger`: a root logger. */
export async function startTestJobs(
  database: HalteDatabase,
  queues: readonly AnyQueue[],
  options: { logger?: Logger; install?: boolean } & Partial<Omit<JobsOptions, 'logger'>> = {},
): Promise<Jobs> {
  const { logger = createRootLogger({ level: 'silent' }), install = true, ...rest } = options;
  const log = subsystemLogger(logger, 'jobs');
  if (install) await installJobs(database, queues, log);
  const jobs = new Jobs(database, { ...FAST, ...rest, logger: log });
  await jobs.start(queues);
  return jobs;
}

/** Resolves once `check` returns true (polled every 50 ms); fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A root logger at trace level whose lines are kept, to check what reached the logs. */
export function captureLogs(): { logger: Logger; text: () => string } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  return { logger: createRootLogger({ level: 'trace', destination }), text: () => raw.join('') };
}
