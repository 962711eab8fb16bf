import type { ColumnType, Generated } from 'kysely';

/** A fingerprint or a link reported in a case. Never the file itself. */
export interface CaseItemTable {
  id: Generated<number>;
  case_id: number;
  kind: 'image' | 'video' | 'url';
  /** image: 64 hex; null for videos and URLs */
  pdq: string | null;
  /** image: 0..100; below 50 the hash is kept but flagged (low_quality) */
  quality: number | null;
  low_quality: boolean;
  md5: string | null;
  sha256: string | null;
  /** video: [{frame, timestamp, pdq, quality}] */
  vpdq: ColumnType<unknown, string | null, string | null> | null;
  /** url: normalised; null once the case is withdrawn */
  url: string | null;
  /** url: the link's host name, for routing notices; null once the case is withdrawn (a personal
   * subdomain can name the person) */
  host: string | null;
  created_at: ColumnType<Date, never, never>;
  /** Set at withdrawal: the fingerprint stays only as a tombstone for partners. */
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** hash review: self_submitted until an analyst verifies or rejects it (rejected: never shared) */
  review: Generated<'self_submitted' | 'analyst_verified' | 'rejected'>;
  reviewed_at: Date | null;
  reviewed_by: number | null;
}
