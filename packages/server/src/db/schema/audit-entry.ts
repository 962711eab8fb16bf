import type { ColumnType } from 'kysely';

/**
 * One entry of the audit log: append-only (a trigger refuses updates and deletes) and hash-chained
 * (modules/audit/log.ts, decision 0015). Ids only: never a victim's personal data in clear.
 */
export interface AuditEntryTable {
  /** 1, 2, 3 … without gaps: assigned under a lock by the one appender */
  seq: number;
  at: Date;
  /** staff: a logged-in account; operator: the `halte` command; anonymous: e.g. a failed login */
  actor_kind: 'staff' | 'operator' | 'anonymous' | 'system';
  /** the staff account, when the actor is one (no foreign key: the log outlives accounts) */
  actor_id: number | null;
  /** e.g. staff.login, staff.disabled, case.read */
  action: string;
  /** what the action was done to, by id: ('staff', '12'), ('case', '345') */
  target_kind: string | null;
  target_id: string | null;
  /** details without personal data: reasons, counts, roles; a JSON object */
  data: ColumnType<unknown, string, never>;
  /** the previous entry's hash (32 zero bytes for the first) */
  prev_hash: Uint8Array;
  /** SHA-256 of this entry's canonical content, prev_hash included */
  hash: Uint8Array;
}
