import type { ColumnType, Generated } from 'kysely';

/** The case timeline. What the person may see is a property of the event, decided when it is written. */
export interface EventTable {
  id: Generated<number>;
  case_id: number;
  /** TimelineKind of the contract for events the person sees; staff-only kinds come with issue 5 */
  kind: string;
  visible_to_person: boolean;
  /** 'person', 'system', or 'staff:<id>' */
  actor: string;
  /** No personal data here: counts and codes only (messages live encrypted elsewhere). */
  data: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, never, never>;
}
