// /api/staff/* — enrolment, login, the account's own session, and account management (admins).
// Thin: validate → authorise (requireStaff) → service → present. Every answer is no-store.
import {
  CreateStaffRequest,
  EnrolmentPasswordRequest,
  EnrolmentTotpRequest,
  StaffAccountParams,
  StaffLoginRequest,
  type StaffSessionOpened,
} from '@halte/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { apiError, orRefusal, validationError } from '../../http/errors.js';
import type { Logger } from '../../log/logger.js';
import { ClientLimiter } from '../followup/client-limiter.js';
import { createAccount, disableAccount, enableAccount, listAccounts, resetAccount, StaffError, type IssuedLink, type StaffDeps } from './accounts.js';
import { choosePassword, confirmAuthenticator } from './enrolment.js';
import { createRequireStaff, presentMe, sameSiteOnly, STAFF_COOKIE, STAFF_COOKIE_PATH, staffOf } from './guard.js';
import { login, logout, logoutEverywhere, SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES, UnknownAccountDelays } from './sessions.js';

/** Failed staff logins one client may make in 15 minutes (in memory; addresses never stored or logged). */
export const CLIENT_LOGIN_FAILURES = 20;

export function registerStaffRoutes(app: FastifyInstance, deps: StaffDeps, log: Logger): void {
  const limiter = new ClientLimiter(CLIENT_LOGIN_FAILURES, 15 * 60_000);
  const delays = new UnknownAccountDelays();
  const requireStaff = createRequireStaff(deps);
  app.decorate('requireStaff', requireStaff);
  app.decorateRequest('staff', null);

  // Secure when the public address is https (behind a TLS-terminating proxy) or the request came in so.
  const setCookie = (request: FastifyRequest, reply: FastifyReply, value: string, maxAgeSeconds: number): void => {
    const secure = deps.publicUrl.startsWith('https:') || request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${STAFF_COOKIE}=${value}; Path=${STAFF_COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`);
  };

  const link = (issued: IssuedLink) => ({ account: issued.account, enrolmentUrl: issued.url, expiresAt: issued.expiresAt.toISOString() });

  // Enrolment: the link's token is the credential; no session yet.
  app.post('/api/staff/enrolment/password', { preHandler: sameSiteOnly }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const parsed = EnrolmentPasswordRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    return orRefusal(reply, async () => reply.code(200).send(await choosePassword(deps, parsed.data.token, parsed.data.password)));
  });

  app.post('/api/staff/enrolment/totp', { preHandler: sameSiteOnly }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const parsed = EnrolmentTotpRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    return orRefusal(reply, async () => {
      await confirmAuthenticator(deps, parsed.data.token, parsed.data.code);
      log.info({ reqId: request.id }, 'a staff account finished its enrolment');
      return reply.code(200).send({ status: 'active' });
    });
  });

  app.post('/api/staff/session', { preHandler: sameSiteOnly }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const parsed = StaffLoginRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    const client = request.ip;
    const wait = limiter.retryAfter(client);
    if (wait > 0) return reply.code(429).header('retry-after', String(wait)).send(apiError('STAFF_LOGIN_LOCKED', 'too many failed logins: try again later'));
    const outcome = await login(deps, delays, parsed.data.email, parsed.data.password, parsed.data.code);
    if (!outcome.ok) {
      // what an operator needs to see guessing, without the account or the client it concerns
      if (limiter.fail(client)) log.warn({ reqId: request.id }, 'staff logins refused to one client for a while (too many failures)');
      if (outcome.locked) {
        if (outcome.justLocked) log.warn({ reqId: request.id }, 'staff logins to one address locked for a while (too many failures)');
        return reply.code(429).header('retry-after', String(outcome.retryAfterSeconds)).send(apiError('STAFF_LOGIN_LOCKED', 'too many failed logins: try again later'));
      }
      return reply.code(401).send(apiError('STAFF_LOGIN_FAILED', 'this e-mail address, password and code do not match an active account'));
    }
    setCookie(request, reply, outcome.token, SESSION_ABSOLUTE_HOURS * 3600);
    log.info({ reqId: request.id, staffId: outcome.actor.id }, 'staff login');
    const body: StaffSessionOpened = {
      csrfToken: outcome.csrfToken,
      expiresAt: outcome.actor.expiresAt.toISOString(),
      idleTimeoutMinutes: SESSION_IDLE_MINUTES,
      staff: presentMe(outcome.actor),
    };
    return reply.code(201).send(body);
  });

  app.get('/api/staff/me', { preHandler: requireStaff() }, async (request) => presentMe(staffOf(request)));

  app.post('/api/staff/logout', { preHandler: requireStaff() }, async (request, reply) => {
    await logout(deps, staffOf(request));
    setCookie(request, reply, '', 0);
    return reply.code(204).send();
  });

  app.post('/api/staff/logout-everywhere', { preHandler: requireStaff() }, async (request, reply) => {
    const ended = await logoutEverywhere(deps, staffOf(request));
    log.info({ reqId: request.id, staffId: staffOf(request).id, sessions: ended }, 'staff logged out everywhere');
    setCookie(request, reply, '', 0);
    return reply.code(204).send();
  });

  // Accounts (admins).
  const actorOf = (request: FastifyRequest) => ({ kind: 'staff', id: staffOf(request).id }) as const;
  const params = (request: FastifyRequest, reply: FastifyReply): number | null => {
    const parsed = StaffAccountParams.safeParse(request.params);
    if (parsed.success) return parsed.data.id;
    void reply.code(400).send(validationError(parsed.error));
    return null;
  };
  const notSelf = (request: FastifyRequest, id: number): void => {
    if (id === staffOf(request).id) throw new StaffError('STAFF_CANNOT_CHANGE_SELF', 409, 'ask another administrator, or use the halte staff command');
  };

  app.get('/api/staff/accounts', { preHandler: requireStaff('staff.manage') }, async () => ({ accounts: await listAccounts(deps) }));

  app.post('/api/staff/accounts', { preHandler: requireStaff('staff.manage') }, async (request, reply) => {
    const parsed = CreateStaffRequest.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send(validationError(parsed.error));
    return orRefusal(reply, async () => reply.code(201).send(link(await createAccount(deps, parsed.data, actorOf(request)))));
  });

  app.post('/api/staff/accounts/:id/disable', { preHandler: requireStaff('staff.manage') }, async (request, reply) => {
    const id = params(request, reply);
    if (id === null) return reply;
    return orRefusal(reply, async () => {
      notSelf(request, id);
      const account = await disableAccount(deps, id, actorOf(request));
      log.info({ reqId: request.id, staffId: id }, 'staff account disabled');
      return { account };
    });
  });

  app.post('/api/staff/accounts/:id/enable', { preHandler: requireStaff('staff.manage') }, async (request, reply) => {
    const id = params(request, reply);
    if (id === null) return reply;
    return orRefusal(reply, async () => ({ account: await enableAccount(deps, id, actorOf(request)) }));
  });

  app.post('/api/staff/accounts/:id/enrolment-link', { preHandler: requireStaff('staff.manage') }, async (request, reply) => {
    const id = params(request, reply);
    if (id === null) return reply;
    return orRefusal(reply, async () => {
      notSelf(request, id);
      return reply.code(201).send(link(await resetAccount(deps, id, actorOf(request))));
    });
  });
}
