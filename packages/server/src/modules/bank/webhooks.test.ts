// Webhooks: the signature a receiver checks, the URLs accepted, and delivery end to end — a real HTTP
// receiver on 127.0.0.1 gets the whole bank, then each change (a withdrawal as tombstones), retried
// after a 500, logged attempt by attempt; revoked partners and partners without fetch get nothing.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { FeedPage, type FeedItem } from '@halte/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { reportCase } from '../../../test/bank.js';
import { BACKENDS, feedSettled } from '../../../test/database.js';
import { captureLogs, FAST, sleep, waitFor } from '../../../test/jobs.js';
import { installJobs, type Jobs } from '../../jobs/jobs.js';
import type { JobContext } from '../../jobs/queue.js';
import { createJobs, installQueues, startJobs } from '../../jobs/registry.js';
import { createRootLogger, subsystemLogger } from '../../log/logger.js';
import { createMailer } from '../../mail/mailer.js';
import { OPERATOR } from '../audit/log.js';
import { withdraw } from '../followup/service.js';
import { FEED_START, readCursor } from './cursor.js';
import { readChanges } from './feed.js';
import { addPartner, revokePartner, updatePartner } from './partners.js';
import {
  dispatchWebhooks,
  feedHead,
  removeWebhook,
  setWebhook,
  signWebhook,
  verifyWebhookSignature,
  WEBHOOK_CURSOR,
  WEBHOOK_DELIVER,
  webhookDeliverHandler,
  webhookDeliveries,
  webhookUrlProblem,
} from './webhooks.js';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const image = () => ({ kind: 'image', pdq: hex(32), quality: 90, md5: hex(16), sha256: hex(32) });

describe('the signature a receiver checks', () => {
  const secret = 'whsec_test-secret';
  const body = '{"items":[{"id":1}],"cursor":"v1.2.3.x"}';
  const now = new Date('2026-11-27T10:00:00Z');
  const t = Math.floor(now.getTime() / 1000);

  it('accepts the body as signed, at the time it was signed and within five minutes either way', () => {
    const header = signWebhook(secret, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, now)).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), new Date(now.getTime() + 300_000)).ok).toBe(true);
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, t + 60), body, now).ok).toBe(true);
  });

  it('refuses an altered body, another secret, an old or far-future timestamp, a malformed header', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body.replace('"id":1', '"id":2'), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature(secret, header, `${body} `, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature('whsec_other', header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    // replayed after six minutes: refused even with a valid MAC
    expect(verifyWebhookSignature(secret, header, body, new Date(now.getTime() + 301_000))).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(secret, signWebhook(secret, body, t + 3600), body, now)).toEqual({ ok: false, reason: 'stale' });
    // the timestamp is part of what is signed: moving it breaks the MAC
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, now)).toEqual({ ok: false, reason: 'mismatch' });
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=${t},v1=zz`, `t=abc,v1=${'0'.repeat(64)}`, 'x'.repeat(3000)]) {
      expect(verifyWebhookSignature(secret, bad, body, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('accepts any one of several v1 signatures (a receiver keeping two secrets while changing)', () => {
    const other = signWebhook('whsec_other', body, t).split(',')[1] as string;
    const mine = signWebhook(secret, body, t).split(',')[1] as string;
    expect(verifyWebhookSignature(secret, `t=${t},${other},${mine}`, body, now).ok).toBe(true);
  });
});

describe('webhook URLs', () => {
  it('takes https, and http only to this machine', () => {
    for (const ok of ['https://hooks.example.social/halte', 'https://hooks.example.social:8443/a?b=c', 'http://localhost:9000/hook', 'http://127.0.0.1:1234/', 'http://[::1]:80/x']) {
      expect(webhookUrlProblem(ok), ok).toBeNull();
    }
    const problems: [string, RegExp][] = [
      ['http://hooks.example.social/halte', /https:\/\//],
      ['ftp://hooks.example.social/', /https:\/\//],
      ['javascript:alert(1)', /https:\/\//],
      ['not a url', /is not a URL/],
      ['', /is not a URL/],
      ['https://user:pass@hooks.example.social/', /user name or password/],
      ['https://hooks.example.social/#frag', /fragment/],
      [`https://hooks.example.social/${'a'.repeat(2048)}`, /2048 characters/],
    ];
    for (const [url, problem] of problems) expect(webhookUrlProblem(url), url).toMatch(problem);
    expect(webhookUrlProblem(`https://h.example/${'a'.repeat(2048 - 'https://h.example/'.length)}`)).toBeNull();
  });
});

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/** An HTTP receiver on 127.0.0.1: records every request; answers 200 unless told otherwise per path. */
async function startReceiver(): Promise<{
  url: (path: string) => string;
  at: (path: string) => Received[];
  /** statuses to answer on `path`, in order, before 200s; 0: never answer */
  plan: (path: string, statuses: number[]) => void;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const plans = new Map<string, number[]>();
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const status = plans.get(path)?.shift() ?? 200;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      if (status === 0) {
        hanging.push(res);
        return;
      }
      // a body Halte must never keep
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`RECEIVER-BODY-${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    at: (path) => received.filter((r) => r.path === path),
    plan: (path, statuses) => plans.set(path, [...statuses]),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const JOB: JobContext = { id: 'test-job', queue: WEBHOOK_DELIVER.name, attempt: 1, lastAttempt: false };

/** A stand-in for Jobs that records what is sent. */
function recordingJobs() {
  const sent: { payload: { partnerId: number; trigger: string }; key: string | undefined }[] = [];
  const jobs: Pick<Jobs, 'send'> = {
    send: async (_queue, payload, options = {}) => {
      sent.push({ payload: payload as unknown as { partnerId: number; trigger: string }, key: options.key });
      return `job-${sent.length}`;
    },
  };
  return { jobs, sent };
}

describe.each(BACKENDS)('webhooks on %s', (backend) => {
  const logs = captureLogs();
  const secrets: string[] = [];
  let t: TestApp;
  let receiver: Receiver;
  let n = 0;

  beforeAll(async () => {
    receiver = await startReceiver();
    t = await createTestApp(backend);
    await installQueues(t.database, createRootLogger({ level: 'silent' }));
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    // the logs carry partner ids, counts and statuses: never a secret, the URL or what the receiver answered
    for (const secret of secrets) expect(logs.text()).not.toContain(secret);
    expect(logs.text()).not.toContain(receiver.url('/'));
    expect(logs.text()).not.toContain('RECEIVER-BODY');
  });

  const db = () => t.database.db;
  const deps = () => ({ db: db(), sealer: t.sealer });

  const newCase = async (items: unknown[]) => (await reportCase(t, items)).id;

  async function caseHashIds(caseId: number): Promise<number[]> {
    const rows = await db().selectFrom('bank_hash as b').innerJoin('case_item as i', 'i.id', 'b.item_id').select('b.id').where('i.case_id', '=', caseId).where('b.published', '=', true).execute();
    return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  }

  /** A partner with a webhook to `path` on the receiver; its secret and API key. */
  async function partnerWithWebhook(options: { scopes?: ('fetch' | 'match' | 'feedback')[]; fromNow?: boolean } = {}) {
    const name = `Partner ${++n}`;
    const { partner, key } = await addPartner(db(), name, { scopes: options.scopes ?? ['fetch'] }, OPERATOR);
    const path = `/p${partner.id}`;
    const set = await setWebhook(deps(), partner.id, receiver.url(path), { fromNow: options.fromNow ?? false }, OPERATOR);
    secrets.push(set.secret);
    return { id: partner.id, key, path, secret: set.secret, start: set.start };
  }

  function parse(r: Received): { items: FeedItem[]; cursor: string } {
    const body = JSON.parse(r.body) as { items: FeedItem[]; cursor: string };
    FeedPage.parse({ items: body.items, nextCursor: body.cursor });
    expect(Object.keys(body)).toEqual(['items', 'cursor']);
    return body;
  }

  const allIds = async () => (await readChanges(db(), FEED_START, 100_000)).map((r) => r.id);

  const settled = () => feedSettled(db());

  describe('the delivery job', () => {
    it('posts batches of at most N items after the webhook cursor, and sends the next batch’s job with the cursor', async () => {
      await newCase([image(), image()]);
      await settled();
      const p = await partnerWithWebhook();
      expect(p.start).toBe('beginning');
      const { jobs, sent } = recordingJobs();
      const handler = webhookDeliverHandler({ db: db(), sealer: t.sealer, jobs, log: subsystemLogger(logs.logger, 'bank'), options: { batchItems: 2 } });
      const expected = await allIds();
      expect(expected.length).toBeGreaterThanOrEqual(6);
      for (let i = 0; i < 20 && receiver.at(p.path).length < Math.ceil(expected.length / 2); i++) await handler({ partnerId: p.id, trigger: '1.1' }, JOB);
      const batches = receiver.at(p.path).map(parse);
      expect(batches.every((b) => b.items.length === 2 || b === batches.at(-1))).toBe(true);
      expect(batches.flatMap((b) => b.items.map((i) => i.id))).toEqual(expected); // in feed order, none twice
      // a job for each batch after the first that had more behind it, keyed by the new position
      expect(sent.length).toBe(batches.length - 1);
      expect(new Set(sent.map((s) => s.key)).size).toBe(sent.length);
      expect(sent.every((s) => s.payload.partnerId === p.id && s.payload.trigger === '1.1' && s.key?.startsWith(`webhook:${p.id}:`))).toBe(true);
      // up to date: nothing more is posted
      await handler({ partnerId: p.id, trigger: '1.1' }, JOB);
      expect(receiver.at(p.path).length).toBe(batches.length);
      // each batch's cursor is a feed cursor: GET /api/v1/hashes from it gives what follows
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/hashes?cursor=${encodeURIComponent(batches[0]?.cursor as string)}&limit=2`, headers: { authorization: `Bearer ${p.key}` } });
      expect((res.json() as FeedPage).items.map((i) => i.id)).toEqual(batches[1]?.items.map((i) => i.id));
      await removeWebhook(db(), p.id, OPERATOR);
    });

    it('keeps a batch to about the byte limit, always at least one item', async () => {
      const p = await partnerWithWebhook();
      const { jobs } = recordingJobs();
      const handler = webhookDeliverHandler({ db: db(), sealer: t.sealer, jobs, log: subsystemLogger(logs.logger, 'bank'), options: { batchBytes: 1 } });
      await handler({ partnerId: p.id, trigger: '1.1' }, JOB);
      await handler({ partnerId: p.id, trigger: '1.1' }, JOB);
      expect(receiver.at(p.path).map((r) => parse(r).items.length)).toEqual([1, 1]);
      await removeWebhook(db(), p.id, OPERATOR);
    });

    it('does not move the cursor on a failure, logs it with a short code and throws for a retry', async () => {
      const p = await partnerWithWebhook();
      receiver.plan(p.path, [503]);
      const { jobs } = recordingJobs();
      const handler = webhookDeliverHandler({ db: db(), sealer: t.sealer, jobs, log: subsystemLogger(logs.logger, 'bank') });
      const before = (await db().selectFrom('partner').select('webhook_cursor').where('id', '=', p.id).executeTakeFirstOrThrow()).webhook_cursor;
      await expect(handler({ partnerId: p.id, trigger: '1.1' }, JOB)).rejects.toMatchObject({ name: 'JobError', code: 'WEBHOOK_HTTP_503' });
      const after = (await db().selectFrom('partner').select('webhook_cursor').where('id', '=', p.id).executeTakeFirstOrThrow()).webhook_cursor;
      expect(after).toBe(before);
      const [logged] = await webhookDeliveries(db(), p.id);
      expect(logged).toMatchObject({ attempt: 1, httpStatus: 503, error: 'http_503' });
      expect(String(receiver.at(p.path)[0]?.headers['halte-delivery'])).toBe(String(logged?.id));
      // nothing of the receiver's answer is kept
      const { rows } = await sql<{ row: string }>`select row_to_json(d)::text as row from webhook_delivery d where partner_id = ${p.id}`.execute(db());
      expect(rows.map((r) => r.row).join()).not.toContain('RECEIVER-BODY');
      await removeWebhook(db(), p.id, OPERATOR);
    });

    it('says why a receiver could not be reached: a timeout, a refused connection, TLS', async () => {
      const slow = await partnerWithWebhook();
      receiver.plan(slow.path, [0]);
      const { jobs } = recordingJobs();
      const handler = webhookDeliverHandler({ db: db(), sealer: t.sealer, jobs, log: subsystemLogger(logs.logger, 'bank'), options: { timeoutMs: 300 } });
      await expect(handler({ partnerId: slow.id, trigger: '1.1' }, JOB)).rejects.toMatchObject({ code: 'WEBHOOK_TIMEOUT' });
      const [timedOut] = await webhookDeliveries(db(), slow.id);
      expect(timedOut).toMatchObject({ httpStatus: null, error: 'timeout' });
      expect(timedOut?.durationMs).toBeGreaterThanOrEqual(250);

      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      const refused = await partnerWithWebhook();
      await setWebhook(deps(), refused.id, `http://127.0.0.1:${port}/gone`, {}, OPERATOR);
      await expect(handler({ partnerId: refused.id, trigger: '1.1' }, JOB)).rejects.toMatchObject({ code: 'WEBHOOK_CONNECTION_REFUSED' });
      expect((await webhookDeliveries(db(), refused.id))[0]).toMatchObject({ httpStatus: null, error: 'connection_refused' });
      // https to a receiver that speaks plain http
      await setWebhook(deps(), refused.id, receiver.url('/plain').replace('http:', 'https:'), {}, OPERATOR);
      await expect(handler({ partnerId: refused.id, trigger: '1.1' }, JOB)).rejects.toMatchObject({ code: 'WEBHOOK_TLS' });
      expect((await webhookDeliveries(db(), refused.id))[0]).toMatchObject({ httpStatus: null, error: 'tls' });
      await removeWebhook(db(), slow.id, OPERATOR);
      await removeWebhook(db(), refused.id, OPERATOR);
    });

    it('posts nothing for a revoked partner, one without the fetch scope, or a webhook removed', async () => {
      const revoked = await partnerWithWebhook();
      await revokePartner(db(), revoked.id, OPERATOR);
      const unscoped = await partnerWithWebhook({ scopes: ['fetch', 'match'] });
      await updatePartner(db(), unscoped.id, { scopes: ['match'] }, OPERATOR);
      const removed = await partnerWithWebhook();
      expect(await removeWebhook(db(), removed.id, OPERATOR)).toBe(true);
      expect(await removeWebhook(db(), removed.id, OPERATOR)).toBe(false);
      const { jobs, sent } = recordingJobs();
      const handler = webhookDeliverHandler({ db: db(), sealer: t.sealer, jobs, log: subsystemLogger(logs.logger, 'bank') });
      const dispatched = recordingJobs();
      expect(await dispatchWebhooks({ db: db(), sealer: t.sealer, jobs: dispatched.jobs })).toBe(0);
      for (const p of [revoked, unscoped, removed]) {
        await handler({ partnerId: p.id, trigger: '1.1' }, JOB);
        expect(receiver.at(p.path)).toEqual([]);
        expect(await webhookDeliveries(db(), p.id)).toEqual([]);
      }
      expect(sent).toEqual([]);
      // and no webhook can be set for them
      await expect(setWebhook(deps(), revoked.id, receiver.url('/x'), {}, OPERATOR)).rejects.toMatchObject({ code: 'revoked' });
      await expect(setWebhook(deps(), unscoped.id, receiver.url('/x'), {}, OPERATOR)).rejects.toMatchObject({ code: 'invalid' });
      await expect(setWebhook(deps(), removed.id, 'http://example.org/x', {}, OPERATOR)).rejects.toMatchObject({ code: 'invalid' });
    });
  });

  describe('the dispatcher', () => {
    it('sends one round per partner behind the head, none for one up to date, and a round once', async () => {
      await newCase([image()]);
      await settled();
      const behind = await partnerWithWebhook();
      const current = await partnerWithWebhook({ fromNow: true });
      expect(current.start).toBe('now');
      const head = await feedHead(db());
      const stored = await db().selectFrom('partner').select('webhook_cursor').where('id', '=', current.id).executeTakeFirstOrThrow();
      expect(readCursor(t.sealer, WEBHOOK_CURSOR, stored.webhook_cursor as string).position).toEqual(head);

      const { jobs, sent } = recordingJobs();
      expect(await dispatchWebhooks({ db: db(), sealer: t.sealer, jobs })).toBe(1);
      expect(sent).toEqual([{ payload: { partnerId: behind.id, trigger: `${head?.xid}.${head?.id}` }, key: expect.stringMatching(new RegExp(`^webhook:${behind.id}:[0-9a-f]{12}:0\\.0:${head?.xid}\\.${head?.id}$`)) }]);

      // with real jobs (not worked here): two ticks at once, or one after the other, queue the round once
      const real = createJobs(t.database, createRootLogger({ level: 'silent' }));
      const ticks = await Promise.all([dispatchWebhooks({ db: db(), sealer: t.sealer, jobs: real }), dispatchWebhooks({ db: db(), sealer: t.sealer, jobs: real })]);
      expect(ticks.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await dispatchWebhooks({ db: db(), sealer: t.sealer, jobs: real })).toBe(0);
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from pgboss.job where name = ${WEBHOOK_DELIVER.name} and (data->>'partnerId')::int = ${behind.id}`.execute(db());
      expect(rows[0]?.count).toBe(1);
      // the job finds no webhook once it is removed, and posts nothing
      await removeWebhook(db(), behind.id, OPERATOR);
      await removeWebhook(db(), current.id, OPERATOR);
    });
  });

  describe('end to end, with the workers and the dispatcher halte serve starts', () => {
    let jobs: Jobs;

    beforeAll(async () => {
      // retries after 1 s (production: 30 s doubling, 8 times)
      await installJobs(t.database, [{ ...WEBHOOK_DELIVER, retry: { limit: 3, delaySeconds: 1, backoff: false } }], subsystemLogger(logs.logger, 'jobs'));
      jobs = createJobs(t.database, logs.logger, FAST);
      await startJobs(jobs, {
        database: t.database,
        sealer: t.sealer,
        mailer: createMailer(null),
        publicUrl: 'http://localhost:8080',
        logger: logs.logger,
        webhooks: { dispatchIntervalMs: 200 },
      });
    });
    afterAll(async () => {
      await jobs.stop();
    });

    const received = (p: { path: string }) => receiver.at(p.path).filter((r) => r.status === 200).flatMap((r) => parse(r).items);

    it('delivers the whole bank to a new webhook, signed, then each new hash, then a withdrawal as tombstones', async () => {
      await settled();
      const p = await partnerWithWebhook();
      const everything = await allIds();
      await waitFor(() => received(p).length >= everything.length, 20_000, 'the whole bank');
      expect(received(p).map((i) => i.id)).toEqual(everything);
      for (const r of receiver.at(p.path)) {
        expect(r.headers['content-type']).toBe('application/json');
        expect(verifyWebhookSignature(p.secret, r.headers['halte-signature'] as string, r.body)).toMatchObject({ ok: true });
        // what a receiver refuses: an altered body, or the same delivery replayed six minutes later
        expect(verifyWebhookSignature(p.secret, r.headers['halte-signature'] as string, r.body.replace('"id":', '"id": ')).ok).toBe(false);
        expect(verifyWebhookSignature(p.secret, r.headers['halte-signature'] as string, r.body, new Date(Date.now() + 6 * 60_000))).toEqual({ ok: false, reason: 'stale' });
      }

      const caseId = await newCase([image()]);
      const added = await caseHashIds(caseId);
      const of = (status: string) => received(p).filter((i) => added.includes(i.id) && i.status === status);
      await waitFor(() => of('active').length === added.length, 20_000, 'the new hashes');
      expect(received(p).slice(everything.length).map((i) => i.id).sort((a, b) => a - b)).toEqual(added);

      await withdraw({ db: db(), sealer: t.sealer }, caseId);
      await waitFor(() => of('withdrawn').length === added.length, 20_000, 'the tombstones');
      expect(received(p).slice(everything.length + added.length).map((i) => [i.id, i.status])).toEqual(added.map((id) => [id, 'withdrawn']));

      // every attempt logged, with the id sent as Halte-Delivery; the cursor is after the last item
      const last = receiver.at(p.path).at(-1) as Received;
      const storedPosition = async () =>
        readCursor(t.sealer, WEBHOOK_CURSOR, (await db().selectFrom('partner').select('webhook_cursor').where('id', '=', p.id).executeTakeFirstOrThrow()).webhook_cursor as string).position;
      await waitFor(async () => JSON.stringify(await storedPosition()) === JSON.stringify(readCursor(t.sealer, 'feed', parse(last).cursor).position), 5_000, 'the cursor');
      const log = await webhookDeliveries(db(), p.id);
      expect(log.map((d) => String(d.id)).sort()).toEqual(receiver.at(p.path).map((r) => String(r.headers['halte-delivery'])).sort());
      expect(log.every((d) => d.httpStatus === 200 && d.error === null && d.attempt === 1)).toBe(true);
      expect(log.reduce((sum, d) => sum + d.items, 0)).toBe(received(p).length);
      // and the feed API from the batch's cursor has nothing more
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/hashes?cursor=${encodeURIComponent(parse(last).cursor)}`, headers: { authorization: `Bearer ${p.key}` } });
      expect((res.json() as FeedPage).items).toEqual([]);
    });

    it('retries a batch the receiver answered 500 to; the log shows both attempts; one job for the change', async () => {
      await settled();
      const p = await partnerWithWebhook({ fromNow: true });
      receiver.plan(p.path, [500]);
      const caseId = await newCase([image()]);
      const added = await caseHashIds(caseId);
      await waitFor(() => receiver.at(p.path).length >= 2, 20_000, 'the retry');
      const [first, second] = receiver.at(p.path) as [Received, Received];
      expect([first.status, second.status]).toEqual([500, 200]);
      expect(parse(second).items.map((i) => i.id)).toEqual(parse(first).items.map((i) => i.id));
      expect(parse(second).items.map((i) => i.id).sort((a, b) => a - b)).toEqual(added);
      for (const r of [first, second]) expect(verifyWebhookSignature(p.secret, r.headers['halte-signature'] as string, r.body).ok).toBe(true);
      expect(first.headers['halte-delivery']).not.toBe(second.headers['halte-delivery']);
      await waitFor(async () => (await webhookDeliveries(db(), p.id))[0]?.httpStatus === 200, 5_000, 'the log');
      const log = (await webhookDeliveries(db(), p.id)).reverse();
      expect(log.map((d) => [d.attempt, d.items, d.httpStatus, d.error])).toEqual([
        [1, added.length, 500, 'http_500'],
        [2, added.length, 200, null],
      ]);
      await sleep(1_000);
      expect(receiver.at(p.path).length).toBe(2);
      const { rows } = await sql<{ state: string; retry_count: number }>`select state::text, retry_count from pgboss.job where name = ${WEBHOOK_DELIVER.name} and (data->>'partnerId')::int = ${p.id}`.execute(db());
      expect(rows).toEqual([{ state: 'completed', retry_count: 1 }]);
    });

    it('sends nothing to a revoked partner or one without the fetch scope, while others get the change', async () => {
      await settled();
      const control = await partnerWithWebhook({ fromNow: true });
      const revoked = await partnerWithWebhook({ fromNow: true });
      const unscoped = await partnerWithWebhook({ fromNow: true, scopes: ['fetch', 'feedback'] });
      await revokePartner(db(), revoked.id, OPERATOR);
      await updatePartner(db(), unscoped.id, { scopes: ['feedback'] }, OPERATOR);
      const caseId = await newCase([image()]);
      await waitFor(() => received(control).length === 3, 20_000, 'the control partner');
      expect(received(control).map((i) => i.id).sort((a, b) => a - b)).toEqual(await caseHashIds(caseId));
      await sleep(1_500);
      expect(receiver.at(revoked.path)).toEqual([]);
      expect(receiver.at(unscoped.path)).toEqual([]);
      expect(await webhookDeliveries(db(), revoked.id)).toEqual([]);
    });

    it('stops dispatching with the jobs', async () => {
      const p = await partnerWithWebhook({ fromNow: true });
      await jobs.stop();
      await newCase([image()]);
      await sleep(1_500);
      expect(receiver.at(p.path)).toEqual([]);
    });
  });
});
