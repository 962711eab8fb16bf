// The StopNCII-compatible face (/api/stopncii/v1/*): platforms that run Meta's Hasher-Matcher-Actioner
// (python-threatexchange's StopNCII client) sync Halte's bank by pointing the client's base URL here,
// with their Halte key as the subscription key — no code. The shapes are the client's (its
// FetchHashesResponse, StopNCIIHashRecord, feedback and submission bodies); the paging rides on the
// same commit-safe feed as /api/v1/hashes (feed.ts), with a timestamp checkpoint that never skips.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';

import { apiError, validationError } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { CursorError, FEED_START, readCursor, signCursor, type FeedPosition } from './cursor.js';
import { positionOf, readChanges, type FeedRow } from './feed.js';
import { PARTNER_ROUTE, partnerOf, type RequirePartner } from './guard.js';
import { BankError, recordFeedback, type BankDeps } from './service.js';

const PURPOSE = 'stopncii';
const MAX_RECORDS = 1000;

/** Query parameters arrive as strings (the client's `requests` params). */
const FetchQuery = z.strictObject({
  startTimestamp: z.coerce.number().int().min(0).max(4_102_444_800).default(10),
  pageSize: z.coerce.number().int().min(1).max(10_000).default(800),
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
const HashValue = z.string().min(1).max(128).regex(/^[0-9a-fA-F]+$/, 'must be hexadecimal').transform((v) => v.toLowerCase());

const SubmitFeedbackBody = z.object({
  count: z.number().int().min(0).max(MAX_RECORDS).optional(),
  hashFeedbacks: z.array(z.object({ hashValue: HashValue, feedbackValue: FeedbackValue, tags: Tags })).min(1).max(MAX_RECORDS),
});

const SubmitHashesBody = z.object({
  count: z.number().int().min(0).max(MAX_RECORDS).optional(),
  hashRecords: z
    .array(
      z.object({
        lastModtimestamp: z.number().optional(),
        signalType: SignalTypeName,
        hashValue: HashValue,
        CSPFeedbacks: z.array(z.object({ feedbackValue: FeedbackValue, tags: Tags })).max(20).optional(),
      }),
    )
    .min(1)
    .max(MAX_RECORDS),
});

/** What a signal can be called on this face; others (image digests, vPDQ, video SHA-256) have no name here. */
function signalTypeOf(row: FeedRow): 'ImagePDQ' | 'VideoMD5' | null {
  if (row.signal_type === 'pdq') return 'ImagePDQ';
  if (row.signal_type === 'md5' && row.video_id !== null) return 'VideoMD5';
  return null;
}

/**
 * Where a fetch from `start` (seconds) begins: just before the first change at or after it. Changes are
 * ordered by transaction, and a transaction's rows carry its start time, so every row with updated_at ≥
 * start has change_xid ≥ the minimum found (later rows repeat harmlessly: a record replaces the last).
 */
async function positionFrom(deps: BankDeps, start: number): Promise<FeedPosition> {
  const result = await sql<{ xid: string | null }>`
    select min(change_xid)::text as xid from bank_hash where published and updated_at >= to_timestamp(${start})`.execute(deps.db);
  const xid = result.rows[0]?.xid;
  if (!xid || xid === '0') return FEED_START;
  // (xid − 1, max) would do; (xid, 0) is the same position: rows of xid all have ids > 0
  return { xid, id: 0 };
}

/**
 * A checkpoint for the end of the feed: every change not yet visible was made by a transaction still
 * running or yet to start, so it will carry an updated_at no earlier than the oldest running writer's
 * start (or now). One second earlier, in whole seconds, for the rounding.
 */
async function safeCheckpoint(deps: BankDeps): Promise<number> {
  const result = await sql<{ t: string }>`
    select floor(extract(epoch from least(now(), coalesce(
      (select min(xact_start) from pg_stat_activity where backend_xid is not null), now()))))::bigint::text as t`.execute(deps.db);
  return Math.max(0, Number(result.rows[0]?.t ?? 0) - 1);
}

function parse<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply): z.output<S> | undefined {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  void reply.code(400).send(validationError(parsed.error));
  return undefined;
}

const FEEDBACK_OUTCOME = { Blocked: 'blocked', NotBlocked: 'not_blocked' } as const;

export function registerStopnciiRoutes(app: FastifyInstance, deps: BankDeps & { requirePartner: RequirePartner }, log: Logger): void {
  const { requirePartner } = deps;

  app.get('/api/stopncii/v1/FetchHashes', { ...PARTNER_ROUTE, preHandler: requirePartner('fetch', 'stopncii') }, async (request, reply) => {
    const query = parse(FetchQuery, request.query, reply);
    if (!query) return reply;
    let position: FeedPosition;
    let start = query.startTimestamp;
    if (query.nextPageToken !== undefined && query.nextPageToken !== '') {
      try {
        const token = readCursor(deps.sealer, PURPOSE, query.nextPageToken, true);
        position = token.position;
        start = Number(token.extra);
        if (!Number.isInteger(start) || start < 0) throw new CursorError('this page token is malformed');
      } catch (error) {
        if (error instanceof CursorError) return reply.code(400).send(apiError('CURSOR_INVALID', `${error.message}: start again from your last nextSetTimestamp`));
        throw error;
      }
    } else {
      position = await positionFrom(deps, start);
    }
    const rows = await readChanges(deps.db, position, query.pageSize);
    const hasMoreRecords = rows.length === query.pageSize;
    const last = rows.at(-1);
    const next = last ? positionOf(last) : position;
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
        caseNumbers: { [String(row.id)]: hashStatus },
        CSPFeedbacks: [],
      });
    }
    return reply.header('cache-control', 'no-store').send({
      count: hashRecords.length,
      nextPageToken: hasMoreRecords ? signCursor(deps.sealer, PURPOSE, next, String(start)) : '',
      // mid-way, a restart from the requested start repeats but never skips; at the end, a safe checkpoint
      nextSetTimestamp: hasMoreRecords ? start : await safeCheckpoint(deps),
      hasMoreRecords,
      hashRecords,
    });
  });

  app.post('/api/stopncii/v1/SubmitFeedback', { ...PARTNER_ROUTE, preHandler: requirePartner('feedback', 'stopncii') }, async (request, reply) => {
    const body = parse(SubmitFeedbackBody, request.body, reply);
    if (!body) return reply;
    const partner = partnerOf(request);
    let recorded = 0;
    let unknown = 0;
    let ignored = 0;
    for (const item of body.hashFeedbacks) {
      const outcome = FEEDBACK_OUTCOME[item.feedbackValue as keyof typeof FEEDBACK_OUTCOME];
      if (outcome === undefined) {
        // PendingReview, None, QualityUnknown, Unknown: not an outcome; Withdrawn, Deleted: the partner's own state
        ignored++;
        continue;
      }
      const hashes = await deps.db.selectFrom('bank_hash').select('id').where('value', '=', item.hashValue).where('published', '=', true).execute();
      if (hashes.length === 0) unknown++;
      for (const h of hashes) {
        try {
          await recordFeedback(deps, partner, { hashId: Number(h.id), outcome, count: 1 });
          recorded++;
        } catch (error) {
          if (!(error instanceof BankError)) throw error;
          unknown++;
        }
      }
    }
    log.info({ partner: partner.id, recorded, unknown, ignored }, 'StopNCII feedback');
    return reply.send({ count: recorded, unknown, ignored });
  });

  app.post('/api/stopncii/v1/SubmitHashes', { ...PARTNER_ROUTE, preHandler: requirePartner('feedback', 'stopncii') }, async (request, reply) => {
    const body = parse(SubmitHashesBody, request.body, reply);
    if (!body) return reply;
    const lengths = { ImagePDQ: 64, VideoMD5: 32 } as const;
    const records = body.hashRecords.filter((r) => r.signalType === 'ImagePDQ' || r.signalType === 'VideoMD5');
    const bad = records.findIndex((r) => r.hashValue.length !== lengths[r.signalType as keyof typeof lengths]);
    if (bad >= 0) return reply.code(400).send(apiError('VALIDATION_FAILED', `hashRecords.${bad}: wrong length for its signal type`));
    const partner = partnerOf(request);
    if (records.length > 0) {
      await deps.db
        .insertInto('partner_submission')
        .values(records.map((r) => ({ partner_id: partner.id, signal_type: r.signalType, value: r.hashValue, feedback: r.CSPFeedbacks?.[0]?.feedbackValue ?? null })))
        .execute();
    }
    log.info({ partner: partner.id, kept: records.length, unsupported: body.hashRecords.length - records.length }, 'StopNCII submission kept for analysts');
    return reply.send({ count: records.length, unsupported: body.hashRecords.length - records.length });
  });
}
