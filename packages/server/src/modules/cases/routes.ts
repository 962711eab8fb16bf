// /api/staff/cases/*, /api/staff/assignees, /api/staff/statistics, /api/staff/settings.
// Thin: validate → requireStaff (session, CSRF, role) → service (decides per case, audits) → present.
import {
  AnswerRequest,
  AssignRequest,
  CaseItemParams,
  CaseParams,
  DeadlineRequest,
  DraftQuery,
  NoteRequest,
  QualificationRequest,
  QueueQuery,
  ReviewRequest,
  Settings,
  StatusRequest,
} from '@halte/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { orRefusal, parseOr400 } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { staffOf } from '../staff/guard.js';
import * as cases from './service.js';
import { readSettings, writeSettings } from './settings.js';

/** After the staff routes: uses their requireStaff. */
export function registerCaseRoutes(app: FastifyInstance, deps: cases.CaseDeps, log: Logger): void {
  const { requireStaff } = app;


  const idOf = (request: FastifyRequest, reply: FastifyReply) => parseOr400(CaseParams, request.params, reply)?.id;

  app.get('/api/staff/cases', { preHandler: requireStaff('cases.queue') }, async (request, reply) => {
    const query = parseOr400(QueueQuery, request.query, reply);
    if (query === undefined) return reply;
    return cases.queue(deps, staffOf(request), query);
  });

  app.get('/api/staff/cases/:id', { preHandler: requireStaff('cases.read') }, async (request, reply) => {
    const id = idOf(request, reply);
    if (id === undefined) return reply;
    return orRefusal(reply, () => cases.caseView(deps, staffOf(request), id));
  });

  app.post('/api/staff/cases/:id/claim', { preHandler: requireStaff('cases.claim') }, async (request, reply) => {
    const id = idOf(request, reply);
    if (id === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.claim(deps, staffOf(request), id);
      return reply.code(204).send();
    });
  });

  app.post('/api/staff/cases/:id/assign', { preHandler: requireStaff('cases.reassign') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(AssignRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.assign(deps, staffOf(request), id, body.staffId);
      return reply.code(204).send();
    });
  });

  app.post('/api/staff/cases/:id/status', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(StatusRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.moveTo(deps, staffOf(request), id, body.to);
      log.info({ reqId: request.id, caseId: id, staffId: staffOf(request).id, to: body.to }, 'case moved');
      return reply.code(204).send();
    });
  });

  app.put('/api/staff/cases/:id/qualification', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(QualificationRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.qualify(deps, staffOf(request), id, body.offenceIds);
      return reply.code(204).send();
    });
  });

  app.post('/api/staff/cases/:id/notes', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(NoteRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => reply.code(201).send(await cases.addNote(deps, staffOf(request), id, body.body)));
  });

  app.post('/api/staff/cases/:id/items/:itemId/review', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const params = parseOr400(CaseItemParams, request.params, reply);
    const body = params === undefined ? undefined : parseOr400(ReviewRequest, request.body, reply);
    if (params === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.reviewItem(deps, staffOf(request), params.id, params.itemId, body.review);
      return reply.code(204).send();
    });
  });

  app.put('/api/staff/cases/:id/deadline', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(DeadlineRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      await cases.setDeadline(deps, staffOf(request), id, body.deadlineAt === null ? null : new Date(body.deadlineAt));
      return reply.code(204).send();
    });
  });

  app.get('/api/staff/cases/:id/answer-draft', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const query = id === undefined ? undefined : parseOr400(DraftQuery, request.query, reply);
    if (id === undefined || query === undefined) return reply;
    return orRefusal(reply, () => cases.answerDraft(deps, staffOf(request), id, query.template, query.language));
  });

  app.post('/api/staff/cases/:id/answer', { preHandler: requireStaff('cases.work') }, async (request, reply) => {
    const id = idOf(request, reply);
    const body = id === undefined ? undefined : parseOr400(AnswerRequest, request.body, reply);
    if (id === undefined || body === undefined) return reply;
    return orRefusal(reply, async () => {
      const sent = await cases.answer(deps, staffOf(request), id, body.body);
      log.info({ reqId: request.id, caseId: id, staffId: staffOf(request).id, emailQueued: sent.emailQueued }, 'answer sent to the person');
      return reply.code(201).send(sent);
    });
  });

  app.get('/api/staff/assignees', { preHandler: requireStaff('cases.reassign') }, async () => ({ accounts: await cases.assignees(deps.db) }));

  app.get('/api/staff/statistics', { preHandler: requireStaff('statistics.read') }, async () => cases.statistics(deps));

  app.get('/api/staff/settings', { preHandler: requireStaff('settings.manage') }, async () => readSettings(deps.db));

  app.put('/api/staff/settings', { preHandler: requireStaff('settings.manage') }, async (request, reply) => {
    const body = parseOr400(Settings.partial(), request.body, reply);
    if (body === undefined) return reply;
    return writeSettings(deps.db, body, { kind: 'staff', id: staffOf(request).id }, deps.now());
  });
}
