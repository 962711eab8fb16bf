// The `halte` command: dispatches to one module per sub-command.
import { runHash } from './hash.js';
import { CliUsageError, type CliIo } from './io.js';
import { runMigrate } from './migrate.js';
import { runServe } from './serve.js';
import { runAudit } from './audit.js';
import { runStaff } from './staff.js';
import { runBank } from './bank.js';
import { runPartner } from './partner.js';

type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: runServe, summary: 'serve Halte over HTTP (settings from HALTE_* variables)' },
  migrate: { run: runMigrate, summary: 'bring the database schema up to date' },
  hash: { run: runHash, summary: 'print the PDQ, MD5 and SHA-256 fingerprints of image files' },
  staff: { run: runStaff, summary: 'add, list, disable, enable or reset staff accounts (enrolment links)' },
  audit: { run: runAudit, summary: 'verify the audit log’s hash chain' },
  partner: { run: runPartner, summary: 'add, list, change, rotate the key of, or revoke partner platforms' },
  bank: { run: runBank, summary: 'export or import the hash bank (python-threatexchange / HMA files)' },
};

export const USAGE = `Usage: halte <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run "halte <command> --help" for a command's options.`;

/** Runs the command line; returns the exit code (0 ok, 1 some work failed, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`halte: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`halte ${name}: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    throw error;
  }
}
