// The bank as files in python-threatexchange's formats, so that Meta's HMA and the `threatexchange`
// command read Halte's hashes, and lists vetted elsewhere come into Halte:
//   - the signal file of its LocalFileSignalExchangeAPI (and of `threatexchange dataset -P
//     --print-signals-only`): one `<signal_type> <signal>` per line;
//   - the CSV of `threatexchange dataset -P --csv`: signal_type,signal_str,collab,category,tags.
// Its signal type names: pdq, video_md5, video_sha256. An image's MD5 and SHA-256 and a video's vPDQ
// have no name there: they are not exported.
import type { Provenance } from '@halte/contract';
import { sql, type Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { appendAudit, type AuditActor } from '../audit/log.js';

export type FileFormat = 'txt' | 'csv';
export const CSV_HEADER = 'signal_type,signal_str,collab,category,tags';
/** The `collab` column of exported CSV lines. */
const COLLAB = 'halte';
/** Rows read per query while exporting: memory stays flat however large the bank. */
const EXPORT_PAGE = 10_000;
/** Rows inserted per statement while importing. */
const IMPORT_BATCH = 5000;
/** Bad lines shown (all are counted). */
const ERRORS_SHOWN = 20;

const TYPES = {
  pdq: { signal: 'pdq', digits: 64, video: false },
  video_md5: { signal: 'md5', digits: 32, video: true },
  video_sha256: { signal: 'sha256', digits: 64, video: true },
} as const;
type TypeName = keyof typeof TYPES;

/**
 * python-threatexchange's SignalOpinionCategory, the CSV's `category`: NEGATIVE_CLASS is a
 * collaboration saying the signal is a false positive or test data — never shared from Halte.
 */
const CATEGORIES = ['POSITIVE_CLASS', 'INVESTIGATION_SEED', 'NEGATIVE_CLASS'] as const;

export interface FileEntry {
  readonly signal: 'pdq' | 'md5' | 'sha256';
  /** lower-case hex */
  readonly value: string;
  readonly video: boolean;
}

export interface ParsedFile {
  readonly entries: FileEntry[];
  /** CSV lines of category NEGATIVE_CLASS: read, not imported */
  readonly negative: number;
}

export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
}

const nameOf = (signal: string, video: boolean): TypeName | null =>
  signal === 'pdq' ? 'pdq' : video && signal === 'md5' ? 'video_md5' : video && signal === 'sha256' ? 'video_sha256' : null;

/**
 * Writes the bank's shared hashes (active, not suspended) in id order, a range of ids at a time, each
 * range written (and its backpressure awaited) before the next is read: memory stays flat, and each
 * read is a short range of the primary key whatever the planner's statistics say (right after a bulk
 * import they say little). Returns the count. Not one snapshot: a hash withdrawn while the export runs
 * may or may not be in it (no long transaction holds the partners' feed back meanwhile); hashes added
 * after it began are not.
 */
export async function exportBank(
  db: Kysely<Database>,
  format: FileFormat,
  write: (chunk: string) => Promise<void> | void,
  options: { pageSize?: number } = {},
): Promise<number> {
  const pageSize = options.pageSize ?? EXPORT_PAGE;
  if (format === 'csv') await write(`${CSV_HEADER}\n`);
  const top = await db.selectFrom('bank_hash').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const last = Number(top?.id ?? 0);
  let count = 0;
  for (let after = 0; after < last; after += pageSize) {
    const rows = await db
      .selectFrom('bank_hash')
      .select(['signal_type', 'value', 'video_id'])
      .where('id', '>', after)
      .where('id', '<=', after + pageSize)
      .where('published', '=', true)
      .where('state', '=', 'active')
      .where('quarantined_at', 'is', null)
      .where('value', 'is not', null)
      .where((eb) => eb.or([eb('signal_type', '=', 'pdq'), eb('video_id', 'is not', null)]))
      .orderBy('id')
      .execute();
    let chunk = '';
    for (const row of rows) {
      const name = nameOf(row.signal_type, row.video_id !== null);
      if (name === null || row.value === null) continue;
      chunk += format === 'csv' ? `${name},${row.value},${COLLAB},POSITIVE_CLASS,\n` : `${name} ${row.value}\n`;
      count++;
    }
    if (chunk) await write(chunk);
  }
  return count;
}

/** One CSV line's fields (RFC 4180 quoting; a line break inside quotes is not expected here). */
function csvFields(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return null;
        field += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      fields.push(field);
      if (i === line.length) return fields;
      if (line[i] !== ',') return null;
      i++;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(comma < 0 ? line.slice(i) : line.slice(i, comma));
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

const quoted = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Reads a signal file or a CSV (known by its header). Every line is checked; if any is bad, throws a
 * FileFormatError naming the first ones by line number, and nothing is returned. Values are
 * normalised to lower case; blank lines and `#` comments are skipped; in a signal file, whatever follows
 * the signal on its line (`threatexchange dataset -P` prints the collaboration and opinions there) is
 * ignored.
 */
export function parseBankFile(text: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // a CSV is known by its header, which names its columns
  const names = (csvFields(lines[0]?.trim().toLowerCase() ?? '') ?? []).map((n) => n.trim());
  const csv = names.length > 1 && (names.includes('signal_type') || names.includes('signal_str'));
  let columns = { type: 0, value: 1, category: -1 };
  const errors: string[] = [];
  if (csv) {
    columns = { type: names.indexOf('signal_type'), value: names.indexOf('signal_str'), category: names.indexOf('category') };
    if (columns.type < 0 || columns.value < 0) throw new FileFormatError('line 1: a CSV header names its columns signal_type,signal_str[,collab,category,tags]');
  }
  const entries: FileEntry[] = [];
  let negative = 0;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || (csv && i === 0)) return;
    const where = `line ${i + 1}`;
    const fields = csv ? csvFields(line) : line.split(/\s+/);
    if (fields === null) {
      errors.push(`${where}: unbalanced quotes`);
      return;
    }
    const type = (fields[columns.type] ?? '').trim();
    const value = (fields[columns.value] ?? '').trim();
    const spec = Object.hasOwn(TYPES, type) ? TYPES[type as TypeName] : undefined;
    if (!spec) {
      const hint = /^[0-9a-fA-F]{32,}$/.test(type) ? ': each line starts with its type' : '';
      errors.push(`${where}: unknown signal type ${quoted(type)} (pdq, video_md5 or video_sha256)${hint}`);
      return;
    }
    if (!new RegExp(`^[0-9a-fA-F]{${spec.digits}}$`).test(value)) {
      errors.push(`${where}: a ${type} is ${spec.digits} hexadecimal digits`);
      return;
    }
    const category = columns.category >= 0 ? (fields[columns.category] ?? '').trim() : '';
    if (category !== '' && !(CATEGORIES as readonly string[]).includes(category)) {
      errors.push(`${where}: unknown category ${quoted(category)} (${CATEGORIES.join(', ')})`);
      return;
    }
    if (category === 'NEGATIVE_CLASS') {
      negative++;
      return;
    }
    entries.push({ signal: spec.signal, value: value.toLowerCase(), video: spec.video });
  });
  if (errors.length > 0) {
    const more = errors.length > ERRORS_SHOWN ? `\n(and ${errors.length - ERRORS_SHOWN} more)` : '';
    throw new FileFormatError(`${errors.length} bad line(s), nothing imported:\n${errors.slice(0, ERRORS_SHOWN).join('\n')}${more}`);
  }
  return { entries, negative };
}

/**
 * Adds the entries not yet in the bank (same type and value, whatever its state: a hash a person
 * withdrew stays withdrawn) as shared hashes of no case, in one transaction with its audit entry.
 * Imports run one at a time (an advisory lock), so two cannot add the same hash twice. An imported
 * video digest is its own video (video_id = its id): nothing says which MD5 and SHA-256 go together.
 */
export async function importBank(
  db: Kysely<Database>,
  entries: readonly FileEntry[],
  provenance: Provenance,
  actor: AuditActor,
): Promise<{ added: number; skipped: number }> {
  const unique = [...new Map(entries.map((e) => [`${e.signal}:${e.value}`, e])).values()];
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('halte.bank.import'))`.execute(trx);
    // Each batch looks its values up in the value index. The table grows under the import faster than
    // its statistics follow, and the planner would then hash-join the whole table, batch after batch.
    await sql`set local enable_hashjoin = off`.execute(trx);
    await sql`set local enable_mergejoin = off`.execute(trx);
    await sql`set local enable_seqscan = off`.execute(trx);
    let added = 0;
    for (let i = 0; i < unique.length; i += IMPORT_BATCH) {
      const batch = unique.slice(i, i + IMPORT_BATCH);
      const result = await sql<{ id: string; video: boolean }>`
        with incoming (signal_type, value, video, line) as (
          select * from unnest(${batch.map((e) => e.signal)}::text[], ${batch.map((e) => e.value)}::text[], ${batch.map((e) => e.video)}::boolean[]) with ordinality
        )
        insert into bank_hash (signal_type, value, provenance, state, published, video_id)
        select n.signal_type, n.value, ${provenance}, 'active', true, case when n.video then 0 end from incoming n
        where not exists (select 1 from bank_hash b where b.value = n.value and b.signal_type = n.signal_type)
        order by n.line -- ids in the file's order: an export lists them as the file did
        returning id, video_id is not null as video`.execute(trx);
      // (its own id: known only now)
      const videos = result.rows.filter((r) => r.video).map((r) => Number(r.id));
      if (videos.length > 0) await sql`update bank_hash set video_id = id where id = any(${videos}::bigint[])`.execute(trx);
      added += result.rows.length;
    }
    const skipped = entries.length - added;
    await appendAudit(trx, { actor, action: 'bank.imported', data: { added, skipped, provenance } });
    return { added, skipped };
  });
}
