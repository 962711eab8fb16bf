// `halte bank export|import`: the bank as python-threatexchange files (modules/bank/exchange-files.ts).
import { createWriteStream, openSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { once } from 'node:events';

import { Provenance } from '@halte/contract';

import { exportBank, FileFormatError, importBank, parseBankFile } from '../modules/bank/exchange-files.js';
import { appendAudit, OPERATOR } from '../modules/audit/log.js';
import { configOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';
import { openMigratedOrExit } from './staff.js';

export const BANK_USAGE = `Usage: halte bank export [--format txt|csv] [--out FILE]
       halte bank import FILE [--provenance analyst_verified|self_submitted]

The hash bank in python-threatexchange's file formats, for Meta's HMA and the "threatexchange" command:
"txt" is one "<signal_type> <signal>" per line (its signal file), "csv" the CSV of "threatexchange
dataset -P --csv". Types: pdq, video_md5, video_sha256. "export" writes the shared, active hashes
(to standard output by default); "import" checks every line first (nothing is imported if one is
bad), skips hashes already in the bank, and shares the others (provenance analyst_verified by default:
import lists you have vetted). Files up to ${200} MB.
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export async function runBank(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  let work: (db: Parameters<typeof exportBank>[0]) => Promise<number>;
  switch (sub) {
    case 'export': {
      const parsed = parseCommand(rest, { format: { type: 'string' }, out: { type: 'string' } }, BANK_USAGE, io);
      if (parsed === null) return 0;
      if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`, BANK_USAGE);
      const format = parsed.values.format ?? 'txt';
      if (format !== 'txt' && format !== 'csv') throw new CliUsageError('--format is txt or csv', BANK_USAGE);
      const out = parsed.values.out;
      work = async (db) => {
        let fd: number | undefined;
        if (out !== undefined) {
          try {
            fd = openSync(resolve(io.cwd, out), 'wx'); // never overwrites a file
          } catch (error) {
            io.stderr.write(`halte bank export: cannot create ${out} (${(error as { code?: string }).code ?? String(error)})\n`);
            return 1;
          }
        }
        const file = fd === undefined ? null : createWriteStream('', { fd });
        const sink = file ?? io.stdout;
        const count = await exportBank(db, format, async (chunk) => {
          if (!sink.write(chunk)) await once(sink, 'drain');
        });
        if (file) {
          file.end();
          await once(file, 'close');
          io.stderr.write(`${count} hashes written to ${out}\n`);
        }
        return 0;
      };
      break;
    }
    case 'import': {
      const parsed = parseCommand(rest, { provenance: { type: 'string' } }, BANK_USAGE, io);
      if (parsed === null) return 0;
      if (parsed.positionals.length !== 1) throw new CliUsageError('give one file to import', BANK_USAGE);
      const provenance = Provenance.safeParse(parsed.values.provenance ?? 'analyst_verified');
      if (!provenance.success) throw new CliUsageError('--provenance is analyst_verified or self_submitted', BANK_USAGE);
      const path = resolve(io.cwd, parsed.positionals[0] as string);
      let entries;
      try {
        const size = statSync(path).size;
        if (size > MAX_IMPORT_BYTES) {
          io.stderr.write(`halte bank import: ${path} is over ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it\n`);
          return 1;
        }
        entries = parseBankFile(readFileSync(path, 'utf8'));
      } catch (error) {
        const code = (error as { code?: string }).code;
        io.stderr.write(`halte bank import: ${error instanceof FileFormatError ? error.message : `cannot read ${path} (${code ?? String(error)})`}\n`);
        return 1;
      }
      work = async (db) => {
        const { added, skipped } = await importBank(db, entries, provenance.data);
        await appendAudit(db, { actor: OPERATOR, action: 'bank.imported', data: { added, skipped, provenance: provenance.data } });
        io.stdout.write(`${added} hashes added to the bank, ${skipped} already there or repeated.\n`);
        return 0;
      };
      break;
    }
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(`${BANK_USAGE}\n`);
      return 0;
    case undefined:
      throw new CliUsageError('say what to do: export or import', BANK_USAGE);
    default:
      throw new CliUsageError(`unknown sub-command "${sub}"`, BANK_USAGE);
  }
  const config = configOrExit(io, 'bank');
  if (typeof config === 'number') return config;
  const database = await openMigratedOrExit(io, config, 'bank');
  if (typeof database === 'number') return database;
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}
