// The bank as files in python-threatexchange's formats, so that Meta's HMA and the `threatexchange`
// command read Halte's hashes, and lists vetted elsewhere come into Halte:
//   - the signal file of its LocalFileSignalExchangeAPI (and of `threatexchange dataset -P
//     --print-signals-only`): one `<signal_type> <signal>` per line;
//   - the CSV of `threatexchange dataset -P --csv`: signal_type,signal_str,collab,category,tags.
// Its signal type names: pdq, video_md5, video_sha256. An image's MD5 and SHA-256 and a video's vPDQ
// have no name there and are not exported.
import type { Provenance } from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';

export type FileFormat = 'txt' | 'csv';
export const CSV_HEADER = 'signal_type,signal_str,collab,category,tags';
/** The `collab` column of exported CSV lines. */
const COLLAB = 'halte';

const TYPES = {
  pdq: { signal: 'pdq', digits: 64, video: false },
  video_md5: { signal: 'md5', digits: 32, video: true },
  video_sha256: { signal: 'sha256', digits: 64, video: true },
} as const;
type TypeName = keyof typeof TYPES;

export interface FileEntry {
  readonly signal: 'pdq' | 'md5' | 'sha256';
  readonly value: string;
  readonly video: boolean;
}

export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
}

const nameOf = (signal: string, video: boolean): TypeName | null =>
  signal === 'pdq' ? 'pdq' : video && signal === 'md5' ? 'video_md5' : video && signal === 'sha256' ? 'video_sha256' : null;

/** Writes the active bank (shared, not suspended), in id order, a page at a time. Returns the count. */
export async function exportBank(db: Kysely<Database>, format: FileFormat, write: (chunk: string) => Promise<void> | void): Promise<number> {
  if (format === 'csv') await write(`${CSV_HEADER}\n`);
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('bank_hash')
      .select(['id', 'signal_type', 'value', 'video_id'])
      .where('published', '=', true)
      .where('state', '=', 'active')
      .where('quarantined_at', 'is', null)
      .where('value', 'is not', null)
      .where((eb) => eb.or([eb('signal_type', '=', 'pdq'), eb('video_id', 'is not', null)]))
      .where('id', '>', after)
      .orderBy('id')
      .limit(10_000)
      .execute();
    let chunk = '';
    for (const row of rows) {
      const name = nameOf(row.signal_type, row.video_id !== null);
      if (name === null || row.value === null) continue;
      chunk += format === 'csv' ? `${name},${row.value},${COLLAB},POSITIVE_CLASS,\n` : `${name} ${row.value}\n`;
      count++;
    }
    if (chunk) await write(chunk);
    const last = rows.at(-1);
    if (!last || rows.length < 10_000) return count;
    after = Number(last.id);
  }
}

/** Every line checked; the first bad ones (at most 20) reported by line number, nothing returned then. */
export function parseBankFile(text: string): FileEntry[] {
  const lines = text.split(/\r?\n/);
  const csv = lines[0]?.trim().toLowerCase().startsWith('signal_type,') ?? false;
  const entries: FileEntry[] = [];
  const errors: string[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (csv && i === 0)) return;
    const [type, value] = csv ? line.split(',', 3) : line.split(/\s+/, 3);
    const spec = type !== undefined && Object.hasOwn(TYPES, type) ? TYPES[type as TypeName] : undefined;
    if (!spec) {
      errors.push(`line ${i + 1}: unknown signal type "${(type ?? '').slice(0, 40)}" (pdq, video_md5 or video_sha256)`);
      return;
    }
    if (value === undefined || !new RegExp(`^[0-9a-fA-F]{${spec.digits}}$`).test(value)) {
      errors.push(`line ${i + 1}: a ${type} is ${spec.digits} hexadecimal digits`);
      return;
    }
    entries.push({ signal: spec.signal, value: value.toLowerCase(), video: spec.video });
  });
  if (errors.length > 0) throw new FileFormatError(`${errors.length} bad line(s), nothing imported:\n${errors.slice(0, 20).join('\n')}`);
  return entries;
}

/**
 * Adds the entries not yet in the bank (same type and value) as shared hashes of no case, in one
 * transaction. An imported video digest is its own video (video_id = its id): nothing groups it.
 */
export async function importBank(db: Kysely<Database>, entries: readonly FileEntry[], provenance: Provenance): Promise<{ added: number; skipped: number }> {
  const unique = [...new Map(entries.map((e) => [`${e.signal}:${e.value}`, e])).values()];
  return db.transaction().execute(async (trx) => {
    let added = 0;
    for (let i = 0; i < unique.length; i += 5000) {
      const batch = unique.slice(i, i + 5000);
      const result = await sql<{ id: string; video: boolean }>`
        with incoming (signal_type, value, video) as (
          select * from unnest(${batch.map((e) => e.signal)}::text[], ${batch.map((e) => e.value)}::text[], ${batch.map((e) => e.video)}::boolean[])
        )
        insert into bank_hash (signal_type, value, provenance, state, published, video_id)
        select n.signal_type, n.value, ${provenance}, 'active', true, case when n.video then 0 end from incoming n
        where not exists (select 1 from bank_hash b where b.value = n.value and b.signal_type = n.signal_type)
        returning id, video_id is not null as video`.execute(trx);
      const videos = result.rows.filter((r) => r.video).map((r) => Number(r.id));
      // (its own id: known only now)
      if (videos.length > 0) await sql`update bank_hash set video_id = id where id = any(${videos}::bigint[])`.execute(trx);
      added += result.rows.length;
    }
    return { added, skipped: entries.length - added };
  });
}
