// buildApp(config): the HTTP server. Issue 3 adds the database, the domain modules and the web app;
// what is here (health, errors, logging) is the frame they plug into.
import Fastify, { type FastifyInstance } from 'fastify';

import type { Config } from './config/config.js';
import type { Sealer } from './crypto/sealed.js';
import { pendingMigrations, type HalteDatabase } from './db/database.js';
import { apiError } from './http/errors.js';
import { registerFollowupRoutes } from './modules/followup/routes.js';
import { registerOrientationRoutes } from './modules/orientation/routes.js';
import { registerReportRoutes } from './modules/reports/routes.js';
import type { Orient } from './modules/reports/service.js';

export const VERSION = '0.1.0';

export interface AppServices {
  readonly database: HalteDatabase;
  readonly sealer: Sealer;
  readonly orient: Orient;
}

export function buildApp(config: Config, services: AppServices): FastifyInstance {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    // The people who use Halte must not be traceable through its logs: requests are logged without
    // addresses, headers or bodies.
    logger: {
      level: config.logLevel,
      name: 'http',
      serializers: {
        req: (req: { method: string; routeOptions?: { url?: string | undefined } }) => ({
          method: req.method,
          route: req.routeOptions?.url,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    trustProxy: false,
  });

  // Health answers 503 rather than "ok" when the database is unreachable or behind the code: a load
  // balancer must not send a person's report to an instance that cannot keep it.
  app.get('/api/health', async (_request, reply) => {
    let database: { kind: string; reachable: boolean; pendingMigrations: number };
    try {
      const pending = await pendingMigrations(services.database.db);
      database = { kind: services.database.kind, reachable: true, pendingMigrations: pending.length };
    } catch {
      database = { kind: services.database.kind, reachable: false, pendingMigrations: -1 };
    }
    const ok = database.reachable && database.pendingMigrations === 0;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', version: VERSION, database });
  });

  registerOrientationRoutes(app);
  registerFollowupRoutes(app, { db: services.database.db, sealer: services.sealer });
  registerReportRoutes(app, { db: services.database.db, sealer: services.sealer, orient: services.orient });

  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(apiError('NOT_FOUND', 'no such route'));
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(apiError('PAYLOAD_TOO_LARGE', 'the request body is too large'));
    if (status >= 400 && status < 500) return reply.code(status).send(apiError('BAD_REQUEST', error.message));
    request.log.error({ err: { type: error.code, message: error.message } }, 'request failed');
    return reply.code(500).send(apiError('INTERNAL_ERROR', 'something went wrong on our side'));
  });

  return app;
}
