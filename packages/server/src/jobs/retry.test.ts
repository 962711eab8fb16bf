// Retries with back-off take seconds (pg-boss counts delays in whole seconds): in a file of their own,
// so they run beside the other test files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { startTestJobs, waitFor } from '../../test/jobs.js';
import { BACKENDS, createTestDatabase } from '../../test/database.js';
import type { HalteDatabase } from '../db/database.js';
import type { Jobs } from './jobs.js';
import { defineQueue, JobError } from './queue.js';

const FLAKY = defineQueue({
  name: 'test.flaky',
  payload: z.strictObject({ failures: z.number().int() }),
  retry: { limit: 3, delaySeconds: 1, backoff: true },
  expireInSeconds: 60,
  retentionDays: 1,
});

describe.each(BACKENDS)('retries (%s)', (backend) => {
  let database: HalteDatabase;
  let jobs: Jobs;
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    jobs = await startTestJobs(database, [FLAKY]);
  });
  afterAll(async () => {
    await jobs.stop();
    await database.close();
  });

  it('retries a failing job with growing delays, then it succeeds', async () => {
    const attempts: { at: number; attempt: number; lastAttempt: boolean }[] = [];
    await jobs.work(FLAKY, async ({ failures }, job) => {
      attempts.push({ at: Date.now(), attempt: job.attempt, lastAttempt: job.lastAttempt });
      if (attempts.length <= failures) throw new JobError('NOT_YET', `failing on purpose (${attempts.length})`);
    });
    const id = (await jobs.send(FLAKY, { failures: 2 })) as string;
    await waitFor(async () => (await jobs.job(FLAKY, id))?.state === 'completed', 30_000, 'the third attempt');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts.every((a) => !a.lastAttempt)).toBe(true);
    // back-off: the first retry waits 1–2 s, the second 2–4 s (delay × 2^(n-1), up to twice with jitter)
    const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(third - second).toBeGreaterThanOrEqual(1_950);
    expect(await jobs.job(FLAKY, id)).toMatchObject({ state: 'completed', retryCount: 2, retryLimit: 3 });
  });
});
