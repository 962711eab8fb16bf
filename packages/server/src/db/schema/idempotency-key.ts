import type { ColumnType } from 'kysely';

/** A retried request with the same Idempotency-Key gets the first answer again, not a second case. */
export interface IdempotencyKeyTable {
  /** what the key is for, e.g. 'report' */
  scope: string;
  key: string;
  /** SHA-256 of the request body: the same key with another body is refused */
  request_hash: Uint8Array;
  status_code: number;
  /** the first answer, encrypted: it holds the case's PIN */
  response_enc: Uint8Array;
  created_at: ColumnType<Date, never, never>;
  /** the case the answer belongs to: deleted with the case's personal data at withdrawal */
  reference: string | null;
}
