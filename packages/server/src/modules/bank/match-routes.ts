// POST /api/v1/match: up to 1,000 hashes against this instance's in-memory index of the bank. Answers
// hash ids, types, provenance and distances — never anything about the person. 503 INDEX_NOT_READY
// while the index loads (after a start): a silent "no match" would let a re-upload through.
import { MatchRequest } from '@halte/contract';
import type { FastifyInstance } from 'fastify';

import { apiError, validationError } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { PARTNER_ROUTE, partnerOf, type RequirePartner } from './guard.js';
import { IndexNotReadyError, type BankMatcher } from './matcher.js';

/** 1,000 PDQ items are ~100 KB; videos' frames make the rest (MAX_MATCH_FRAMES, ~100 bytes each). */
export const MATCH_BODY_LIMIT = 4 * 1024 * 1024;
/**
 * Video frames across the items of one request: one longest video (the contract's 10,000 frames, 2¾
 * hours at a frame a second). Matching runs on the event loop and a frame costs a PDQ look-up: 10,000
 * frames against 300,000 banked frame hashes took ~2 s here, during which this instance answers no one.
 */
export const MAX_MATCH_FRAMES = 10_000;

export function registerMatchRoutes(app: FastifyInstance, deps: { matcher: BankMatcher; requirePartner: RequirePartner }, log: Logger): void {
  app.post('/api/v1/match', { ...PARTNER_ROUTE, bodyLimit: MATCH_BODY_LIMIT, preHandler: deps.requirePartner('match') }, async (request, reply) => {
    const parsed = MatchRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    const frames = parsed.data.items.reduce((n, item) => n + (item.signalType === 'vpdq' ? item.value.length : 0), 0);
    if (frames > MAX_MATCH_FRAMES) {
      return reply.code(400).send(apiError('VALIDATION_FAILED', `at most ${MAX_MATCH_FRAMES} video frames per request: split the batch`));
    }
    const partner = partnerOf(request);
    try {
      const results = deps.matcher.match(parsed.data.items, partner.maxDistance);
      const matched = results.reduce((n, r) => n + (r.matches.length > 0 ? 1 : 0), 0);
      log.debug({ partner: partner.id, items: results.length, matched }, 'match');
      return reply.header('cache-control', 'no-store').send({ results });
    } catch (error) {
      if (error instanceof IndexNotReadyError) {
        return reply.code(503).header('retry-after', '5').send(apiError('INDEX_NOT_READY', 'the match index of this server is loading: retry in a few seconds'));
      }
      throw error;
    }
  });
}
