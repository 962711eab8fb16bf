// `halte audit verify`: walks the audit log's hash chain from the first entry and names the first
// entry that does not fit (exit 1), or says it is intact (exit 0).
import { verifyAuditChain } from '../modules/audit/log.js';
import { configOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';
import { openMigratedOrExit } from './staff.js';

export const AUDIT_USAGE = `Usage: halte audit verify

Checks the audit log: every entry's hash, the link to the entry before it, and that no entry is missing.
Exit 0: intact (the last entry and its hash are printed: keep them somewhere else, to notice later if
entries after them were removed). Exit 1: the first broken entry is named.
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

export async function runAudit(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  if (sub !== 'verify') throw new CliUsageError(sub === undefined ? 'say what to do: verify' : `unknown sub-command "${sub}"`, AUDIT_USAGE);
  const parsed = parseCommand(rest, {}, AUDIT_USAGE, io);
  if (parsed === null) return 0;
  if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`, AUDIT_USAGE);
  const config = configOrExit(io, 'audit');
  if (typeof config === 'number') return config;
  const database = await openMigratedOrExit(io, config, 'audit');
  if (typeof database === 'number') return database;
  try {
    const verdict = await verifyAuditChain(database.db);
    if (verdict.intact) {
      io.stdout.write(
        verdict.head === null
          ? 'The audit log is empty.\n'
          : `The audit log is intact: ${verdict.entries} entries. Last: entry ${verdict.head.seq}, hash ${verdict.head.hash}\n`,
      );
      return 0;
    }
    io.stdout.write(`The audit log is BROKEN at entry ${verdict.seq}: ${verdict.detail}.${verdict.checked > 0 ? ` Entries 1 to ${verdict.checked} are intact.` : ''}\n`);
    return 1;
  } finally {
    await database.close();
  }
}
