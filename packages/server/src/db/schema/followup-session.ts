import type { ColumnType } from 'kysely';

/** A person's follow-up session, opened with reference + PIN. Only the token's hash is stored. */
export interface FollowupSessionTable {
  /** SHA-256 of the cookie's random token: a dump gives no usable session */
  token_hash: Uint8Array;
  case_id: number;
  created_at: ColumnType<Date, never, never>;
  /** short-lived: 30 minutes from opening */
  expires_at: Date;
}
