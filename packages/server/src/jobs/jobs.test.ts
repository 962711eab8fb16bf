import PgBoss from 'pg-boss';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { captureLogs, sleep, startTestJobs, waitFor } from '../../test/jobs.js';
import { BACKENDS, createTestDatabase } from '../../test/database.js';
import type { HalteDatabase } from '../db/database.js';
import { createRootLogger } from '../log/logger.js';
import { databaseBossDb } from './adapter.js';
import { installJobs, Jobs, JOBS_SCHEMA } from './jobs.js';
import { defineQueue, JobError, JobsNotInstalledError, jobIdForKey } from './queue.js';

const N = z.strictObject({ n: z.number().int() });
const queue = (name: string, extra: { limit?: number; expireInSeconds?: number } = {}) =>
  defineQueue({ name, payload: N, retry: { limit: extra.limit ?? 2, delaySeconds: 0, backoff: false }, expireInSeconds: extra.expireInSeconds ?? 60, retentionDays: 1 });

const ECHO = queue('test.echo');
const CRASHY = queue('test.crashy', { expireInSeconds: 1 });
const SLOW = queue('test.slow', { expireInSeconds: 30 });
const LEAKY = queue('test.leaky', { limit: 0 });
const QUEUES = [ECHO, CRASHY, SLOW, LEAKY];

const silent = createRootLogger({ level: 'silent' });

async function jobRows(database: HalteDatabase, name: string, n: number): Promise<number> {
  const { rows } = await sql<{ count: number }>`select count(*)::int as count from pgboss.job where name = ${name} and (data->>'n')::int = ${n}`.execute(database.db);
  return rows[0]?.count ?? 0;
}

describe.each(BACKENDS)('durable jobs (%s)', (backend) => {
  let database: HalteDatabase;
  let jobs: Jobs | undefined;
  const runs = new Map<string, number[]>();
  const record = (queueName: string) => async ({ n }: { n: number }) => {
    runs.set(`${queueName}:${n}`, [...(runs.get(`${queueName}:${n}`) ?? []), Date.now()]);
  };
  const count = (queueName: string, n: number) => runs.get(`${queueName}:${n}`)?.length ?? 0;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    await installJobs(database, QUEUES, silent);
  });
  afterEach(async () => {
    await jobs?.stop();
    jobs = undefined;
  });
  afterAll(async () => {
    await database.close();
  });

  it('runs a job it was sent, once', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false });
    await jobs.work(ECHO, record(ECHO.name));
    const id = await jobs.send(ECHO, { n: 1 });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => count(ECHO.name, 1) === 1, 20_000, 'the job');
    await sleep(1_200); // two more polls find nothing
    expect(count(ECHO.name, 1)).toBe(1);
    expect(await jobs.job(ECHO, id as string)).toMatchObject({ state: 'completed', retryCount: 0 });
  });

  it('adds nothing for an idempotency key it already holds', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false });
    const first = await jobs.send(ECHO, { n: 2 }, { key: 'echo-2' });
    const again = await jobs.send(ECHO, { n: 2 }, { key: 'echo-2' });
    expect(first).toBe(jobIdForKey(ECHO.name, 'echo-2'));
    expect(again).toBeNull();
    await jobs.work(ECHO, record(ECHO.name));
    await waitFor(() => count(ECHO.name, 2) === 1);
    expect(await jobs.send(ECHO, { n: 2 }, { key: 'echo-2' })).toBeNull(); // done, but kept: still nothing
    await sleep(1_200);
    expect(count(ECHO.name, 2)).toBe(1);
  });

  it('refuses a payload that does not match the queue', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false });
    await expect(jobs.send(ECHO, { n: 'x' } as unknown as { n: number })).rejects.toThrow();
    await expect(jobs.send(ECHO, { n: 3, email: 'a@b.example' } as unknown as { n: number })).rejects.toThrow();
  });

  it('commits a job with the transaction that sent it, and never runs one whose transaction rolled back', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false });
    await jobs.work(ECHO, record(ECHO.name));
    const sender = jobs;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('mail_delivery').values({ key: 'rolled-back-row', state: 'skipped' }).execute();
        expect(await sender.send(ECHO, { n: 10 }, { transaction: trx })).not.toBeNull();
        throw new Error('the caller fails after sending');
      }),
    ).rejects.toThrow('the caller fails');
    expect(await jobRows(database, ECHO.name, 10)).toBe(0);
    expect(await database.db.selectFrom('mail_delivery').where('key', '=', 'rolled-back-row').selectAll().execute()).toEqual([]);

    await database.db.transaction().execute(async (trx) => {
      await trx.insertInto('mail_delivery').values({ key: 'committed-row', state: 'skipped' }).execute();
      await sender.send(ECHO, { n: 11 }, { transaction: trx });
    });
    expect(await jobRows(database, ECHO.name, 11)).toBe(1);
    await waitFor(() => count(ECHO.name, 11) === 1);
    await sleep(1_200);
    expect(count(ECHO.name, 10)).toBe(0);
    expect(count(ECHO.name, 11)).toBe(1);
  });

  it('keeps its statements out of a transaction the application holds open', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false });
    await jobs.work(ECHO, record(ECHO.name));
    const id = (await jobs.send(ECHO, { n: 12 })) as string;
    // While this transaction is open (several polls long), pg-boss's claim and completion must not land
    // in it: on PGlite they wait their turn, on PostgreSQL they use other connections. If they did land
    // in it, the rollback would undo them and the job would run a second time.
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.insertInto('mail_delivery').values({ key: 'held-open', state: 'skipped' }).execute();
        await sleep(1_500);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    await waitFor(() => count(ECHO.name, 12) === 1);
    await sleep(1_200);
    expect(count(ECHO.name, 12)).toBe(1);
    await waitFor(async () => (await jobs?.job(ECHO, id))?.state === 'completed', 5_000, 'completion');
  });

  it('leaves the connection usable when one of pg-boss’s multi-statement scripts fails', async () => {
    const db = databaseBossDb(database);
    await expect(db.executeSql('BEGIN; SELECT 1/0; COMMIT;')).rejects.toThrow(/division by zero/);
    expect(await database.db.selectFrom('mail_delivery').select('key').limit(1).execute()).toBeInstanceOf(Array);
    expect((await db.executeSql('select $1::int as x', [7])).rows).toEqual([{ x: 7 }]);
  });

  it('after a crash, runs every pending job exactly once on the next start', async () => {
    // The first process: sends two jobs, and a worker of it claims one and dies before completing it.
    const first = await startTestJobs(database, QUEUES, { install: false });
    const claimedId = (await first.send(CRASHY, { n: 1 })) as string;
    const pendingId = (await first.send(CRASHY, { n: 2 })) as string;
    const dying = new PgBoss({ db: databaseBossDb(database), schema: JOBS_SCHEMA, migrate: false, supervise: false, schedule: false });
    const [claimed] = await dying.fetch<{ n: number }>(CRASHY.name);
    expect(claimed?.id).toBe(claimedId);
    await first.stop(); // the rest of that process goes away; the claimed job stays "active", unfinished

    // The next process on the same database.
    jobs = await startTestJobs(database, QUEUES, { install: false });
    await jobs.work(CRASHY, record(CRASHY.name));
    await waitFor(() => count(CRASHY.name, 2) === 1, 20_000, 'the pending job');
    // the claimed one is expired by maintenance (expireInSeconds 1) and retried
    await waitFor(() => count(CRASHY.name, 1) === 1, 20_000, 'the job claimed by the dead worker');
    await sleep(2_500);
    expect([count(CRASHY.name, 1), count(CRASHY.name, 2)]).toEqual([1, 1]);
    expect(await jobs.job(CRASHY, claimedId)).toMatchObject({ state: 'completed', retryCount: 1 });
    expect(await jobs.job(CRASHY, pendingId)).toMatchObject({ state: 'completed', retryCount: 0 });
  });

  it('on stop, lets a running job finish; one that outlasts the stop is retried later, not lost', async () => {
    jobs = await startTestJobs(database, QUEUES, { install: false, stopTimeoutMs: 1_000 });
    const finished: number[] = [];
    let started = 0;
    await jobs.work(SLOW, async ({ n }) => {
      started++;
      await sleep(n);
      finished.push(n);
    });
    const quick = (await jobs.send(SLOW, { n: 600 })) as string;
    await waitFor(() => started === 1);
    await jobs.stop();
    expect(finished).toEqual([600]);
    expect(await jobs.job(SLOW, quick)).toMatchObject({ state: 'completed' });

    jobs = await startTestJobs(database, QUEUES, { install: false, stopTimeoutMs: 1_000 });
    await jobs.work(SLOW, async ({ n }) => {
      started++;
      await sleep(n);
      finished.push(n);
    });
    const long = (await jobs.send(SLOW, { n: 2_500 })) as string;
    await waitFor(() => started === 2);
    await jobs.stop();
    expect(await jobs.job(SLOW, long)).toMatchObject({ state: 'retry' });
    await waitFor(() => finished.length === 2, 5_000, 'the cut-short handler');

    jobs = await startTestJobs(database, QUEUES, { install: false });
    await jobs.work(SLOW, async ({ n }) => {
      finished.push(n);
    });
    await waitFor(async () => (await jobs?.job(SLOW, long))?.state === 'completed', 20_000, 'the retry');
  });

  it('stores and logs a handler’s error without what its message may quote', async () => {
    const logs = captureLogs();
    jobs = await startTestJobs(database, QUEUES, { install: false, logger: logs.logger });
    await jobs.work(LEAKY, async ({ n }) => {
      if (n === 1) throw Object.assign(new Error('duplicate key (email)=(person@example.org)'), { code: '23505' });
      throw new JobError('SOMETHING_KNOWN', 'a message written to be stored');
    });
    const leaky = (await jobs.send(LEAKY, { n: 1 })) as string;
    const known = (await jobs.send(LEAKY, { n: 2 })) as string;
    await waitFor(async () => (await jobs?.job(LEAKY, leaky))?.state === 'failed' && (await jobs?.job(LEAKY, known))?.state === 'failed');
    const stored = JSON.stringify(await jobs.job(LEAKY, leaky));
    expect(stored).not.toContain('person@example.org');
    expect(stored).toContain('23505');
    expect(JSON.stringify(await jobs.job(LEAKY, known))).toContain('a message written to be stored');
    expect(logs.text()).not.toContain('person@example.org');
    expect(logs.text()).toContain('job failed and has no retry left');
  });
});

describe.each(BACKENDS)('durable jobs before `halte migrate` (%s)', (backend) => {
  let database: HalteDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await database.close();
  });

  it('refuses to start or send, and says to run halte migrate', async () => {
    const jobs = new Jobs(database, { logger: silent });
    await expect(jobs.start([ECHO])).rejects.toThrow(JobsNotInstalledError);
    await expect(jobs.start([ECHO])).rejects.toThrow(/once/);
    await expect(new Jobs(database, { logger: silent }).send(ECHO, { n: 1 })).rejects.toThrow(JobsNotInstalledError);

    await installJobs(database, [], silent); // the schema, but not the queue
    const again = new Jobs(database, { logger: silent });
    await expect(again.start([ECHO])).rejects.toThrow(/test\.echo.*halte migrate/);
    await expect(again.send(ECHO, { n: 1 })).rejects.toThrow(JobsNotInstalledError);
  });
});
