import type { ColumnType, Generated } from 'kysely';

/** A one-time enrolment link. Only the SHA-256 of its token is stored: a dump gives no usable link. */
export interface StaffEnrolmentTable {
  token_hash: Uint8Array;
  staff_id: number;
  created_at: ColumnType<Date, never, never>;
  /** 72 hours after it was issued */
  expires_at: Date;
  /** step 1 done (password chosen, TOTP secret given once); the link then only confirms the code */
  password_set_at: Date | null;
  /** wrong authenticator codes at step 2; the link is spent after a few */
  failed_codes: Generated<number>;
  /** step 2 done: the account is active and the link spent */
  used_at: Date | null;
}
