import type { ChatControl, ChatState, RiskReason } from '@halte/contract';
import type { ColumnType, Generated } from 'kysely';

/** A live chat: anonymous (a token's hash), no address kept; the area, never the postal code. */
export interface ChatTable {
  id: Generated<number>;
  token_hash: Uint8Array;
  state: Generated<ChatState>;
  situation: string;
  age_group: 'minor' | 'adult';
  in_danger: boolean;
  country: 'FR' | 'BE' | 'other';
  /** FR department or BE province (contract areaOf); null when not given */
  area: string | null;
  /** the follow-up team the area chose */
  team_id: string | null;
  language: string;
  reasons: Generated<RiskReason[]>;
  waiting_since: ColumnType<Date, Date | undefined, Date>;
  counsellor_id: number | null;
  taken_at: Date | null;
  ended_at: Date | null;
  /** the last message's number; messages are numbered 1, 2, 3 … without gaps */
  last_seq: Generated<number>;
  control: Generated<ChatControl>;
  control_until: Date | null;
  case_id: number | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ChatMessageTable {
  chat_id: number;
  seq: number;
  author: 'person' | 'counsellor' | 'system';
  staff_id: number | null;
  /** secretbox of the text */
  body_enc: Uint8Array;
  client_id: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface CounsellorStatusTable {
  staff_id: number;
  on_duty: Generated<boolean>;
  max_chats: Generated<number>;
  on_duty_since: Date | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
