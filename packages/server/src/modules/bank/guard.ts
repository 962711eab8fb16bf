// Partner authentication for /api/v1 and the StopNCII face: the key (Authorization: Bearer, or the
// StopNCII client's headers), the scope the route needs, and the partner's own rate limit (a token
// bucket per partner, in this process's memory: with several instances each allows the limit).
import type { PartnerScope } from '@halte/contract';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { apiError } from '../../http/errors.js';
import { authenticate, type Partner } from './partners.js';

declare module 'fastify' {
  interface FastifyRequest {
    partner?: Partner;
  }
}

/** Where the key is read from: the partner API's bearer token, or the StopNCII client's headers. */
export type KeySource = 'bearer' | 'stopncii';

function keyOf(request: FastifyRequest, source: KeySource): string | undefined {
  if (source === 'bearer') {
    const header = request.headers.authorization;
    if (typeof header !== 'string') return undefined;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return m?.[1];
  }
  // python-threatexchange's StopNCII client sends both its subscription key and a function key; the
  // partner puts its Halte key in the subscription key (and may in both).
  const subscription = request.headers['ocp-apim-subscription-key'];
  if (typeof subscription === 'string' && subscription.length > 0) return subscription.trim();
  const functions = request.headers['x-functions-key'];
  return typeof functions === 'string' && functions.length > 0 ? functions.trim() : undefined;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class PartnerRateLimiter {
  readonly #buckets = new Map<number, Bucket>();

  /** Takes one token; returns 0 when allowed, otherwise the seconds to wait. */
  take(partner: Partner, now = Date.now()): number {
    const capacity = partner.rateLimitPerMinute;
    const perMs = capacity / 60_000;
    const bucket = this.#buckets.get(partner.id) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    this.#buckets.set(partner.id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
}

export function createRequirePartner(db: Kysely<Database>, limiter = new PartnerRateLimiter()) {
  return (scope: PartnerScope, source: KeySource = 'bearer'): preHandlerAsyncHookHandler =>
    async function requirePartner(request: FastifyRequest, reply: FastifyReply) {
      const key = keyOf(request, source);
      const partner = key === undefined ? null : await authenticate(db, key);
      if (partner === null) {
        const where = source === 'bearer' ? 'Authorization: Bearer <key>' : 'the Ocp-Apim-Subscription-Key header';
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send(apiError('PARTNER_KEY_INVALID', `send a valid partner key in ${where} (keys are shown once, by "halte partner add" or "rotate")`));
      }
      if (!partner.scopes.includes(scope)) {
        return reply.code(403).send(apiError('PARTNER_SCOPE_MISSING', `this key does not have the "${scope}" scope`));
      }
      const wait = limiter.take(partner);
      if (wait > 0) {
        return reply.code(429).header('retry-after', String(wait)).send(apiError('RATE_LIMITED', `this partner's rate limit is reached: retry in ${wait} s`));
      }
      request.partner = partner;
      return undefined;
    };
}

export type RequirePartner = ReturnType<typeof createRequirePartner>;

/** The partner a route's guard let through. */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new Error('@NOTE partnerOf used on a route without requirePartner');
  return request.partner;
}

/** Partner routes are limited per partner (above), not per address: many platforms sit behind few addresses. */
export const PARTNER_ROUTE = { config: { rateLimit: false } } as const;
