// /api/followup/* — the person's side after a report. A session cookie (HttpOnly, SameSite=Strict,
// path /api/followup) opened with reference + PIN; state-changing requests must be JSON from this site.
import { AddItemsRequest, FollowupLogin, MessageRequest } from '@halte/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { apiError, validationError } from '../../http/errors.js';
import { crossSite, parseCookie } from '../../http/origin.js';
import type { Logger } from '../../log/logger.js';
import { itemWarnings } from '../reports/service.js';
import { ClientLimiter } from './client-limiter.js';
import { addItems, addMessage, CaseWithdrawnError, exportData, login, logout, SESSION_MINUTES, sessionCase, viewBySession, withdraw, type FollowupDeps } from './service.js';

export const SESSION_COOKIE = 'halte_followup';
const COOKIE_PATH = '/api/followup';

/** The session token the request carries, if it has the shape of one (43 base64url characters). */
function sessionToken(request: FastifyRequest): string | undefined {
  const token = parseCookie(request.headers.cookie, SESSION_COOKIE);
  return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

function setCookie(reply: FastifyReply, request: FastifyRequest, value: string, maxAge: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`);
}

export function registerFollowupRoutes(app: FastifyInstance, deps: FollowupDeps, log: Logger): void {
  // 20 wrong PINs from one client in 15 minutes, then wait: against guessing across many cases.
  const limiter = new ClientLimiter(20, 15 * 60_000);

  // CSRF: the cookie is SameSite=Strict, and a state change must come from this site (http/origin.ts).
  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith(COOKIE_PATH) || request.method === 'GET') return;
    if (crossSite(request)) return reply.code(403).send(apiError('FORBIDDEN', 'requests must come from Halte itself'));
    return undefined;
  });

  app.post('/api/followup/session', async (request, reply) => {
    const parsed = FollowupLogin.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    const client = request.ip;
    const wait = limiter.retryAfter(client);
    if (wait > 0) return reply.code(429).header('retry-after', String(wait)).send(apiError('FOLLOWUP_LOCKED', 'too many attempts: try again later'));
    const result = await login(deps, parsed.data.reference, parsed.data.pin);
    if (!result.ok) {
      // what an operator needs to see guessing, without the case or the client it concerns
      if (limiter.fail(client)) log.warn({ reqId: request.id }, 'follow-up logins refused to one client for a while (too many wrong PINs)');
      if (result.reason === 'locked') {
        if (result.justLocked) log.warn({ reqId: request.id }, 'follow-up of one case locked for a while (too many wrong PINs)');
        return reply
          .code(429)
          .header('retry-after', String(result.retryAfterSeconds))
          .send(apiError('FOLLOWUP_LOCKED', 'too many wrong PINs for this case: try again later'));
      }
      return reply.code(401).send(apiError('FOLLOWUP_LOGIN_FAILED', 'this reference and PIN do not match'));
    }
    setCookie(reply, request, result.token, SESSION_MINUTES * 60);
    return reply.code(201).header('cache-control', 'no-store').send({ expiresAt: result.expiresAt.toISOString() });
  });

  // Every other follow-up route needs the session.
  const withCase = async (request: FastifyRequest, reply: FastifyReply): Promise<number | null> => {
    const token = sessionToken(request);
    const caseId = token ? await sessionCase(deps, token) : null;
    if (caseId === null) {
      await reply.code(401).send(apiError('SESSION_REQUIRED', 'open the follow-up with your reference and PIN'));
      return null;
    }
    reply.header('cache-control', 'no-store');
    return caseId;
  };

  // The most frequent read: session check and the whole view in one query.
  app.get('/api/followup', async (request, reply) => {
    const token = sessionToken(request);
    const found = token ? await viewBySession(deps, token) : null;
    if (found === null) return reply.code(401).send(apiError('SESSION_REQUIRED', 'open the follow-up with your reference and PIN'));
    return reply.header('cache-control', 'no-store').send(found);
  });

  app.get('/api/followup/export', async (request, reply) => {
    const caseId = await withCase(request, reply);
    if (caseId === null) return reply;
    return reply.header('content-disposition', 'attachment; filename="halte-export.json"').send(await exportData(deps, caseId));
  });

  app.post('/api/followup/items', async (request, reply) => {
    const caseId = await withCase(request, reply);
    if (caseId === null) return reply;
    const parsed = AddItemsRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    try {
      await addItems(deps, caseId, parsed.data.items);
    } catch (error) {
      if (error instanceof CaseWithdrawnError) return reply.code(409).send(apiError('CASE_WITHDRAWN', error.message));
      throw error;
    }
    return reply.code(201).send({ warnings: itemWarnings(parsed.data.items) });
  });

  app.post('/api/followup/messages', async (request, reply) => {
    const caseId = await withCase(request, reply);
    if (caseId === null) return reply;
    const parsed = MessageRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    try {
      await addMessage(deps, caseId, parsed.data.body);
    } catch (error) {
      if (error instanceof CaseWithdrawnError) return reply.code(409).send(apiError('CASE_WITHDRAWN', error.message));
      throw error;
    }
    return reply.code(201).send({});
  });

  app.post('/api/followup/withdraw', async (request, reply) => {
    const caseId = await withCase(request, reply);
    if (caseId === null) return reply;
    await withdraw(deps, caseId);
    log.info({ reqId: request.id }, 'case withdrawn');
    setCookie(reply, request, '', 0);
    return reply.code(200).send({ status: 'withdrawn' });
  });

  app.delete('/api/followup/session', async (request, reply) => {
    const token = sessionToken(request);
    if (token) await logout(deps, token);
    setCookie(reply, request, '', 0);
    return reply.code(204).send();
  });
}
