import type { EscalationTarget, HostChannelKind, Language, NoticeKind, NoticeState, TakedownState } from '@halte/contract';
import type { ColumnType, Generated } from 'kysely';

/** An entry of the host directory: where a service takes notices (seeded from modules/notices/hosts.json; admins edit). */
export interface HostDirectoryTable {
  id: string;
  name: string;
  /** registrable domains, or full host names that win over them (drive.google.com under google.com) */
  domains: string[];
  channels: ColumnType<{ kind: HostChannelKind; target: string; note?: string }[], string, string>;
  country: string | null;
  regulator: string | null;
  adult: boolean;
  source: string;
  checked_at: ColumnType<Date, string, string>;
  confidence: 'confirmed' | 'unconfirmed';
  active: Generated<boolean>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  /** null: written by the seed */
  updated_by: number | null;
}

/** One reported link and where its removal stands (a trigger creates it with the case_item). */
export interface TakedownTable {
  item_id: number;
  case_id: number;
  state: Generated<TakedownState>;
  state_at: ColumnType<Date, Date | undefined, Date>;
  notice_sent_at: Date | null;
  reminder_due_at: Date | null;
  escalation_due_at: Date | null;
  reminders_sent: Generated<number>;
  escalated_to: Generated<EscalationTarget[]>;
  checked_at: Date | null;
  check_outcome: 'serving' | 'gone' | 'refused' | 'unknown' | null;
  /** an HTTP status or a code of the checker (never the URL) */
  check_detail: string | null;
  next_check_at: Date | null;
  removal_proposed_at: Date | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A notice, reminder or escalation — and the e-mail's outbox entry (state, lease, Message-ID). */
export interface NoticeTable {
  id: Generated<number>;
  case_id: number;
  kind: NoticeKind;
  host_id: string | null;
  escalation_target: EscalationTarget | null;
  /** the child-protection report made beside a notice (a minor): does not move the links' state */
  routing: Generated<boolean>;
  channel: HostChannelKind | null;
  target: string;
  item_ids: number[];
  language: Language;
  involves_minor: boolean;
  state: NoticeState;
  /** secretbox of {subject, text}; null once the case is withdrawn */
  content_enc: Uint8Array | null;
  message_id: string | null;
  attempts: Generated<number>;
  lease_until: Date | null;
  sent_at: Date | null;
  created_by: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A host's answer, pasted by an analyst (sealed). */
export interface HostReplyTable {
  id: Generated<number>;
  case_id: number;
  item_ids: number[];
  body_enc: Uint8Array;
  received_at: Date;
  added_by: number | null;
  added_at: ColumnType<Date, Date | undefined, never>;
}
