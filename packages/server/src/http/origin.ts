// Where a request comes from, and the cookies it carries: shared by the modules that keep a session in
// a cookie (follow-up, staff).
import type { FastifyRequest } from 'fastify';

/** The value of one cookie of the Cookie header, or undefined. */
export function parseCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/**
 * CSRF, first line: a state change must come from no other origin than this one. Browsers send
 * `Origin` with every cross-origin POST and `Sec-Fetch-Site`; a request without either (a script, curl)
 * is not a browser being tricked. (The server also parses only JSON bodies: a cross-site form's
 * encodings get 415.)
 */
export function crossSite(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    try {
      if (new URL(origin).host !== request.headers.host) return true;
    } catch {
      return true;
    }
  }
  return request.headers['sec-fetch-site'] === 'cross-site';
}
