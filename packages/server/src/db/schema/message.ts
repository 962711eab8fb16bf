import type { ColumnType, Generated } from 'kysely';

/** A message between the person and the team, sealed (secretbox). */
export interface MessageTable {
  id: Generated<number>;
  case_id: number;
  author: 'person' | 'staff';
  body_enc: Uint8Array;
  /** the team member who wrote it (author staff); null for the person */
  staff_id: ColumnType<number | null, number | null | undefined, never>;
  created_at: ColumnType<Date, never, never>;
}
