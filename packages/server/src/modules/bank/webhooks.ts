// Webhooks: the feed pushed to a partner's URL (a partner with the fetch scope may have one), so that it
// need not poll. A batch is the next feed items after the partner's webhook cursor, signed with the
// partner's own secret (HMAC-SHA256 over "<unix seconds>.<raw body>", as Stripe does); the cursor moves
// only when the receiver answers 2xx, so the partner gets every change at least once, in feed order.
//
// Delivery is a durable job per partner (`webhook.deliver`), keyed by (partner, webhook generation, cursor,
// feed head): a key names one round of delivery, so two instances send it once and a round that ran out
// of retries is not started again until the bank changes. One round at a time per partner: the dispatcher
// sends none while the partner has a job waiting or running, and a successful job sends the next batch's
// job in the transaction that moves the cursor. The dispatcher (one tick every 2 s, one instance at a time
// under an advisory lock) is what notices that the bank changed.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import type { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import { JOBS_SCHEMA, type Jobs } from '../../jobs/jobs.js';
import { defineQueue, JobError, safeJobError, type JobHandler } from '../../jobs/queue.js';
import type { Logger } from '../../log/logger.js';
import { appendAudit, type AuditActor } from '../audit/log.js';
import { CursorError, FEED_START, readCursor, signCursor, type FeedPosition } from './cursor.js';
import { feedItem, positionOf, readChanges, type FeedRow } from './feed.js';
import { getPartner, PartnerError, type PartnerListing } from './partners.js';
import { FEED_CURSOR } from './routes.js';

/** The purpose the stored webhook cursor is signed for (the batch's own cursor is a feed cursor). */
export const WEBHOOK_CURSOR = 'webhook';
/** At most this many feed items a POST… */
export const WEBHOOK_BATCH_ITEMS = 500;
/** …and about this many bytes of JSON (always at least one item): under common 1 MiB body limits. */
export const WEBHOOK_BATCH_BYTES = 1_000_000;
/** How long a receiver has to answer (the response's headers). */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** How often the dispatcher looks for partners behind the feed. */
export const WEBHOOK_DISPATCH_MS = 2_000;
/** What a receiver should accept between its clock and the signature's timestamp (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;
export const WEBHOOK_URL_MAX_LENGTH = 2_048;
/**
 * Deliveries side by side in one process: a receiver that times out does not hold up every other one.
 * Each is a poller of the job table (every 2 s): few, for PGlite's one connection.
 */
export const WEBHOOK_WORKERS = 2;
/** Taken by the dispatcher for its tick: one instance dispatches at a time. */
export const WEBHOOK_DISPATCH_LOCK_KEY = 0x48_41_4c_54_57_48; // "HALTWH"

export const WebhookJob = z.strictObject({
  partnerId: z.number().int().positive(),
  /** the feed head (`xid.id`) that started this round: part of the key, so a new change starts a new round */
  trigger: z.string().regex(/^[0-9]{1,20}\.[0-9]{1,16}$/),
});
export type WebhookJob = z.infer<typeof WebhookJob>;

export const WEBHOOK_DELIVER = defineQueue<WebhookJob>({
  name: 'webhook.deliver',
  payload: WebhookJob,
  // 30 s, 1 min, 2 min … doubling (up to twice that with jitter): 8 retries span about 2 to 4 hours, the
  // last wait at most about 2 hours. Then the round stops; the next change in the bank starts another.
  retry: { limit: 8, delaySeconds: 30, backoff: true },
  // one attempt: a 10 s POST and a few queries
  expireInSeconds: 60,
  retentionDays: 7,
});

export interface WebhookOptions {
  readonly batchItems: number;
  readonly batchBytes: number;
  readonly timeoutMs: number;
  readonly dispatchIntervalMs: number;
}

export const WEBHOOK_DEFAULTS: WebhookOptions = {
  batchItems: WEBHOOK_BATCH_ITEMS,
  batchBytes: WEBHOOK_BATCH_BYTES,
  timeoutMs: WEBHOOK_TIMEOUT_MS,
  dispatchIntervalMs: WEBHOOK_DISPATCH_MS,
};

// ——— signatures ———

/** The `Halte-Signature` header of `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string | Uint8Array, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

export type WebhookVerification =
  | { readonly ok: true; readonly timestamp: number }
  /** malformed: no `t` or `v1`; stale: the timestamp is further than the tolerance from now; mismatch: wrong secret or altered body */
  | { readonly ok: false; readonly reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * What a receiver does with a delivery, before parsing it: `header` is `Halte-Signature`
 * (`t=<unix seconds>,v1=<hex>`), `body` the raw bytes as received. Valid when a `v1` is
 * HMAC-SHA256(secret, "<t>.<body>") and `t` is within `toleranceSeconds` of `now` (either way): an
 * intercepted delivery cannot be replayed later, nor its body changed.
 *
 * @example
 * const check = verifyWebhookSignature(secret, req.headers['halte-signature'], rawBody);
 * if (!check.ok) return res.writeHead(400).end();
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | undefined,
  body: string | Uint8Array,
  now: Date = new Date(),
  toleranceSeconds: number = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  if (typeof header !== 'string' || header.length > 2_000) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2) as [string, string | undefined];
    if (key === 't' && /^[0-9]{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  return signatures.some((s) => timingSafeEqual(s, expected)) ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

// ——— set-up (halte partner webhook) ———

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * What is wrong with a webhook URL, or null: https only (http to this machine, for local receivers and
 * tests), no user or password (they would be stored and listed in clear), no fragment, at most 2,048
 * characters.
 */
export function webhookUrlProblem(input: string): string | null {
  if (input.length > WEBHOOK_URL_MAX_LENGTH) return `a webhook URL has at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return `"${input.slice(0, 100)}" is not a URL`;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    return 'a webhook URL must start with https:// (http:// only to localhost or 127.0.0.1)';
  }
  if (url.username !== '' || url.password !== '') return 'a webhook URL may not hold a user name or password: the signature authenticates Halte';
  if (url.hash !== '' || input.includes('#')) return 'a webhook URL may not have a #fragment';
  if (url.href.length > WEBHOOK_URL_MAX_LENGTH) return `a webhook URL has at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  return null;
}

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export interface WebhookSetup {
  readonly partner: PartnerListing;
  /** the URL as stored (normalised) */
  readonly url: string;
  /** the signing secret: shown once, stored sealed */
  readonly secret: string;
  /** where deliveries start: the whole bank, only what changes from now, or where the previous webhook was */
  readonly start: 'beginning' | 'now' | 'kept';
}

/** The last change in the feed (commit-safe, as readChanges reads), or null for an empty feed. */
export async function feedHead(db: Kysely<Database>): Promise<FeedPosition | null> {
  const { rows } = await sql<{ xid: string; id: number | string }>`
    select change_xid::text as xid, id from bank_hash
    where published and change_xid < pg_snapshot_xmin(pg_current_snapshot())
    order by change_xid desc, id desc
    limit 1`.execute(db);
  const row = rows[0];
  return row ? { xid: row.xid, id: Number(row.id) } : null;
}

/**
 * Sets the partner's webhook URL and a new secret (the previous secret stops working at once). A new
 * webhook starts at the beginning of the feed — the partner receives the whole bank once — or, with
 * `fromNow`, at its current head; a webhook that exists keeps its position unless `fromNow`.
 */
export async function setWebhook(
  deps: { readonly db: Kysely<Database>; readonly sealer: Sealer },
  partnerId: number,
  url: string,
  options: { readonly fromNow?: boolean },
  actor: AuditActor,
): Promise<WebhookSetup> {
  const problem = webhookUrlProblem(url);
  if (problem !== null) throw new PartnerError('invalid', problem);
  const href = new URL(url).href;
  const secret = newSecret();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('partner').select(['scopes', 'revoked_at', 'webhook_url', 'webhook_cursor']).where('id', '=', partnerId).forUpdate().executeTakeFirst();
    if (!row) throw new PartnerError('not_found', `no partner ${partnerId}`);
    if (row.revoked_at) throw new PartnerError('revoked', 'this partner is revoked: add a new one');
    if (!row.scopes.includes('fetch')) throw new PartnerError('invalid', 'a webhook carries the feed: give this partner the fetch scope first (halte partner set NAME --scopes fetch,…)');
    const start: WebhookSetup['start'] = options.fromNow ? 'now' : row.webhook_url !== null && row.webhook_cursor !== null ? 'kept' : 'beginning';
    const cursor =
      start === 'kept' ? (row.webhook_cursor as string) : signCursor(deps.sealer, WEBHOOK_CURSOR, start === 'now' ? ((await feedHead(trx)) ?? FEED_START) : FEED_START);
    await trx.updateTable('partner').set({ webhook_url: href, webhook_secret_enc: deps.sealer.seal(secret), webhook_cursor: cursor }).where('id', '=', partnerId).execute();
    // neither the URL (it may carry the receiver's own token) nor the secret
    await appendAudit(trx, { actor, action: 'partner.webhook_set', target: { kind: 'partner', id: String(partnerId) }, data: { start, replaced: row.webhook_url !== null } });
    return { partner: await getPartner(trx, partnerId), url: href, secret, start };
  });
}

/** Removes the partner's webhook (URL, secret, position); false if it had none. */
export async function removeWebhook(db: Kysely<Database>, partnerId: number, actor: AuditActor): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('partner').select('webhook_url').where('id', '=', partnerId).forUpdate().executeTakeFirst();
    if (!row) throw new PartnerError('not_found', `no partner ${partnerId}`);
    if (row.webhook_url === null) return false;
    await trx.updateTable('partner').set({ webhook_url: null, webhook_secret_enc: null, webhook_cursor: null }).where('id', '=', partnerId).execute();
    await appendAudit(trx, { actor, action: 'partner.webhook_removed', target: { kind: 'partner', id: String(partnerId) }, data: {} });
    return true;
  });
}

export interface WebhookDelivery {
  /** also sent as `Halte-Delivery` */
  readonly id: number;
  readonly at: Date;
  /** the job's attempt: 1, then 2 for its first retry … */
  readonly attempt: number;
  readonly items: number;
  /** null: no answer (see error) */
  readonly httpStatus: number | null;
  readonly durationMs: number;
  /** null on 2xx; timeout, connection_refused, connection_reset, dns, tls, unreachable, http_<status>, in_flight (running, or cut short) */
  readonly error: string | null;
}

/** The partner's latest delivery attempts, newest first. */
export async function webhookDeliveries(db: Kysely<Database>, partnerId: number, limit = 20): Promise<WebhookDelivery[]> {
  const rows = await db
    .selectFrom('webhook_delivery')
    .select(['id', 'at', 'attempt', 'items', 'http_status', 'duration_ms', 'error'])
    .where('partner_id', '=', partnerId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), at: r.at, attempt: r.attempt, items: r.items, httpStatus: r.http_status, durationMs: r.duration_ms, error: r.error }));
}

// ——— delivery ———

export interface WebhookDeps {
  readonly db: Kysely<Database>;
  readonly sealer: Sealer;
  /** the handler sends the next batch's job; the dispatcher sends rounds */
  readonly jobs: Pick<Jobs, 'send'>;
  /** the `bank` subsystem's logger: partner ids, counts, statuses — never a URL or a secret */
  readonly log: Logger;
  readonly options?: Partial<WebhookOptions>;
  readonly now?: () => Date;
}

const compare = (a: FeedPosition, b: FeedPosition): number => {
  const x = BigInt(a.xid) - BigInt(b.xid);
  return x !== 0n ? (x < 0n ? -1 : 1) : a.id - b.id;
};
const positionText = (p: FeedPosition) => `${p.xid}.${p.id}`;

/** One round of delivery: the partner, its webhook (a new secret is a new webhook), where it starts, what started it. */
function roundKey(partnerId: number, secretEnc: Uint8Array, from: FeedPosition | null, trigger: string): string {
  const generation = createHash('sha256').update(secretEnc).digest('hex').slice(0, 12);
  return `webhook:${partnerId}:${generation}:${from ? positionText(from) : 'unreadable'}:${trigger}`;
}

interface Target {
  readonly url: string;
  readonly secretEnc: Uint8Array;
  readonly cursor: string;
}

/** The partner's webhook, if it should receive anything: a URL, not revoked, the fetch scope. */
async function targetOf(db: Kysely<Database>, partnerId: number): Promise<Target | null> {
  const row = await db
    .selectFrom('partner')
    .select(['webhook_url', 'webhook_secret_enc', 'webhook_cursor', 'scopes', 'revoked_at'])
    .where('id', '=', partnerId)
    .executeTakeFirst();
  if (!row || row.webhook_url === null || row.webhook_secret_enc === null || row.webhook_cursor === null) return null;
  if (row.revoked_at !== null || !row.scopes.includes('fetch')) return null;
  return { url: row.webhook_url, secretEnc: new Uint8Array(row.webhook_secret_enc), cursor: row.webhook_cursor };
}

interface Outcome {
  readonly status: number | null;
  /** null: 2xx */
  readonly error: string | null;
  readonly ms: number;
}

/** A short code for why a POST got no answer: never the error's message (it can quote the URL). */
function failureCode(error: unknown): string {
  const e = error as { name?: unknown; cause?: { code?: unknown; name?: unknown; errors?: { code?: unknown }[] } } | null;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  const cause = e?.cause;
  const code = String(cause?.code ?? cause?.errors?.[0]?.code ?? '');
  if (cause?.name === 'ConnectTimeoutError' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') return 'connection_reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (/CERT|TLS|SSL|UNABLE_TO_VERIFY/.test(code)) return 'tls';
  return 'unreachable';
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    // a redirect is not followed: it would leave the URL the operator checked
    const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const elapsed = ms();
    // the receiver's body is never read nor kept
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { status: response.status, error: ok ? null : `http_${response.status}`, ms: elapsed };
  } catch (error) {
    return { status: null, error: failureCode(error), ms: ms() };
  }
}

/** The batch's body, written once (its bytes are what is signed): items up to the limits, then the feed cursor after them. */
function batchBody(sealer: Sealer, rows: readonly FeedRow[], options: WebhookOptions): { body: string; count: number; last: FeedPosition } {
  const parts: string[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, options.batchItems)) {
    const part = JSON.stringify(feedItem(row));
    if (parts.length > 0 && bytes + part.length + 1 > options.batchBytes) break;
    parts.push(part);
    bytes += part.length + 1; // items are ASCII: hex, ISO dates, enums
  }
  const last = positionOf(rows[parts.length - 1] as FeedRow);
  return { body: `{"items":[${parts.join(',')}],"cursor":${JSON.stringify(signCursor(sealer, FEED_CURSOR, last))}}`, count: parts.length, last };
}

/**
 * `webhook.deliver`: the next batch after the partner's webhook cursor, POSTed and logged; the cursor
 * moves on 2xx only (compare-and-set: an operator's change or another attempt in between wins), and the
 * next batch's job is sent with it. Anything else throws: the job is retried with back-off.
 */
export function webhookDeliverHandler(deps: WebhookDeps): JobHandler<WebhookJob> {
  const options = { ...WEBHOOK_DEFAULTS, ...deps.options };
  const now = deps.now ?? (() => new Date());
  return async ({ partnerId, trigger }, job) => {
    const fields = { partner: partnerId, job: job.id, attempt: job.attempt };
    const target = await targetOf(deps.db, partnerId);
    if (target === null) {
      deps.log.debug(fields, 'webhook not delivered: removed, partner revoked or without the fetch scope');
      return;
    }
    let from: FeedPosition;
    try {
      from = readCursor(deps.sealer, WEBHOOK_CURSOR, target.cursor).position;
    } catch (error) {
      if (error instanceof CursorError) throw new JobError('WEBHOOK_CURSOR_INVALID', 'the stored webhook cursor is not one this server signed: set the webhook again (halte partner webhook NAME --url …)');
      throw error;
    }
    const rows = await readChanges(deps.db, from, options.batchItems + 1);
    if (rows.length === 0) return;
    const { body, count, last } = batchBody(deps.sealer, rows, options);
    const secret = deps.sealer.open<string>(target.secretEnc);
    const logged = await deps.db
      .insertInto('webhook_delivery')
      .values({ partner_id: partnerId, attempt: job.attempt, items: count, duration_ms: 0, error: 'in_flight' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const delivery = String(logged.id);
    const outcome = await post(
      target.url,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'Halte-Webhook/1',
        'halte-delivery': delivery,
        'halte-signature': signWebhook(secret, body, Math.floor(now().getTime() / 1000)),
      },
      options.timeoutMs,
    );
    await deps.db.updateTable('webhook_delivery').set({ http_status: outcome.status, duration_ms: outcome.ms, error: outcome.error }).where('id', '=', logged.id).execute();
    const result = { ...fields, delivery, items: count, status: outcome.status, ms: outcome.ms };
    if (outcome.error !== null) {
      deps.log[job.lastAttempt ? 'error' : 'warn']({ ...result, error: outcome.error }, job.lastAttempt ? 'webhook not delivered, no retry left: the next change in the bank starts again' : 'webhook not delivered: retried later');
      throw new JobError(`WEBHOOK_${outcome.error.toUpperCase()}`, `the partner's webhook ${outcome.status === null ? `could not be reached (${outcome.error})` : `answered ${outcome.status}`}`);
    }
    const more = count < rows.length;
    const advanced = await deps.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('partner')
        .set({ webhook_cursor: signCursor(deps.sealer, WEBHOOK_CURSOR, last) })
        .where('id', '=', partnerId)
        .where('webhook_cursor', '=', target.cursor)
        .executeTakeFirst();
      if (moved.numUpdatedRows === 0n) return false;
      if (more) await deps.jobs.send(WEBHOOK_DELIVER, { partnerId, trigger }, { key: roundKey(partnerId, target.secretEnc, last, trigger), transaction: trx });
      return true;
    });
    if (advanced) deps.log.info({ ...result, more }, 'webhook delivered');
    else deps.log.info(result, 'webhook delivered, but its position was changed meanwhile (set again, or removed): not moved');
  };
}

/** Partners that receive deliveries: a webhook, not revoked, the fetch scope. */
const webhookPartners = (db: Kysely<Database>) =>
  db.selectFrom('partner').where('webhook_url', 'is not', null).where('revoked_at', 'is', null).where(sql<boolean>`'fetch' = any(scopes)`);

/** Partners with a delivery job waiting, retrying or running: pg-boss's job table, read-only. */
async function partnersWithJobs(db: Kysely<Database>): Promise<Set<number>> {
  const { rows } = await sql<{ partner_id: string }>`
    select distinct data->>'partnerId' as partner_id from ${sql.table(`${JOBS_SCHEMA}.job`)}
    where name = ${WEBHOOK_DELIVER.name} and state < 'completed'`.execute(db);
  return new Set(rows.map((r) => Number(r.partner_id)));
}

/**
 * One tick of the dispatcher: a round for each webhook partner behind the feed's head that has no job
 * under way. Under a transaction-level advisory lock (another instance's tick skips) and in one
 * transaction with the jobs it sends. Returns how many it sent.
 */
export async function dispatchWebhooks(deps: Pick<WebhookDeps, 'db' | 'sealer' | 'jobs'>): Promise<number> {
  // most ticks of most instances: no webhook at all, one query
  if (!(await webhookPartners(deps.db).select('id').limit(1).executeTakeFirst())) return 0;
  return deps.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${sql.lit(WEBHOOK_DISPATCH_LOCK_KEY)}) as locked`.execute(trx);
    if (!rows[0]?.locked) return 0;
    // jobs first: a partner without one now cannot get one meanwhile except from this tick
    const busy = await partnersWithJobs(trx);
    const partners = (await webhookPartners(trx).select(['id', 'webhook_secret_enc', 'webhook_cursor']).orderBy('id').execute()).filter((p) => !busy.has(Number(p.id)));
    if (partners.length === 0) return 0;
    const head = await feedHead(trx);
    if (head === null) return 0;
    let sent = 0;
    for (const p of partners) {
      if (p.webhook_secret_enc === null || p.webhook_cursor === null) continue;
      let from: FeedPosition | null = null;
      try {
        from = readCursor(deps.sealer, WEBHOOK_CURSOR, p.webhook_cursor).position;
      } catch (error) {
        if (!(error instanceof CursorError)) throw error;
        // sent anyway: its job fails and says why, in the logs
      }
      if (from !== null && compare(from, head) >= 0) continue;
      const partnerId = Number(p.id);
      const trigger = positionText(head);
      const id = await deps.jobs.send(WEBHOOK_DELIVER, { partnerId, trigger }, { key: roundKey(partnerId, new Uint8Array(p.webhook_secret_enc), from, trigger), transaction: trx });
      if (id !== null) sent++;
    }
    return sent;
  });
}

/**
 * Runs dispatchWebhooks every `intervalMs` (one tick at a time) until stop(), which waits for a tick
 * under way. A failing tick is logged once, then quietly retried at the next.
 */
export class WebhookDispatcher {
  readonly #deps: Pick<WebhookDeps, 'db' | 'sealer' | 'jobs' | 'log'>;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #stopped = false;
  #failing = false;

  constructor(deps: Pick<WebhookDeps, 'db' | 'sealer' | 'jobs' | 'log'>, intervalMs: number = WEBHOOK_DISPATCH_MS) {
    this.#deps = deps;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#run().finally(() => {
        this.#tick = undefined;
        this.#schedule();
      });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    try {
      const sent = await dispatchWebhooks(this.#deps);
      if (sent > 0) this.#deps.log.debug({ sent }, 'webhook deliveries queued');
      if (this.#failing) this.#deps.log.info('webhook dispatch works again');
      this.#failing = false;
    } catch (error) {
      if (!this.#failing) {
        const safe = safeJobError(error);
        this.#deps.log.warn({ err: { name: safe.name, code: safe.code, message: safe.message } }, 'webhook dispatch failed; tried again every tick');
      }
      this.#failing = true;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
  }
}
