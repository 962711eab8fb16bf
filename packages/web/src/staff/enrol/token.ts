// The enrolment link is /staff/enrol#<token>: in the fragment, so it never reaches a server log, a
// proxy or a Referer. The page reads it once, removes it from the address bar and the history entry
// (history.replaceState), and keeps it in memory only: a screenshot, a shoulder or the history then
// shows nothing, and a reload needs the link again.
import { EnrolmentToken } from '@halte/contract';

/** The token in a location hash ("#<43 base64url characters>", also "#token=<…>"), or null. */
export function extractEnrolmentToken(hash: string): string | null {
  let value = hash.startsWith('#') ? hash.slice(1) : hash;
  if (value.startsWith('token=')) value = value.slice('token='.length);
  value = value.trim();
  return EnrolmentToken.safeParse(value).success ? value : null;
}

export interface TokenLocation {
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

export interface TokenHistory {
  replaceState(data: unknown, unused: string, url: string): void;
}

let taken: { readonly token: string | null } | null = null;

/**
 * Reads the token from the address bar and removes it from there at once (whatever it is: a malformed
 * one is not left in view either). Later calls give the same answer without reading again (React may
 * render twice).
 */
export function takeEnrolmentToken(location: TokenLocation, history: TokenHistory): string | null {
  if (taken !== null) return taken.token;
  const token = extractEnrolmentToken(location.hash);
  if (location.hash !== '') history.replaceState(null, '', `${location.pathname}${location.search}`);
  taken = { token };
  return token;
}

/** Forgets the token (enrolment finished, or for tests). */
export function forgetEnrolmentToken(): void {
  taken = { token: null };
}

export function resetEnrolmentTokenForTests(): void {
  taken = null;
}
