// /api/staff/cases/:id/takedowns, …/notices, /api/staff/takedowns/due, /api/staff/hosts.
// Thin: validate → requireStaff (session, CSRF, role) → service (decides per case, audits) → present.
import {
  CaseParams,
  EscalateRequest,
  HostEntryInput,
  HostParams,
  HostReplyRequest,
  LinksRequest,
  NoticeOutcomeRequest,
  NoticeParams,
  NoticeRequest,
  TakedownMoveRequest,
} from '@halte/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { orRefusal, parseOr400 } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { staffOf } from '../staff/guard.js';
import { directory, presentHost, saveHost } from './directory.js';
import * as notices from './service.js';

/** After the staff routes: uses their requireStaff. */
export function registerNoticeRoutes(app: FastifyInstance, deps: notices.NoticeDeps, log: Logger): void {
  const { requireStaff } = app;
  const idOf = (request: FastifyRequest, reply: FastifyReply) => parseOr400(CaseParams, request.params, reply)?.id;

  /** A POST on a case's links: the case id, then the body. */
  const withBody = <S extends Parameters<typeof parseOr400>[0]>(schema: S, request: FastifyRequest, reply: FastifyReply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(schema, request.body, reply);
    return id === undefined || body === undefined ? undefined : { id, body };
  };

  app.get('/api/staff/cases/:id/takedowns', { preHandler: requireStaff('cases.read') }, async (request, reply) => {
    const id = idOf(request, reply);
    if (id === undefined) return reply;
    return orRefusal(reply, () => notices.caseTakedowns(deps, staffOf(request), id));
  });

  app.post('/api/staff/cases/:id/notices/preview', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(NoticeRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => ({ notices: await notices.previewNotices(deps, staffOf(request), input.id, input.body) }));
  });

  app.post('/api/staff/cases/:id/notices', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(NoticeRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => {
      const created = await notices.createNotices(deps, staffOf(request), input.id, input.body);
      log.info({ reqId: request.id, caseId: input.id, staffId: staffOf(request).id, notices: created.map((n) => n.id) }, 'notices made');
      return reply.code(201).send({ notices: created });
    });
  });

  app.get('/api/staff/cases/:id/notices/:noticeId/pdf', { preHandler: requireStaff('cases.read') }, async (request, reply) => {
    const params = parseOr400(NoticeParams, request.params, reply);
    if (params === undefined) return reply;
    return orRefusal(reply, async () => {
      const { pdf, filename } = await notices.noticePdf(deps, staffOf(request), params.id, params.noticeId);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(pdf));
    });
  });

  app.post('/api/staff/cases/:id/notices/:noticeId/outcome', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const params = parseOr400(NoticeParams, request.params, reply);
    const body = params === undefined ? undefined : parseOr400(NoticeOutcomeRequest, request.body, reply);
    if (params === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => ({ state: await notices.noticeOutcome(deps, staffOf(request), params.id, params.noticeId, body.outcome) }));
  });

  app.post('/api/staff/cases/:id/takedowns/move', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(TakedownMoveRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => {
      await notices.moveTakedowns(deps, staffOf(request), input.id, input.body.itemIds, input.body.to);
      return reply.code(204).send();
    });
  });

  app.post('/api/staff/cases/:id/takedowns/escalate', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(EscalateRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => reply.code(201).send(await notices.escalate(deps, staffOf(request), input.id, input.body.itemIds, input.body.target, input.body.language)));
  });

  app.post('/api/staff/cases/:id/takedowns/replies', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(HostReplyRequest, request, reply);
    if (input === undefined) return reply;
    const { itemIds, body, receivedAt, outcome } = input.body;
    return orRefusal(reply, async () => reply.code(201).send(await notices.addReply(deps, staffOf(request), input.id, { itemIds, body, receivedAt: new Date(receivedAt), outcome })));
  });

  app.post('/api/staff/cases/:id/takedowns/recheck', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(LinksRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => {
      await notices.recheck(deps, staffOf(request), input.id, input.body.itemIds);
      return reply.code(202).send();
    });
  });

  app.post('/api/staff/cases/:id/takedowns/dismiss-removal', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const input = withBody(LinksRequest, request, reply);
    if (input === undefined) return reply;
    return orRefusal(reply, async () => {
      await notices.dismissRemoval(deps, staffOf(request), input.id, input.body.itemIds);
      return reply.code(204).send();
    });
  });

  app.get('/api/staff/takedowns/due', { preHandler: requireStaff('cases.queue') }, async (request) => notices.dueList(deps, staffOf(request)));

  app.get('/api/staff/hosts', { preHandler: requireStaff('cases.queue') }, async () => ({ hosts: (await directory(deps.db)).map(presentHost) }));

  app.put('/api/staff/hosts/:hostId', { preHandler: requireStaff('hosts.manage') }, async (request, reply) => {
    const params = parseOr400(HostParams, request.params, reply);
    const body = params === undefined ? undefined : parseOr400(HostEntryInput, request.body, reply);
    if (params === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      const saved = await saveHost(deps.db, params.hostId, body, { kind: 'staff', id: staffOf(request).id }, deps.now());
      log.info({ reqId: request.id, host: params.hostId, staffId: staffOf(request).id }, 'host directory entry saved');
      return saved;
    });
  });
}
