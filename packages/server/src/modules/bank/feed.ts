// The bank as a change feed. Every write to a bank row stamps it with its transaction's id (xid8); the
// feed reads rows in (xid, id) order and only those whose transaction ended before every transaction
// still running began — below the snapshot's xmin. A transaction that commits later has an xid at
// least that xmin, so it sorts after everything already read: no row is skipped, however commits
// interleave, and none is repeated unless it changed again (then its latest state comes again, which is
// what a change feed is for). See decision 0018.
import type { BankFrame, FeedItem } from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import type { FeedPosition } from './cursor.js';

export interface FeedRow {
  id: number;
  signal_type: FeedItem['signalType'];
  value: string | null;
  frames: BankFrame[] | null;
  quality: number | null;
  video_id: number | null;
  provenance: FeedItem['provenance'];
  status: FeedItem['status'];
  updated_at: Date;
  xid: string;
}

/** Up to `limit` changes after `after`, in feed order, each with its position. */
export async function readChanges(db: Kysely<Database>, after: FeedPosition, limit: number): Promise<FeedRow[]> {
  const result = await sql<FeedRow>`
    select id, signal_type, value, frames, quality, video_id, provenance,
      case when state = 'active' and quarantined_at is null then 'active' else 'withdrawn' end as status,
      updated_at, change_xid::text as xid
    from bank_hash
    where published
      and (change_xid, id) > (${after.xid}::xid8, ${after.id}::bigint)
      and change_xid < pg_snapshot_xmin(pg_current_snapshot())
    order by change_xid, id
    limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ ...r, id: Number(r.id), video_id: r.video_id === null ? null : Number(r.video_id) }));
}

export function positionOf(row: FeedRow): FeedPosition {
  return { xid: row.xid, id: row.id };
}

export function feedItem(row: FeedRow): FeedItem {
  return {
    id: row.id,
    signalType: row.signal_type,
    value: row.signal_type === 'vpdq' ? (row.frames ?? []) : (row.value ?? ''),
    quality: row.quality,
    videoId: row.video_id,
    provenance: row.provenance,
    status: row.status,
    updatedAt: row.updated_at.toISOString(),
  };
}
