// The StopNCII-compatible face (/api/stopncii/v1/*): platforms that run Meta's Hasher-Matcher-Actioner
// (python-threatexchange's StopNCII client) sync Halte's bank by pointing the client's base URL here,
// with their Halte key as the subscription key — no code. The shapes are the client's (its
// FetchHashesResponse, StopNCIIHashRecord, feedback and submission bodies); the paging rides on the
// same commit-safe feed as /api/v1/hashes (feed.ts).
//
// The client keeps one number between syncs: the last page's nextSetTimestamp, sent back as
// startTimestamp. Every page's nextSetTimestamp is a time T such that every change the client has not
// been given yet carries updated_at ≥ T (decision 0018), so a restart from it repeats but never skips;
// it moves forward page after page, so a first sync of a large bank that HMA cuts short (it stops a
// fetch after 4 minutes) resumes where it was instead of starting again.
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../db/schema/index.js';
import { apiError, parseOr400 } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { CursorError, readCursor, signCursor, type FeedPosition } from './cursor.js';
import { positionOf, readChanges, type FeedRow } from './feed.js';
import { PARTNER_ROUTE, partnerOf, type RequirePartner } from './guard.js';
import { BankError, recordFeedback, type BankDeps } from './service.js';

const PURPOSE = 'stopncii';
/** Records per SubmitFeedback or SubmitHashes request. */
const MAX_RECORDS = 1000;
/** 2100-01-01: a later start is a mistake. */
const LAST_TIMESTAMP = 4_102_444_800;

/** Query parameters arrive as strings (the client's `requests` params). */
const FetchQuery = z.strictObject({
  startTimestamp: z.coerce.number().int('startTimestamp is whole seconds since 1970').min(0).max(LAST_TIMESTAMP).default(10),
  pageSize: z.coerce.number().int().min(1, 'pageSize is 1 to 10000').max(10_000, 'pageSize is 1 to 10000').default(800),
  nextPageToken: z.string().max(300).optional(),
});

/** The client's enums, also in the form Python's str() gives them ("StopNCIISignalType.ImagePDQ"). */
const enumValue = <T extends readonly [string, ...string[]]>(prefix: string, values: T) =>
  z
    .string()
    .max(80)
    .transform((v) => (v.startsWith(`${prefix}.`) ? v.slice(prefix.length + 1) : v))
    .pipe(z.enum(values));

const SignalTypeName = enumValue('StopNCIISignalType', ['Unknown', 'ImagePDQ', 'VideoMD5', 'VideoTMK', 'Text', 'URL'] as const);
const FeedbackValue = enumValue('StopNCIICSPFeedbackValue', ['Unknown', 'None', 'QualityUnknown', 'PendingReview', 'Blocked', 'NotBlocked', 'Withdrawn', 'Deleted'] as const);
const Tags = z.array(z.string().max(200)).max(50).optional();
/** What this face serves, and so what it takes back: hexadecimal, of its type's length. */
const DIGITS = { ImagePDQ: 64, VideoMD5: 32 } as const;
const HEX = /^[0-9a-fA-F]+$/;

const SubmitFeedbackBody = z.object({
  count: z.number().int().min(0).max(MAX_RECORDS).optional(),
  hashFeedbacks: z
    .array(
      z.object({
        // the client does not say the type: a value of this face's types (32 or 64 digits)
        hashValue: z
          .string()
          .regex(HEX, 'hashValue is hexadecimal')
          .refine((v) => v.length === 32 || v.length === 64, 'hashValue is an ImagePDQ (64 digits) or a VideoMD5 (32 digits)')
          .transform((v) => v.toLowerCase()),
        feedbackValue: FeedbackValue,
        tags: Tags,
      }),
    )
    .min(1)
    .max(MAX_RECORDS),
});

const SubmitHashesBody = z.object({
  count: z.number().int().min(0).max(MAX_RECORDS).optional(),
  hashRecords: z
    .array(
      z
        .object({
          lastModtimestamp: z.number().optional(),
          signalType: SignalTypeName,
          hashValue: z.string().min(1).max(1000),
          CSPFeedbacks: z.array(z.object({ feedbackValue: FeedbackValue, tags: Tags })).max(20).optional(),
        })
        .superRefine((r, ctx) => {
          if (r.signalType !== 'ImagePDQ' && r.signalType !== 'VideoMD5') return; // not kept: not checked
          if (r.hashValue.length !== DIGITS[r.signalType] || !HEX.test(r.hashValue)) {
            ctx.addIssue({ code: 'custom', path: ['hashValue'], message: `an ${r.signalType} is ${DIGITS[r.signalType]} hexadecimal digits` });
          }
        }),
    )
    .min(1)
    .max(MAX_RECORDS),
});

/** What a signal is called on this face; the others (image digests, vPDQ, video SHA-256) have no name here. */
function signalTypeOf(row: FeedRow): keyof typeof DIGITS | null {
  if (row.signal_type === 'pdq') return 'ImagePDQ';
  if (row.signal_type === 'md5' && row.video_id !== null) return 'VideoMD5';
  return null;
}

/**
 * Where a fetch from `start` (seconds) begins: before the first change made at or after it. The rows
 * changed since that are visible now have change_xid ≥ the minimum found; those still being written
 * have change_xid ≥ the snapshot's xmin. Rows in between that changed earlier come again: harmless, a
 * record replaces the last one with its value.
 */
async function startPosition(db: Kysely<Database>, start: number): Promise<FeedPosition> {
  const result = await sql<{ xid: string }>`
    select least(
      (select min(change_xid) from bank_hash where published and updated_at >= to_timestamp(${start})),
      pg_snapshot_xmin(pg_current_snapshot()))::text as xid`.execute(db);
  // (xid, 0) sorts before every row of that transaction: ids start at 1
  return { xid: result.rows[0]?.xid ?? '0', id: 0 };
}

/**
 * The earliest updated_at (epoch milliseconds, floored) that any change after `after` not yet given to
 * the client can carry, knowing none is earlier than `bound`; null when the server does not track
 * activity (then nothing can be said). A change the client has not had is either
 *   - written by a transaction still open, or yet to begin: updated_at is now() of its transaction, no
 *     earlier than the oldest open transaction's start, or than now — read first, so that a transaction
 *     that commits meanwhile is seen by the second query;
 *   - committed but beyond the feed's horizon (an older transaction is still open): a row after
 *     `after`, found through the updated_at index between `bound` and the next row's own updated_at —
 *     a short range, as the feed's order and time go together.
 * Sessions of other database roles show no start: bank rows are written by Halte's own role only.
 */
async function pendingSince(db: Kysely<Database>, after: FeedPosition, bound: number): Promise<number | null> {
  const open = await sql<{ ms: string; tracked: boolean }>`
    select floor(extract(epoch from least(now(), min(xact_start))) * 1000)::bigint::text as ms,
      current_setting('track_activities') = 'on' as tracked
    from pg_stat_activity
    where datname = current_database() and backend_type <> 'autovacuum worker'`.execute(db);
  const activity = open.rows[0];
  if (!activity?.tracked) return null;
  const position = sql`(${after.xid}::xid8, ${after.id}::bigint)`;
  const from = sql`(timestamptz 'epoch' + ${bound}::bigint * interval '1 millisecond')`;
  const rows = await sql<{ ms: string | null }>`
    with next as (
      select updated_at from bank_hash
      where published and (change_xid, id) > ${position} and updated_at >= ${from}
      order by change_xid, id
      limit 1
    )
    select floor(extract(epoch from coalesce(
      (select min(b.updated_at) from bank_hash b
       where b.published and b.updated_at >= ${from} and b.updated_at < (select updated_at from next)
         and (b.change_xid, b.id) > ${position}),
      (select updated_at from next))) * 1000)::bigint::text as ms`.execute(db);
  const committed = rows.rows[0]?.ms;
  const running = Number(activity.ms);
  return committed === null || committed === undefined ? running : Math.min(running, Number(committed));
}

/** The page token's own field: the requested start (s) and the lower bound carried forward (ms). */
const TOKEN_EXTRA = /^(0|[1-9][0-9]{0,9})-(0|[1-9][0-9]{0,15})$/;


/** Feedback values that are an outcome; the others (PendingReview, None, QualityUnknown, Unknown, Withdrawn, Deleted) record nothing. */
const FEEDBACK_OUTCOME: Partial<Record<z.output<typeof FeedbackValue>, 'blocked' | 'not_blocked'>> = { Blocked: 'blocked', NotBlocked: 'not_blocked' };

export function registerStopnciiRoutes(app: FastifyInstance, deps: BankDeps & { requirePartner: RequirePartner }, log: Logger): void {
  const { requirePartner } = deps;
  let untrackedWarned = false;

  app.get('/api/stopncii/v1/FetchHashes', { ...PARTNER_ROUTE, preHandler: requirePartner('fetch', 'stopncii') }, async (request, reply) => {
    const query = parseOr400(FetchQuery, request.query, reply);
    if (!query) return reply;
    let position: FeedPosition;
    let start = query.startTimestamp;
    let bound = start * 1000;
    if (query.nextPageToken !== undefined && query.nextPageToken !== '') {
      try {
        const token = readCursor(deps.sealer, PURPOSE, query.nextPageToken, true);
        const extra = TOKEN_EXTRA.exec(token.extra ?? '');
        if (!extra) throw new CursorError('this page token is malformed');
        position = token.position;
        start = Number(extra[1]);
        bound = Number(extra[2]);
      } catch (error) {
        if (error instanceof CursorError) return reply.code(400).send(apiError('CURSOR_INVALID', `${error.message}: start again from your last nextSetTimestamp`));
        throw error;
      }
    } else {
      position = await startPosition(deps.db, start);
    }
    const rows = await readChanges(deps.db, position, query.pageSize);
    const hasMoreRecords = rows.length === query.pageSize;
    const last = rows.at(-1);
    const next = last ? positionOf(last) : position;

    const pending = await pendingSince(deps.db, next, bound);
    if (pending === null && !untrackedWarned) {
      untrackedWarned = true;
      log.warn('track_activities is off: the StopNCII checkpoint cannot move past the requested start');
    }
    // never below the start: the client asked for nothing earlier, and HMA refuses a checkpoint that goes back
    const nextBound = Math.max(start * 1000, pending ?? 0);
    const nextSetTimestamp = Math.max(start, Math.floor(nextBound / 1000) - 1);

    const hashRecords = [];
    for (const row of rows) {
      const signalType = signalTypeOf(row);
      if (signalType === null || row.value === null) continue;
      const hashStatus = row.status === 'active' ? 'Active' : 'Withdrawn';
      hashRecords.push({
        lastModtimestamp: Math.floor(row.updated_at.getTime() / 1000),
        signalType,
        hashValue: row.value,
        hashStatus,
        // an opaque id of the bank row: never anything about the person or their case
        caseNumbers: { [String(row.id)]: hashStatus },
        // one platform's feedback is not shown to others
        CSPFeedbacks: [],
      });
    }
    return reply.header('cache-control', 'no-store').send({
      count: hashRecords.length,
      nextPageToken: hasMoreRecords ? signCursor(deps.sealer, PURPOSE, next, `${start}-${nextBound}`) : '',
      nextSetTimestamp,
      hasMoreRecords,
      hashRecords,
    });
  });

  app.post('/api/stopncii/v1/SubmitFeedback', { ...PARTNER_ROUTE, preHandler: requirePartner('feedback', 'stopncii') }, async (request, reply) => {
    const body = parseOr400(SubmitFeedbackBody, request.body, reply);
    if (!body) return reply;
    const partner = partnerOf(request);
    const wanted = [...new Set(body.hashFeedbacks.filter((f) => FEEDBACK_OUTCOME[f.feedbackValue] !== undefined).map((f) => f.hashValue))];
    // the rows this face serves: image PDQ, video MD5 (a 64-digit value is never matched to a SHA-256)
    const rows =
      wanted.length === 0
        ? []
        : await deps.db
            .selectFrom('bank_hash')
            .select(['id', 'value'])
            .where('value', 'in', wanted)
            .where('published', '=', true)
            .where((eb) => eb.or([eb('signal_type', '=', 'pdq'), eb.and([eb('signal_type', '=', 'md5'), eb('video_id', 'is not', null)])]))
            .execute();
    const idsOf = new Map<string, number[]>();
    for (const row of rows) idsOf.set(row.value as string, [...(idsOf.get(row.value as string) ?? []), Number(row.id)]);

    let count = 0;
    let unknown = 0;
    let ignored = 0;
    let quarantined = 0;
    let overAllowance = false;
    for (const item of body.hashFeedbacks) {
      const outcome = FEEDBACK_OUTCOME[item.feedbackValue];
      if (outcome === undefined) {
        ignored++;
        continue;
      }
      let recorded = false;
      for (const hashId of idsOf.get(item.hashValue) ?? []) {
        try {
          const result = await recordFeedback(deps, partner, { hashId, outcome, count: 1 });
          recorded = true;
          if (result.quarantined) quarantined++;
          overAllowance ||= result.overAllowance;
        } catch (error) {
          if (!(error instanceof BankError)) throw error;
        }
      }
      if (recorded) count++;
      else unknown++;
    }
    log.info({ partner: partner.id, count, unknown, ignored, quarantined }, 'StopNCII feedback recorded');
    if (overAllowance) log.warn({ partner: partner.id }, 'partner over its daily allowance of suspensions: feedback recorded, hash not suspended');
    return reply.send({ count, unknown, ignored });
  });

  app.post('/api/stopncii/v1/SubmitHashes', { ...PARTNER_ROUTE, preHandler: requirePartner('feedback', 'stopncii') }, async (request, reply) => {
    const body = parseOr400(SubmitHashesBody, request.body, reply);
    if (!body) return reply;
    const partner = partnerOf(request);
    const kept = new Map<string, { signal_type: string; value: string; feedback: string | null }>();
    let unsupported = 0;
    for (const r of body.hashRecords) {
      // VideoTMK, Text, URL, Unknown: nothing Halte can match — and text or a URL may name someone
      if (r.signalType !== 'ImagePDQ' && r.signalType !== 'VideoMD5') {
        unsupported++;
        continue;
      }
      const value = r.hashValue.toLowerCase();
      kept.set(`${r.signalType}:${value}`, { signal_type: r.signalType, value, feedback: r.CSPFeedbacks?.[0]?.feedbackValue ?? null });
    }
    if (kept.size > 0) {
      await deps.db
        .insertInto('partner_submission')
        .values([...kept.values()].map((r) => ({ partner_id: partner.id, ...r })))
        .execute();
    }
    const count = body.hashRecords.length - unsupported;
    log.info({ partner: partner.id, count, unsupported }, 'StopNCII submission kept for analysts');
    return reply.send({ count, unsupported });
  });
}
