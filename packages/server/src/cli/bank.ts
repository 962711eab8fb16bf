// `halte bank export|import`: the bank as python-threatexchange files (modules/bank/exchange-files.ts).
import { once } from 'node:events';
import { createWriteStream, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';

import { Provenance } from '@halte/contract';

import { OPERATOR } from '../modules/audit/log.js';
import { exportBank, FileFormatError, importBank, parseBankFile, type ParsedFile } from '../modules/bank/exchange-files.js';
import { configOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';
import { openMigratedOrExit } from './staff.js';

const MAX_IMPORT_MB = 200;

export const BANK_USAGE = `Usage: halte bank export [--format txt|csv] [--out FILE]
       halte bank import FILE [--provenance analyst_verified|self_submitted]

The hash bank in python-threatexchange's file formats, for Meta's HMA and the "threatexchange" command:
"txt" is one "<signal_type> <signal>" per line (its signal file), "csv" the CSV of "threatexchange
dataset -P --csv". Types: pdq, video_md5, video_sha256 (an image's MD5 or SHA-256 and vPDQ have no
name there and are not exported).
"export" writes the shared, active hashes, to standard output or to a new FILE (never overwritten).
"import" reads either format, checks every line first (nothing is imported if one is bad), skips hashes
already in the bank and CSV lines of category NEGATIVE_CLASS, and shares the others with partners
(provenance analyst_verified by default: import lists you have vetted). Files up to ${MAX_IMPORT_MB} MB.
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

const MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024;

/** Writes a chunk and waits for the stream to drain when its buffer is full: the export stays streaming. */
async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

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
        if (out === undefined) {
          await exportBank(db, format, (chunk) => write(io.stdout, chunk));
          return 0;
        }
        const path = resolve(io.cwd, out);
        let fd: number;
        try {
          fd = openSync(path, 'wx'); // never overwrites a file
        } catch (error) {
          io.stderr.write(`halte bank export: cannot create ${out} (${(error as { code?: string }).code ?? String(error)})\n`);
          return 1;
        }
        const stream = createWriteStream('', { fd });
        let failure: Error | undefined;
        stream.on('error', (error) => (failure ??= error));
        let count = 0;
        try {
          count = await exportBank(db, format, async (chunk) => {
            if (failure) throw failure;
            await write(stream, chunk);
          });
          stream.end();
          await once(stream, 'close');
        } catch (error) {
          failure ??= error as Error;
        }
        if (failure) {
          stream.destroy();
          rmSync(path, { force: true }); // no half file left to be taken for the bank
          io.stderr.write(`halte bank export: ${out} not written (${(failure as { code?: string }).code ?? failure.message})\n`);
          return 1;
        }
        io.stderr.write(`${count} hashes written to ${out}\n`);
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
      let file: ParsedFile;
      try {
        const size = statSync(path).size;
        if (size > MAX_IMPORT_BYTES) {
          io.stderr.write(`halte bank import: ${path} is over ${MAX_IMPORT_MB} MB: split it\n`);
          return 1;
        }
        file = parseBankFile(readFileSync(path, 'utf8'));
      } catch (error) {
        const code = (error as { code?: string }).code;
        io.stderr.write(`halte bank import: ${error instanceof FileFormatError ? error.message : `cannot read ${path} (${code ?? String(error)})`}\n`);
        return 1;
      }
      work = async (db) => {
        const { added, skipped } = await importBank(db, file.entries, provenance.data, OPERATOR);
        const negative = file.negative > 0 ? ` ${file.negative} line(s) of category NEGATIVE_CLASS left out.` : '';
        io.stdout.write(`${added} hashes added to the bank, ${skipped} already there or repeated.${negative}\n`);
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
