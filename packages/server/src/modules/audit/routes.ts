// GET /api/staff/audit — supervisors and admins page through the audit log, newest first.
import { AuditQuery } from '@halte/contract';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { validationError } from '../../http/errors.js';
import { auditPage } from './log.js';

/** After the staff routes: uses their requireStaff. */
export function registerAuditRoutes(app: FastifyInstance, deps: { readonly db: Kysely<Database> }): void {
  app.get('/api/staff/audit', { preHandler: app.requireStaff('audit.read') }, async (request, reply) => {
    const parsed = AuditQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    return auditPage(deps.db, parsed.data);
  });
}
