// Durable jobs in the database (pg-boss 10; decision 0016): a side effect (an e-mail, later a notice,
// a webhook, a check-in alert) is a row that survives a crash, is claimed by one worker with
// FOR UPDATE SKIP LOCKED, retried with back-off, and — when the caller passes its transaction —
// committed together with the rows that caused it.
import PgBoss from 'pg-boss';
import type { Kysely } from 'kysely';

import type { HalteDatabase } from '../db/database.js';
import type { Database } from '../db/schema/index.js';
import type { Logger } from '../log/logger.js';
import { databaseBossDb, transactionBossDb, type DatabaseBossDb } from './adapter.js';
import {
  jobIdForKey,
  JobsNotInstalledError,
  safeJobError,
  type JobHandler,
  type JobPayload,
  type QueueDefinition,
} from './queue.js';

/** pg-boss's tables live in their own schema, created and upgraded by pg-boss itself. */
export const JOBS_SCHEMA = 'pgboss';

// @NOTE any queue definition, whatever its payload type (function parameters are contravariant)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyQueue = QueueDefinition<any>;

export interface SendOptions {
  /**
   * Idempotency key (ids only, never personal data): while a job sent with the same key is kept, sending
   * again adds nothing and returns null. Handlers stay idempotent anyway: keys are forgotten once their
   * job is archived.
   */
  readonly key?: string;
  /** Do not start before this date, or this many seconds from now. */
  readonly startAfter?: Date | number;
  /** Overrides the queue's retry policy for this job. */
  readonly retryLimit?: number;
  readonly retryDelaySeconds?: number;
  readonly retryBackoff?: boolean;
  /**
   * The caller's transaction: the job is inserted through it, so it exists if and only if the
   * transaction commits ("the row and its job commit together"). On PGlite, a send inside a transaction
   * MUST pass it (the one connection is held by the transaction until it ends).
   */
  readonly transaction?: Kysely<Database>;
}

export interface WorkOptions {
  /** jobs of this queue run side by side in this process (default 1) */
  readonly concurrency?: number;
  /** how often an idle worker of this queue looks for jobs (default: the JobsOptions value) */
  readonly pollingIntervalSeconds?: number;
}

export interface JobsOptions {
  /** the `jobs` subsystem's logger: job ids, queue names, attempts, counts — never payload values */
  readonly logger: Logger;
  /** how often an idle worker looks for jobs (default 2 s; at least 0.5 s) */
  readonly pollingIntervalSeconds?: number;
  /**
   * how often maintenance runs (default 120 s): jobs active past their expiry (their process died) are
   * failed and retried; finished jobs are archived and deleted
   */
  readonly maintenanceIntervalSeconds?: number;
  /** run the queues' cron schedules (default true) */
  readonly schedule?: boolean;
  /** how long stop() lets running jobs finish before they are left to be retried (default 10 s) */
  readonly stopTimeoutMs?: number;
}

/** A job as the tests and an operator see it. */
export interface JobState {
  readonly id: string;
  readonly state: 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';
  readonly retryCount: number;
  readonly retryLimit: number;
  readonly startAfter: Date;
  readonly output: unknown;
}

/** What pg-boss is told about a queue: the definition's policy. */
function queueOptions(queue: AnyQueue): PgBoss.Queue {
  return {
    name: queue.name,
    policy: 'standard',
    retryLimit: queue.retry.limit,
    retryDelay: queue.retry.delaySeconds,
    retryBackoff: queue.retry.backoff,
    expireInSeconds: queue.expireInSeconds,
    retentionMinutes: queue.retentionDays * 24 * 60,
  };
}

function onBossError(log: Logger) {
  return (error: Error & { code?: string; queue?: string }) => {
    log.error({ err: { name: error.name, code: error.code, message: error.message }, queue: error.queue }, 'job queue error');
  };
}

/**
 * Creates or upgrades pg-boss's schema (its own versioned migrations, under an advisory lock), then the
 * queues with their policies and schedules. Idempotent; run by `halte migrate` and `halte serve` after
 * the application's migrations.
 */
export async function installJobs(database: HalteDatabase, queues: readonly AnyQueue[], log: Logger): Promise<{ created: boolean }> {
  const db = databaseBossDb(database);
  const boss = new PgBoss({ db, schema: JOBS_SCHEMA, migrate: true, supervise: false, schedule: false });
  boss.on('error', onBossError(log));
  const before = await boss.isInstalled();
  await boss.start();
  try {
    for (const queue of queues) {
      const options = queueOptions(queue);
      await boss.createQueue(queue.name, options); // nothing if it exists
      await boss.updateQueue(queue.name, options); // the policy as the code declares it now
      if (queue.schedule) await boss.schedule(queue.name, queue.schedule.cron, queue.schedule.payload, { tz: 'UTC' });
      else await boss.unschedule(queue.name);
    }
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
  return { created: !before };
}

export class Jobs {
  readonly #database: HalteDatabase;
  readonly #db: DatabaseBossDb;
  readonly #boss: PgBoss;
  readonly #log: Logger;
  readonly #polling: number;
  readonly #stopTimeoutMs: number;
  readonly #running = new Set<Promise<unknown>>();
  readonly #beforeStop: (() => Promise<void>)[] = [];
  #state: 'new' | 'started' | 'stopping' | 'stopped' = 'new';

  constructor(database: HalteDatabase, options: JobsOptions) {
    this.#database = database;
    this.#db = databaseBossDb(database);
    this.#log = options.logger;
    this.#polling = options.pollingIntervalSeconds ?? 2;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
    this.#boss = new PgBoss({
      db: this.#db,
      schema: JOBS_SCHEMA,
      migrate: false,
      schedule: options.schedule ?? true,
      supervise: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 120,
      pollingIntervalSeconds: this.#polling,
      // Completed jobs stay 12 h in the job table; failed ones (no retry left) 7 days, where an operator
      // can still retry them; then 7 days in the archive. Payloads are ids only.
      archiveCompletedAfterSeconds: 12 * 60 * 60,
      archiveFailedAfterSeconds: 7 * 24 * 60 * 60,
      deleteAfterDays: 7,
    });
    this.#boss.on('error', onBossError(this.#log));
  }

  /**
   * Starts maintenance and schedules. Throws JobsNotInstalledError if the schema or a queue is missing
   * or out of date (`halte serve --no-migrate` before `halte migrate`).
   */
  async start(queues: readonly AnyQueue[]): Promise<void> {
    if (this.#state !== 'new') throw new Error('jobs: start() once');
    try {
      await this.#boss.start();
    } catch (error) {
      this.#state = 'stopped';
      const message = error instanceof Error ? error.message : String(error);
      if (/not installed|requires migrations/.test(message)) {
        throw new JobsNotInstalledError(`the job tables are missing or out of date (${message}): run "halte migrate"`);
      }
      throw error;
    }
    this.#state = 'started';
    const present = new Set((await this.#boss.getQueues()).map((q) => q.name));
    const missing = queues.filter((q) => !present.has(q.name)).map((q) => q.name);
    if (missing.length > 0) {
      await this.stop();
      throw new JobsNotInstalledError(`job queues missing (${missing.join(', ')}): run "halte migrate"`);
    }
    this.#log.info({ queues: queues.length, database: this.#database.kind }, 'jobs started');
  }

  /**
   * Queues a job; returns its id, or null when a job with the same `key` is already kept. Works without
   * start() (only the tables are needed), so a process that only sends can use it.
   */
  async send<P extends JobPayload>(queue: QueueDefinition<P>, payload: P, options: SendOptions = {}): Promise<string | null> {
    const data = queue.payload.parse(payload);
    const db = options.transaction ? transactionBossDb(options.transaction) : this.#db;
    const id = await this.#boss.send(queue.name, data, {
      ...(options.key === undefined ? {} : { id: jobIdForKey(queue.name, options.key), singletonKey: options.key }),
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
      ...(options.retryLimit === undefined ? {} : { retryLimit: options.retryLimit }),
      ...(options.retryDelaySeconds === undefined ? {} : { retryDelay: options.retryDelaySeconds }),
      ...(options.retryBackoff === undefined ? {} : { retryBackoff: options.retryBackoff }),
      db,
    }).catch((error: unknown) => {
      // 3F000: no such schema, 42P01: no such table
      const code = (error as { code?: unknown }).code;
      if (code === '3F000' || code === '42P01') throw new JobsNotInstalledError('the job tables do not exist: run "halte migrate"');
      throw error;
    });
    if (id === null) {
      // pg-boss inserts nothing both for a known key and for an unknown queue: tell them apart
      const known = await db.executeSql(`select 1 from ${JOBS_SCHEMA}.queue where name = $1`, [queue.name]);
      if (known.rows.length === 0) throw new JobsNotInstalledError(`job queue ${queue.name} does not exist: run "halte migrate"`);
      if (options.key === undefined) throw new Error(`jobs: queue ${queue.name} refused a job`);
      this.#log.debug({ queue: queue.name }, 'job already queued under its key');
      return null;
    }
    this.#log.debug({ queue: queue.name, job: id, inTransaction: options.transaction !== undefined }, 'job queued');
    return id;
  }

  /** Runs `handler` for the queue's jobs in this process, until stop(). */
  async work<P extends JobPayload>(queue: QueueDefinition<P>, handler: JobHandler<P>, options: WorkOptions = {}): Promise<void> {
    if (this.#state !== 'started') throw new Error('jobs: work() after start() and before stop()');
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      const pollingIntervalSeconds = options.pollingIntervalSeconds ?? this.#polling;
      await this.#boss.work<P>(queue.name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
        if (job) await this.#track(this.#run(queue, handler, job));
      });
    }
  }

  async #track(running: Promise<void>): Promise<void> {
    this.#running.add(running);
    try {
      await running;
    } finally {
      this.#running.delete(running);
    }
  }

  async #run<P extends JobPayload>(queue: QueueDefinition<P>, handler: JobHandler<P>, job: PgBoss.JobWithMetadata<P>): Promise<void> {
    const context = { id: job.id, queue: queue.name, attempt: job.retryCount + 1, lastAttempt: job.retryCount >= job.retryLimit };
    const started = Date.now();
    try {
      const payload = queue.payload.parse(job.data);
      await handler(payload, context);
      this.#log.debug({ queue: queue.name, job: job.id, attempt: context.attempt, ms: Date.now() - started }, 'job done');
    } catch (error) {
      const safe = safeJobError(error);
      const fields = { queue: queue.name, job: job.id, attempt: context.attempt, err: { name: safe.name, code: safe.code, message: safe.message } };
      if (context.lastAttempt) this.#log.error(fields, 'job failed and has no retry left');
      else this.#log.warn(fields, 'job failed; it will be retried');
      throw safe; // pg-boss stores it with the job and schedules the retry
    }
  }

  /** A job's state (tests, operators). */
  async job(queue: AnyQueue, id: string): Promise<JobState | null> {
    const job = await this.#boss.getJobById(queue.name, id, { includeArchive: true });
    if (!job) return null;
    return { id: job.id, state: job.state, retryCount: job.retryCount, retryLimit: job.retryLimit, startAfter: job.startAfter, output: job.output };
  }

  /**
   * Stops taking jobs, lets running ones finish (up to the stop timeout; any still running then is
   * failed and retried later, by this or another process), and waits for the job tables' last writes.
   * Call it before closing the database.
   */
  /**
   * Runs `hook` when stop() begins, before the workers stop: for what sends jobs on its own (the webhook
   * dispatcher), which must end before the jobs and the database do.
   */
  beforeStop(hook: () => Promise<void>): void {
    this.#beforeStop.push(hook);
  }

  async stop(): Promise<void> {
    for (const hook of this.#beforeStop.splice(0)) {
      await hook().catch((error: unknown) => this.#log.error({ err: safeJobError(error) }, 'a stop hook failed'));
    }
    if (this.#state !== 'started') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    const deadline = Date.now() + this.#stopTimeoutMs;
    try {
      await this.#boss.stop({ graceful: true, wait: true, close: false, timeout: this.#stopTimeoutMs });
    } catch (error) {
      // the database must still be closed cleanly; jobs left active expire and are retried
      this.#log.error({ err: safeJobError(error) }, 'jobs did not stop cleanly');
    }
    // a job fetched while pg-boss stopped still runs (it is marked active): wait for it and its completion
    while (this.#running.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.#running]), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()).unref())]);
    }
    const drained = await this.#db.drain(deadline);
    if (this.#running.size > 0 || !drained) {
      this.#log.warn({ running: this.#running.size }, 'jobs still running at stop: they will expire and be retried');
    }
    this.#state = 'stopped';
    this.#log.info('jobs stopped');
  }
}
