// Headers and limits every answer gets: a strict Content-Security-Policy with no third-party origin,
// no referrer, no framing; per-client rate limits kept in memory only (addresses are never stored).
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

import type { Config } from '../config/config.js';

export function registerSecurity(app: FastifyInstance, config: Config): void {
  void app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // hashing in the browser compiles WebAssembly (MD5/SHA-256), nothing else is evaluated
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'blob:', 'data:'],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  void app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // (the error handler turns this into the RATE_LIMITED answer)
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `retry in ${Math.ceil(context.ttl / 1000)} s` }),
  });
}
