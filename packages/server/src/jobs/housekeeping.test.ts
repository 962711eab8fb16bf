import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../test/app.js';
import { BACKENDS } from '../../test/database.js';
import { startTestJobs, waitFor } from '../../test/jobs.js';
import { createRootLogger } from '../log/logger.js';
import {
  HOUSEKEEPING_QUEUES,
  SWEEP_WEBHOOK_DELIVERIES,
  RETENTION,
  SWEEP_FOLLOWUP_SESSIONS,
  SWEEP_IDEMPOTENCY_ANSWERS,
  SWEEP_MAIL_DELIVERIES,
  SWEEP_STAFF_SESSIONS,
  sweepFollowupSessions,
  workHousekeeping,
} from './housekeeping.js';
import type { Jobs } from './jobs.js';
import { QUEUES } from './registry.js';

const REPORT = {
  situations: ['sextortion'],
  ageGroup: 'adult',
  madeWhenMinor: false,
  country: 'FR',
  immediateDanger: false,
  items: [],
  consents: { shareWithPartners: false, contactMe: false },
};

describe.each(BACKENDS)('retention sweeps (%s)', (backend) => {
  let t: TestApp;
  let jobs: Jobs;
  beforeAll(async () => {
    t = await createTestApp(backend);
    jobs = await startTestJobs(t.database, QUEUES);
    await workHousekeeping(jobs, t.database.db, createRootLogger({ level: 'silent' }), 0.5);
  });
  afterAll(async () => {
    await jobs.stop();
    await t.close();
  });

  const db = () => t.database.db;

  async function report(key: string): Promise<{ reference: string; pin: string }> {
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', headers: { 'idempotency-key': key }, payload: REPORT });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function runSweep(queue: (typeof HOUSEKEEPING_QUEUES)[number]): Promise<void> {
    const id = (await jobs.send(queue, {})) as string;
    await waitFor(async () => (await jobs.job(queue, id))?.state === 'completed', 20_000, queue.name);
  }

  it('deletes expired follow-up sessions, and only those', async () => {
    const { reference, pin } = await report('sessions-0000001');
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin } });
    expect(login.statusCode).toBe(201);
    const caseId = (await db().selectFrom('case').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id;
    await db()
      .insertInto('followup_session')
      .values({ token_hash: new Uint8Array(32).fill(7), case_id: caseId, expires_at: new Date(Date.now() - 60_000) })
      .execute();
    expect(await db().selectFrom('followup_session').select('token_hash').where('case_id', '=', caseId).execute()).toHaveLength(2);
    await runSweep(SWEEP_FOLLOWUP_SESSIONS);
    expect(await db().selectFrom('followup_session').select('token_hash').where('case_id', '=', caseId).execute()).toHaveLength(1);
    // the live session still opens the follow-up
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    expect((await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).statusCode).toBe(200);
    expect(await sweepFollowupSessions(db())).toBe(0); // again: nothing more
  });

  it(`forgets a report's stored answer (it holds the PIN) ${RETENTION.idempotencyAnswerHours} h after the report`, async () => {
    await report('answer-old-000001');
    await report('answer-new-000001');
    await sql`update idempotency_key set created_at = now() - interval '25 hours' where key = 'answer-old-000001'`.execute(db());
    await runSweep(SWEEP_IDEMPOTENCY_ANSWERS);
    const left = (await db().selectFrom('idempotency_key').select('key').execute()).map((r) => r.key);
    expect(left).toContain('answer-new-000001');
    expect(left).not.toContain('answer-old-000001');
  });

  it(`deletes e-mail delivery records after ${RETENTION.mailDeliveryDays} days`, async () => {
    await db()
      .insertInto('mail_delivery')
      .values([
        { key: 'sweep:old', state: 'sent' },
        { key: 'sweep:new', state: 'sent' },
      ])
      .execute();
    await sql`update mail_delivery set created_at = now() - interval '31 days' where key = 'sweep:old'`.execute(db());
    await runSweep(SWEEP_MAIL_DELIVERIES);
    const left = (await db().selectFrom('mail_delivery').select('key').where('key', 'like', 'sweep:%').execute()).map((r) => r.key);
    expect(left).toEqual(['sweep:new']);
  });

  it('deletes staff sessions idle over 30 minutes or past their 12 hours, and only those', async () => {
    const staff = await db()
      .insertInto('staff')
      .values({ email: `sweep.${Date.now()}@staff.example.org`, role: 'analyst' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = Date.now();
    const session = (fill: number, lastSeenMinutesAgo: number, expiresInMinutes: number) => ({
      token_hash: new Uint8Array(32).fill(fill),
      staff_id: staff.id,
      csrf_hash: new Uint8Array(32),
      created_at: new Date(now - 60 * 60_000),
      last_seen_at: new Date(now - lastSeenMinutesAgo * 60_000),
      expires_at: new Date(now + expiresInMinutes * 60_000),
    });
    await db().insertInto('staff_session').values([session(1, 5, 600), session(2, 31, 600), session(3, 1, -1)]).execute();
    await runSweep(SWEEP_STAFF_SESSIONS);
    const left = await db().selectFrom('staff_session').select('token_hash').where('staff_id', '=', staff.id).execute();
    expect(left.map((r) => new Uint8Array(r.token_hash)[0])).toEqual([1]);
  });

  it('deletes webhook delivery records after 30 days, and only those', async () => {
    const partner = await db()
      .insertInto('partner')
      .values({ name: `Sweep ${Date.now()}`, scopes: ['fetch'], key_prefix: `sw${Date.now()}`.slice(0, 10), key_hash: new Uint8Array(32) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const day = 24 * 60 * 60_000;
    const attempt = (daysAgo: number) => ({ partner_id: partner.id, at: new Date(Date.now() - daysAgo * day), attempt: 1, items: 3, http_status: 200, duration_ms: 12, error: null });
    await db().insertInto('webhook_delivery').values([attempt(31), attempt(29)]).execute();
    await runSweep(SWEEP_WEBHOOK_DELIVERIES);
    const left = await db().selectFrom('webhook_delivery').select('at').where('partner_id', '=', partner.id).execute();
    expect(left).toHaveLength(1);
  });

  it('is scheduled by halte migrate (cron, UTC), at most once a minute across replicas', async () => {
    const { rows } = await sql<{ name: string; cron: string; timezone: string }>`select name, cron, timezone from pgboss.schedule order by name`.execute(db());
    const scheduled = QUEUES.filter((q) => q.schedule !== undefined);
    expect(scheduled.length).toBeGreaterThan(HOUSEKEEPING_QUEUES.length); // the takedown sweep too
    expect(rows).toEqual(scheduled.map((q) => ({ name: q.name, cron: q.schedule?.cron, timezone: 'UTC' })).sort((a, b) => a.name.localeCompare(b.name)));
  });
});
