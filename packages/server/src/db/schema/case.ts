import type { CaseStatus, Language, Situation } from '@halte/contract';
import type { ColumnType, Generated } from 'kysely';

/** One report and everything Halte does about it. */
export interface CaseTable {
  id: Generated<number>;
  /** HLT-XXXX-XXXX-XXXX: what the person keeps; 60 random bits, so it cannot be guessed. */
  reference: string;
  /** Keyed BLAKE2b of the PIN (key outside the database): a dump does not give the PIN, nor a way to test PINs. */
  pin_hash: Uint8Array;
  /** the workflow of @halte/contract (decideTransition); withdrawn is final (personal data erased, hashes tombstoned). */
  status: CaseStatus;
  situations: Situation[];
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
  /** the person's language: answers and e-mails are written in it */
  language: Generated<Language>;
  /** the staff account working the case; null = in the queue */
  assignee_id: number | null;
  assigned_at: Date | null;
  /** a sextortion deadline the blackmailer gave (set by an analyst) */
  deadline_at: Date | null;
  first_answered_at: Date | null;
  last_answered_at: Date | null;
  /** the oldest message from the person not answered yet */
  person_waiting_since: Date | null;
  unanswered_messages: Generated<number>;
  /** the offences an analyst retained (ids of the legal data) */
  offence_ids: Generated<string[]>;
  qualified_at: Date | null;
  qualified_by: number | null;
  /** generated: age group minor, or images made when a minor */
  involves_minor: ColumnType<boolean, never, never>;
  /** computed by a trigger from the columns above (contract: urgencyAt); the queue sorts by it */
  urgency_at: ColumnType<Date, never, never>;
}
