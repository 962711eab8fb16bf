import type { ColumnType, Generated } from 'kysely';

/** One report and everything Halte does about it. */
export interface CaseTable {
  id: Generated<number>;
  /** HLT-XXXX-XXXX-XXXX: what the person keeps; 60 random bits, so it cannot be guessed. */
  reference: string;
  /** Keyed BLAKE2b of the PIN (key outside the database): a dump does not give the PIN, nor a way to test PINs. */
  pin_hash: Uint8Array;
  /** new → in_progress → closed; withdrawn is final (personal data erased, hashes tombstoned). */
  status: 'new' | 'in_progress' | 'closed' | 'withdrawn';
  situations: string[];
  age_group: 'minor' | 'adult';
  /** The images were made when the person was a minor, even if they are an adult now (child-safety path). */
  made_when_minor: boolean;
  country: 'FR' | 'BE' | 'other';
  /** Only for routing to a local team (FR department, BE province); null when not given or withdrawn. */
  postal_code: string | null;
  immediate_danger: boolean;
  /** secretbox(nonce ‖ ciphertext) of the free-text summary; null when none or withdrawn. */
  summary_enc: Uint8Array | null;
  /** secretbox of {email?, phone?}; null when none or withdrawn. */
  contact_enc: Uint8Array | null;
  consent_share_with_partners: boolean;
  consent_contact_me: boolean;
  created_at: ColumnType<Date, never, never>;
  updated_at: ColumnType<Date, never, Date>;
  withdrawn_at: Date | null;
  /** Wrong PINs in a row for this case; reset by a right one. */
  pin_failures: Generated<number>;
  /** Follow-up logins refused until then (back-off after repeated wrong PINs). */
  pin_locked_until: Date | null;
}
