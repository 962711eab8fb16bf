// buildApp(config): the HTTP server. Issue 3 adds the database, the domain modules and the web app;
// what is here (health, errors, logging) is the frame they plug into.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

import type { Config } from './config/config.js';
import type { Sealer } from './crypto/sealed.js';
import { pendingMigrations, type HalteDatabase } from './db/database.js';
import type { Jobs } from './jobs/jobs.js';
import { apiError } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { registerSecurity } from './http/security.js';
import { registerWebApp } from './http/web.js';
import { subsystemLogger, type Logger } from './log/logger.js';
import { VERSION } from './version.js';
import { registerFollowupRoutes } from './modules/followup/routes.js';
import { registerOrientationRoutes } from './modules/orientation/routes.js';
import { registerReportRoutes } from './modules/reports/routes.js';
import type { Orient } from './modules/reports/service.js';
import { registerAuditRoutes } from './modules/audit/routes.js';
import { registerCaseRoutes } from './modules/cases/routes.js';
import { OWASP_ARGON2ID, type PasswordHashing } from './modules/staff/passwords.js';
import { registerStaffRoutes } from './modules/staff/routes.js';
import { createRequirePartner } from './modules/bank/guard.js';
import { registerMatchRoutes } from './modules/bank/match-routes.js';
import { BankMatcher } from './modules/bank/matcher.js';
import { registerBankRoutes } from './modules/bank/routes.js';
import { quarantine } from './modules/bank/service.js';
import { registerStopnciiRoutes } from './modules/bank/stopncii.js';
import { seedHostDirectory } from './modules/notices/directory.js';
import { registerNoticeRoutes } from './modules/notices/routes.js';
import websocket from '@fastify/websocket';
import { chatBusFor } from './modules/chat/bus.js';
import { MAX_CHAT_FRAME_BYTES, registerChatRoutes } from './modules/chat/routes.js';

export { VERSION } from './version.js';

export interface AppServices {
  readonly database: HalteDatabase;
  readonly sealer: Sealer;
  readonly orient: Orient;
  /** The process's root logger; each subsystem writes through a named child of it. */
  readonly logger: Logger;
  /** Tests only: weaker password hashing (fast), a clock to move. Production: OWASP's argon2id, the real clock. */
  readonly staff?: { readonly passwordHashing?: PasswordHashing; readonly now?: () => Date };
  /**
   * Durable jobs, for routes whose side effects (an e-mail) must commit with their rows: pass the
   * transaction to `jobs.send`. `halte serve` always gives it; tests that do not send jobs may not.
   */
  readonly jobs?: Pick<Jobs, 'send'>;
  /** Tests only: how often the match index polls the bank for changes (default 500 ms). */
  readonly bank?: { readonly pollMs?: number };
}

export function buildApp(config: Config, services: AppServices): FastifyInstance {
  const app = Fastify({
    bodyLimit: 1024 * 1024,
    // Requests are logged as method, route and status: never addresses, URLs, headers or bodies (the
    // root logger's serializers and redaction, log/logger.ts).
    loggerInstance: subsystemLogger(services.logger, 'http') as FastifyBaseLogger,
    trustProxy: false,
  });

  // Bodies are JSON or nothing: a cross-site form (urlencoded, multipart, text/plain) gets 415.
  app.removeContentTypeParser('text/plain');

  // Security headers and rate limits first: the routes, registered in a plugin after them, all get them.
  registerSecurity(app, config);
  const openApi = openApiDocument();
  // The partner API's match index: loaded from the bank when the server starts, kept fresh from its
  // change feed; /api/v1/match answers 503 INDEX_NOT_READY until it is loaded.
  const bankLog = subsystemLogger(services.logger, 'bank');
  const db = services.database.db;
  const matcher = new BankMatcher(db, {
    log: bankLog,
    ...(services.bank?.pollMs !== undefined ? { pollMs: services.bank.pollMs } : {}),
    onAbnormal: (hashId) => quarantine(db, hashId, 'abnormal_matches'),
  });
  app.addHook('onReady', async () => matcher.start());
  // the host directory's new seed entries (a database behind the code is reported by health, not here)
  app.addHook('onReady', async () => {
    await seedHostDirectory(db).catch((error: unknown) => bankLog.warn({ err: { code: (error as { code?: string }).code } }, 'host directory not seeded'));
  });
  app.addHook('onClose', async () => matcher.stop());
  const requirePartner = createRequirePartner(db);
  // the chat's fan-out across instances (LISTEN/NOTIFY on PostgreSQL; in the process on PGlite)
  const chatLog = subsystemLogger(services.logger, 'chat');
  const chatBus = chatBusFor(services.database, chatLog);
  app.addHook('onReady', async () => chatBus.start());
  app.addHook('onClose', async () => chatBus.close());
  void app.register(websocket, { options: { maxPayload: MAX_CHAT_FRAME_BYTES } });
  void app.register(async (api) => {
    // Health answers 503 rather than "ok" when the database is unreachable or behind the code: a load
    // balancer must not send a person's report to an instance that cannot keep it.
    api.get('/api/health', async (_request, reply) => {
      let database: { kind: string; reachable: boolean; pendingMigrations: number };
      try {
        const pending = await pendingMigrations(services.database.db);
        database = { kind: services.database.kind, reachable: true, pendingMigrations: pending.length };
      } catch {
        database = { kind: services.database.kind, reachable: false, pendingMigrations: -1 };
      }
      const ok = database.reachable && database.pendingMigrations === 0;
      // the match index loads after start: not a reason to refuse reports, but visible here
      const bank = { indexReady: matcher.ready, hashes: matcher.size };
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', version: VERSION, database, bank });
    });
    api.get('/api/openapi.json', async () => openApi);
    registerOrientationRoutes(api);
    registerFollowupRoutes(api, { db: services.database.db, sealer: services.sealer }, subsystemLogger(services.logger, 'followup'));
    registerReportRoutes(api, { db: services.database.db, sealer: services.sealer, orient: services.orient }, subsystemLogger(services.logger, 'reports'));
    // staff first: it declares api.requireStaff, which the modules after it use
    registerStaffRoutes(
      api,
      {
        db: services.database.db,
        sealer: services.sealer,
        hashing: services.staff?.passwordHashing ?? OWASP_ARGON2ID,
        now: services.staff?.now ?? (() => new Date()),
        publicUrl: config.publicUrl,
      },
      subsystemLogger(services.logger, 'staff'),
    );
    registerAuditRoutes(api, { db: services.database.db });
    registerCaseRoutes(
      api,
      { db: services.database.db, sealer: services.sealer, orient: services.orient, now: services.staff?.now ?? (() => new Date()), jobs: services.jobs },
      subsystemLogger(services.logger, 'cases'),
    );
    registerNoticeRoutes(
      api,
      {
        db,
        sealer: services.sealer,
        orient: services.orient,
        now: services.staff?.now ?? (() => new Date()),
        jobs: services.jobs,
        mailFromAddress: config.mail?.from.address ?? null,
      },
      subsystemLogger(services.logger, 'notices'),
    );
    registerChatRoutes(api, { db, sealer: services.sealer, bus: chatBus, now: services.staff?.now ?? (() => new Date()) }, chatLog);
    registerBankRoutes(api, { db, sealer: services.sealer, requirePartner }, bankLog);
    registerMatchRoutes(api, { matcher, requirePartner }, bankLog);
    registerStopnciiRoutes(api, { db, sealer: services.sealer, requirePartner }, bankLog);
    registerWebApp(api);
  });


  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send(apiError('PAYLOAD_TOO_LARGE', 'the request body is too large'));
    if (status === 429) return reply.code(429).send(apiError('RATE_LIMITED', 'too many requests: try again in a minute'));
    if (status === 415) return reply.code(415).send(apiError('BAD_REQUEST', 'send JSON (application/json)'));
    if (status >= 400 && status < 500) return reply.code(status).send(apiError('BAD_REQUEST', error.message));
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(apiError('INTERNAL_ERROR', 'something went wrong on our side'));
  });

  return app;
}
