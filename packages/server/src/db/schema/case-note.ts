import type { ColumnType, Generated } from 'kysely';

/** An internal note on a case: staff only, never shown to the person; sealed (secretbox). */
export interface CaseNoteTable {
  id: Generated<number>;
  case_id: number;
  staff_id: number;
  body_enc: Uint8Array;
  created_at: ColumnType<Date, never, never>;
}
