import type { CaseItemTable } from './case-item.js';
import type { CaseTable } from './case.js';
import type { EventTable } from './event.js';
import type { FollowupSessionTable } from './followup-session.js';
import type { IdempotencyKeyTable } from './idempotency-key.js';
import type { MessageTable } from './message.js';

/** The database as the application sees it (the migrations are the source of truth). */
export interface Database {
  case: CaseTable;
  case_item: CaseItemTable;
  event: EventTable;
  idempotency_key: IdempotencyKeyTable;
  followup_session: FollowupSessionTable;
  message: MessageTable;
}
