// Feed positions handed to partners, signed so that an altered or invented one is refused rather than
// silently skipping or repeating part of the bank. A position is (transaction id, row id): see feed.ts.
import { Sealer } from '../../crypto/sealed.js';

export interface FeedPosition {
  /** xid8 of the last change read, as decimal text ('0' = the beginning) */
  readonly xid: string;
  readonly id: number;
}

export const FEED_START: FeedPosition = { xid: '0', id: 0 };

export class CursorError extends Error {
  override readonly name = 'CursorError';
}

const DIGITS = /^(0|[1-9][0-9]{0,19})$/;

/** `v1.<xid>.<id>[.<extra>].<mac>`: extra is a purpose's own field (the StopNCII face's start time). */
export function signCursor(sealer: Sealer, purpose: string, position: FeedPosition, extra?: string): string {
  const body = `v1.${position.xid}.${position.id}${extra === undefined ? '' : `.${extra}`}`;
  return `${body}.${Buffer.from(sealer.mac(purpose, body).subarray(0, 16)).toString('base64url')}`;
}

/** The position (and extra field) of a cursor this server signed for `purpose`; throws CursorError otherwise. */
export function readCursor(sealer: Sealer, purpose: string, cursor: string, withExtra = false): { position: FeedPosition; extra: string | undefined } {
  const parts = cursor.split('.');
  if (parts.length !== (withExtra ? 5 : 4) || parts[0] !== 'v1') throw new CursorError('this cursor was not issued by Halte, or was altered');
  const mac = parts.pop() as string;
  const body = parts.join('.');
  const expected = Buffer.from(sealer.mac(purpose, body).subarray(0, 16)).toString('base64url');
  if (!Sealer.equal(new TextEncoder().encode(mac), new TextEncoder().encode(expected))) throw new CursorError('this cursor was not issued by Halte, or was altered');
  const [, xid, id, extra] = parts as [string, string, string, string | undefined];
  if (!DIGITS.test(xid) || !DIGITS.test(id) || Number(id) > Number.MAX_SAFE_INTEGER) throw new CursorError('this cursor is malformed');
  return { position: { xid, id: Number(id) }, extra };
}
