/** A staff session (cookie `halte_staff`). Only hashes are stored: a dump gives no usable session. */
export interface StaffSessionTable {
  /** SHA-256 of the cookie's random token */
  token_hash: Uint8Array;
  staff_id: number;
  /** SHA-256 of the CSRF token given at login; state-changing requests send the token (x-csrf-token) */
  csrf_hash: Uint8Array;
  created_at: Date;
  /** the session ends 30 minutes after this (idle timeout); a request moves it when it is over a minute old */
  last_seen_at: Date;
  /** and 12 hours after login whatever happens (absolute timeout) */
  expires_at: Date;
}
