import type { CaseEventKind } from '@halte/contract';
import type { ColumnType, Generated } from 'kysely';

/** The case timeline. What the person may see is a property of the event, decided when it is written. */
export interface EventTable {
  id: Generated<number>;
  case_id: number;
  /** the contract's CaseEventKind: the person's kinds (visible to them) and the staff's */
  kind: CaseEventKind;
  visible_to_person: boolean;
  /** 'person', 'system', or 'staff:<id>' */
  actor: string;
  /** No personal data here: counts and codes only (messages live encrypted elsewhere). */
  data: ColumnType<unknown, string, never>;
  created_at: ColumnType<Date, never, never>;
}
