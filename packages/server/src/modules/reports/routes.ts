// POST /api/reports — public, no account. validate → service → present.
import { MAX_REPORT_ITEMS, ReportRequest } from '@halte/contract';
import type { FastifyInstance } from 'fastify';

import { apiError, validationError } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { createReport, IdempotencyKeyReusedError, type ReportServiceDeps } from './service.js';

/** Bodies up to this size: 200 items, videos' frame hashes included. */
export const REPORT_BODY_LIMIT = 8 * 1024 * 1024;
/** Across all videos of one report (a frame hash a second is 5½ hours of video). */
export const MAX_TOTAL_VPDQ_FRAMES = 50_000;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

export function registerReportRoutes(app: FastifyInstance, deps: ReportServiceDeps, log: Logger): void {
  app.post('/api/reports', { bodyLimit: REPORT_BODY_LIMIT }, async (request, reply) => {
    const keyHeader = request.headers['idempotency-key'];
    if (keyHeader !== undefined && (typeof keyHeader !== 'string' || !IDEMPOTENCY_KEY.test(keyHeader))) {
      return reply.code(400).send(apiError('BAD_REQUEST', 'Idempotency-Key must be 8 to 128 letters, digits, - or _'));
    }
    const parsed = ReportRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    const frames = parsed.data.items.reduce((n, item) => n + (item.kind === 'video' ? item.vpdq.length : 0), 0);
    if (frames > MAX_TOTAL_VPDQ_FRAMES) {
      return reply.code(400).send(apiError('VALIDATION_FAILED', `at most ${MAX_TOTAL_VPDQ_FRAMES} video frame hashes per report (items: at most ${MAX_REPORT_ITEMS})`));
    }
    try {
      const result = await createReport(deps, parsed.data, keyHeader);
      // counts only: never the reference, the summary or anything the person typed
      log.info({ reqId: request.id, items: parsed.data.items.length, replayed: result.replayed }, 'report received');
      return reply.code(result.status).header('cache-control', 'no-store').send(result.body);
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) return reply.code(422).send(apiError('IDEMPOTENCY_KEY_REUSED', error.message));
      throw error;
    }
  });
}
