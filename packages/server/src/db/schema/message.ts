import type { ColumnType, Generated } from 'kysely';

/** A message between the person and the team, sealed (secretbox). */
export interface MessageTable {
  id: Generated<number>;
  case_id: number;
  author: 'person' | 'staff';
  body_enc: Uint8Array;
  created_at: ColumnType<Date, never, never>;
}
