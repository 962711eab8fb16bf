import type { BankAckTable, BankFeedbackTable, BankHashTable, PartnerSubmissionTable, PartnerTable, WebhookDeliveryTable } from './bank.js';
import type { CaseItemTable } from './case-item.js';
import type { ChatMessageTable, ChatTable, CounsellorStatusTable } from './chat.js';
import type { CaseNoteTable } from './case-note.js';
import type { CaseTable } from './case.js';
import type { EventTable } from './event.js';
import type { FollowupSessionTable } from './followup-session.js';
import type { IdempotencyKeyTable } from './idempotency-key.js';
import type { MailDeliveryTable } from './mail-delivery.js';
import type { AuditEntryTable } from './audit-entry.js';
import type { MessageTable } from './message.js';
import type { HostDirectoryTable, HostReplyTable, NoticeTable, TakedownTable } from './notice.js';
import type { SettingTable } from './setting.js';
import type { StaffEnrolmentTable } from './staff-enrolment.js';
import type { StaffSessionTable } from './staff-session.js';
import type { StaffTable } from './staff.js';

/** The database as the application sees it (the migrations are the source of truth). */
export interface Database {
  case: CaseTable;
  case_item: CaseItemTable;
  case_note: CaseNoteTable;
  event: EventTable;
  idempotency_key: IdempotencyKeyTable;
  followup_session: FollowupSessionTable;
  message: MessageTable;
  staff: StaffTable;
  staff_enrolment: StaffEnrolmentTable;
  staff_session: StaffSessionTable;
  audit_entry: AuditEntryTable;
  mail_delivery: MailDeliveryTable;
  setting: SettingTable;
  partner: PartnerTable;
  bank_hash: BankHashTable;
  bank_ack: BankAckTable;
  bank_feedback: BankFeedbackTable;
  partner_submission: PartnerSubmissionTable;
  webhook_delivery: WebhookDeliveryTable;
  host_directory: HostDirectoryTable;
  takedown: TakedownTable;
  notice: NoticeTable;
  host_reply: HostReplyTable;
  chat: ChatTable;
  chat_message: ChatMessageTable;
  counsellor_status: CounsellorStatusTable;
}
