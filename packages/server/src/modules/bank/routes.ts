// /api/v1 (the partner API: feed, acknowledgements, feedback; the match route is in match-routes.ts)
// and /api/staff/bank (the quarantine). Thin: validate → guard (key, scope, rate) → service → present.
import { AckRequest, FeedbackRequest, FeedQuery, QuarantineDecision, type FeedPage } from '@halte/contract';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { apiError, orRefusal, parseOr400 } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { staffOf } from '../staff/guard.js';
import { CursorError, FEED_START, readCursor, signCursor } from './cursor.js';
import { feedItem, positionOf, readChanges } from './feed.js';
import { PARTNER_ROUTE, partnerOf, type RequirePartner } from './guard.js';
import { acknowledge, quarantineList, recordFeedback, reviewQuarantined, type BankDeps } from './service.js';

export const FEED_CURSOR = 'feed';



const HashParams = z.strictObject({ id: z.coerce.number().int().min(1).max(999_999_999_999_999) });

export function registerBankRoutes(app: FastifyInstance, deps: BankDeps & { requirePartner: RequirePartner }, log: Logger): void {
  const { requirePartner } = deps;

  app.get('/api/v1/hashes', { ...PARTNER_ROUTE, preHandler: requirePartner('fetch') }, async (request, reply) => {
    const query = parseOr400(FeedQuery, request.query, reply);
    if (!query) return reply;
    let after = FEED_START;
    if (query.cursor !== undefined && query.cursor !== '') {
      try {
        after = readCursor(deps.sealer, FEED_CURSOR, query.cursor).position;
      } catch (error) {
        if (error instanceof CursorError) return reply.code(400).send(apiError('CURSOR_INVALID', `${error.message}: start again with an empty cursor`));
        throw error;
      }
    }
    const rows = await readChanges(deps.db, after, query.limit);
    const last = rows.at(-1);
    const page: FeedPage = { items: rows.map(feedItem), nextCursor: signCursor(deps.sealer, FEED_CURSOR, last ? positionOf(last) : after) };
    return reply.header('cache-control', 'no-store').send(page);
  });

  app.post('/api/v1/acks', { ...PARTNER_ROUTE, preHandler: requirePartner('fetch') }, async (request, reply) => {
    const body = parseOr400(AckRequest, request.body, reply);
    if (!body) return reply;
    const partner = partnerOf(request);
    const result = await acknowledge(deps.db, partner, body.hashIds);
    log.info({ partner: partner.id, acknowledged: result.acknowledged }, 'tombstones acknowledged');
    return reply.send(result);
  });

  app.post('/api/v1/feedback', { ...PARTNER_ROUTE, preHandler: requirePartner('feedback') }, async (request, reply) => {
    const body = parseOr400(FeedbackRequest, request.body, reply);
    if (!body) return reply;
    const partner = partnerOf(request);
    return orRefusal(reply, async () => {
      const { overAllowance, ...result } = await recordFeedback(deps, partner, body);
      // ids and the outcome only: never the URL
      log.info({ partner: partner.id, hash: body.hashId, outcome: body.outcome, quarantined: result.quarantined }, 'feedback recorded');
      if (overAllowance) log.warn({ partner: partner.id }, 'partner over its daily allowance of suspensions: feedback recorded, hash not suspended');
      return reply.send(result);
    });
  });

  const { requireStaff } = app;
  app.get('/api/staff/bank/quarantine', { preHandler: requireStaff('bank.review') }, async (_request, reply) => {
    return reply.header('cache-control', 'no-store').send(await quarantineList(deps.db));
  });
  app.post('/api/staff/bank/hashes/:id/review', { preHandler: requireStaff('bank.review') }, async (request, reply) => {
    const params = parseOr400(HashParams, request.params, reply);
    if (!params) return reply;
    const body = parseOr400(QuarantineDecision, request.body, reply);
    if (!body) return reply;
    return orRefusal(reply, async () => {
      await reviewQuarantined(deps.db, staffOf(request), params.id, body.decision);
      return reply.code(204).send();
    });
  });
}
