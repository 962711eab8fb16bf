import type { ColumnType, Generated } from 'kysely';

/** A platform that syncs, matches and reports back (`halte partner add`). */
export interface PartnerTable {
  id: Generated<number>;
  name: string;
  scopes: ('fetch' | 'match' | 'feedback')[];
  /** the key's first characters (printed with it): finds the row; the key itself is never stored */
  key_prefix: string;
  /** SHA-256 of the key */
  key_hash: Uint8Array;
  rate_limit_per_minute: Generated<number>;
  /** 0..31: the largest PDQ distance this partner's matches report */
  max_distance: Generated<number>;
  /** the partner may be named to the person */
  show_name: Generated<boolean>;
  webhook_url: string | null;
  /** secretbox of the webhook's HMAC secret */
  webhook_secret_enc: Uint8Array | null;
  /** the signed feed cursor the webhook has delivered up to */
  webhook_cursor: string | null;
  created_at: ColumnType<Date, never, never>;
  key_rotated_at: Date | null;
  /** not null: every request with its key is refused */
  revoked_at: Date | null;
}

export type SignalType = 'pdq' | 'vpdq' | 'md5' | 'sha256';

/**
 * One signal of the bank. Rows from reported items are written by the database's triggers only
 * (migration 2026-11-27T04: halte_bank_sync); the application changes quarantine and imports.
 */
export interface BankHashTable {
  id: Generated<number>;
  item_id: number | null;
  signal_type: SignalType;
  /** lower-case hex; null for vpdq */
  value: string | null;
  /** vpdq: [{pdq, quality, timestamp}] */
  frames: ColumnType<unknown, string | null | undefined, string | null> | null;
  quality: number | null;
  video_id: number | null;
  provenance: 'analyst_verified' | 'self_submitted';
  state: 'active' | 'withdrawn';
  /** was ever active: only such rows are in the feed */
  published: Generated<boolean>;
  quarantined_at: Date | null;
  quarantine_reason: 'false_positive' | 'abnormal_matches' | 'abnormal_feedback' | null;
  /** xid8 of the last writing transaction, as text: the feed's order */
  change_xid: ColumnType<string, never, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  created_at: ColumnType<Date, never, never>;
}

/** A partner has applied a tombstone (POST /api/v1/acks). */
export interface BankAckTable {
  partner_id: number;
  hash_id: number;
  acked_at: ColumnType<Date, Date | undefined, Date>;
}

/** What a partner reports about a hash (POST /api/v1/feedback). */
export interface BankFeedbackTable {
  id: Generated<number>;
  partner_id: number;
  hash_id: number;
  outcome: 'blocked' | 'removed' | 'not_blocked' | 'false_positive';
  count: number;
  /** secretbox of the URL of the re-upload */
  url_enc: Uint8Array | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** A hash a platform submitted through the StopNCII face: for analysts, never shared as such. */
export interface PartnerSubmissionTable {
  id: Generated<number>;
  partner_id: number;
  signal_type: string;
  value: string;
  feedback: string | null;
  created_at: ColumnType<Date, never, never>;
}

/** One attempt to deliver a webhook: the delivery log. */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  partner_id: number;
  at: ColumnType<Date, Date | undefined, never>;
  attempt: number;
  items: number;
  http_status: number | null;
  duration_ms: number;
  /** a short code: timeout, unreachable, http_500 … */
  error: string | null;
}
