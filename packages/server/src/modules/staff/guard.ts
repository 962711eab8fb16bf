// requireStaff(action?): the preHandler every staff route uses. In order: a live session (cookie
// `halte_staff`) → for a state change, this site's origin and the session's CSRF token (header
// `x-csrf-token`, compared with the stored hash in constant time) → the role allows the action at all
// (case actions are decided again per case by the service, with `can(actor, action, facts)`).
// On success the account is `request.staff`.
import type { StaffAction, StaffMe } from '@halte/contract';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';

import { apiError } from '../../http/errors.js';
import { crossSite, parseCookie } from '../../http/origin.js';
import { appendAudit } from '../audit/log.js';
import type { StaffDeps } from './accounts.js';
import { mayEver, permissionsOf } from './permissions.js';
import { csrfMatches, touchSession, type SessionActor } from './sessions.js';

export const STAFF_COOKIE = 'halte_staff';
export const STAFF_COOKIE_PATH = '/api/staff';
export const CSRF_HEADER = 'x-csrf-token';

export type RequireStaff = (action?: StaffAction) => preHandlerAsyncHookHandler;

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in staff account: set by requireStaff, null on routes without it. */
    staff: SessionActor | null;
  }
  interface FastifyInstance {
    /** The preHandler of staff routes: `app.get(url, { preHandler: app.requireStaff('cases.queue') }, …)`. */
    requireStaff: RequireStaff;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token the request carries, if it has the shape of one (43 base64url characters). */
export function staffToken(request: FastifyRequest): string | undefined {
  const token = parseCookie(request.headers.cookie, STAFF_COOKIE);
  return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
}

/** The account of a route behind requireStaff (it is there: the preHandler answered otherwise). */
export function staffOf(request: FastifyRequest): SessionActor {
  if (request.staff === null) throw new Error('@NOTE staffOf on a route without requireStaff');
  return request.staff;
}


export function presentMe(actor: SessionActor): StaffMe {
  return { id: actor.id, email: actor.email, role: actor.role, childSafety: actor.childSafety, permissions: permissionsOf(actor) };
}

/** A state change from another site is refused before anything else (login and enrolment included). */
export async function sameSiteOnly(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (!SAFE_METHODS.has(request.method) && crossSite(request)) return reply.code(403).send(apiError('FORBIDDEN', 'requests must come from Halte itself'));
  return undefined;
}

export function createRequireStaff(deps: Pick<StaffDeps, 'db' | 'now'>): RequireStaff {
  return (action) =>
    async function requireStaff(request, reply) {
      reply.header('cache-control', 'no-store');
      const token = staffToken(request);
      const actor = token === undefined ? null : await touchSession(deps, token);
      if (actor === null) return reply.code(401).send(apiError('STAFF_SESSION_REQUIRED', 'log in to the staff area'));
      if (!SAFE_METHODS.has(request.method)) {
        if (crossSite(request)) return reply.code(403).send(apiError('FORBIDDEN', 'requests must come from Halte itself'));
        const header = request.headers[CSRF_HEADER];
        if (!csrfMatches(actor, typeof header === 'string' ? header : undefined)) {
          return reply.code(403).send(apiError('CSRF_TOKEN_INVALID', `send the token given at login in the ${CSRF_HEADER} header`));
        }
      }
      if (action !== undefined && !mayEver(actor, action)) {
        await appendAudit(deps.db, {
          actor: { kind: 'staff', id: actor.id },
          action: 'staff.permission_denied',
          data: { permission: action, method: request.method, route: request.routeOptions.url ?? null },
        }, deps.now());
        return reply.code(403).send(apiError('STAFF_PERMISSION_DENIED', 'your role does not allow this'));
      }
      request.staff = actor;
      return undefined;
    };
}
