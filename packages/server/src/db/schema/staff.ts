import type { ColumnType, Generated } from 'kysely';

/**
 * A staff account (analyst, supervisor, admin). Created by `halte staff add` or an admin, pending until
 * the person has chosen a password and confirmed an authenticator (TOTP) through the enrolment link.
 */
export interface StaffTable {
  id: Generated<number>;
  /** lower-case (normalised before every insert and lookup): the login name */
  email: string;
  role: 'analyst' | 'supervisor' | 'admin';
  /** may open cases involving a minor (age group minor, or images made when a minor) */
  child_safety: Generated<boolean>;
  /** argon2id, PHC string (parameters inside); null until enrolment, and again after a reset */
  password_hash: string | null;
  /** secretbox (Sealer) of the base32 TOTP secret: a database dump does not give the second factor */
  totp_secret_enc: Uint8Array | null;
  /** RFC 6238 time step of the last code accepted: a code of this step or an earlier one is refused (replay) */
  totp_last_step: number | null;
  /** when the authenticator was confirmed: null = pending (cannot log in) */
  enrolled_at: Date | null;
  /** not null = cannot log in, every session ended */
  disabled_at: Date | null;
  /** failed logins in a row; reset by a successful one */
  failed_logins: Generated<number>;
  /** logins refused until then (growing delay after repeated failures) */
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: ColumnType<Date, never, never>;
}
