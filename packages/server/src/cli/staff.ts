// `halte staff add|list|disable|enable|reset`: staff accounts from the command line — how the first
// administrator comes to exist (there is no default account and no default password).
import { StaffEmail, StaffRole } from '@halte/contract';

import type { Config } from '../config/config.js';
import { pendingMigrations, type HalteDatabase } from '../db/database.js';
import { OPERATOR } from '../modules/audit/log.js';
import { accountIdByEmail, createAccount, disableAccount, enableAccount, ENROLMENT_HOURS, listAccounts, resetAccount, StaffError, type AccountDeps } from '../modules/staff/accounts.js';
import { configOrExit, openOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';

export const STAFF_USAGE = `Usage: halte staff add --email E --role analyst|supervisor|admin [--child-safety]
       halte staff list
       halte staff disable --email E
       halte staff enable --email E
       halte staff reset --email E

Staff accounts. "add" and "reset" print a one-time enrolment link, valid ${ENROLMENT_HOURS} hours: the person
opens it, chooses a password and sets up an authenticator app (TOTP, required). Hand it over in person or
through a channel you trust. "reset" also forgets the password and the authenticator and ends every
session; "disable" ends every session at once. --child-safety lets the account open cases that involve
a minor. Links start with HALTE_PUBLIC_URL (default http://localhost:8080).
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

const EMAIL_OPTION = { email: { type: 'string' } } as const;

function email(value: string | undefined): string {
  if (value === undefined) throw new CliUsageError('--email is required', STAFF_USAGE);
  const parsed = StaffEmail.safeParse(value);
  if (!parsed.success) throw new CliUsageError(`--email: "${value}" is not an e-mail address`, STAFF_USAGE);
  return parsed.data;
}

function noPositionals(positionals: readonly string[]): void {
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`, STAFF_USAGE);
}

type Work = (deps: AccountDeps, io: CliIo) => Promise<number>;

/** Parses the sub-command fully (exit 2 before any database is opened), then says what to do. */
function plan(args: readonly string[], io: CliIo): Work | null {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const parsed = parseCommand(rest, { ...EMAIL_OPTION, role: { type: 'string' }, 'child-safety': { type: 'boolean' } }, STAFF_USAGE, io);
      if (parsed === null) return null;
      noPositionals(parsed.positionals);
      const address = email(parsed.values.email);
      const role = StaffRole.safeParse(parsed.values.role);
      if (!role.success) throw new CliUsageError(parsed.values.role === undefined ? '--role is required' : `--role must be analyst, supervisor or admin`, STAFF_USAGE);
      const childSafety = parsed.values['child-safety'] === true;
      return async (deps) => {
        const issued = await createAccount(deps, { email: address, role: role.data, childSafety }, OPERATOR);
        io.stdout.write(
          `Account ${issued.account.id} created for ${address} (${role.data}${childSafety ? ', child safety' : ''}).\n` +
            `Enrolment link, valid until ${issued.expiresAt.toISOString()} — give it to this person only:\n${issued.url}\n`,
        );
        return 0;
      };
    }
    case 'list': {
      const parsed = parseCommand(rest, {}, STAFF_USAGE, io);
      if (parsed === null) return null;
      noPositionals(parsed.positionals);
      return async (deps) => {
        const accounts = await listAccounts(deps);
        if (accounts.length === 0) {
          io.stdout.write('No staff accounts yet: add one with "halte staff add --email E --role admin".\n');
          return 0;
        }
        const rows = [
          ['id', 'email', 'role', 'child-safety', 'state', 'enrolled', 'last login'],
          ...accounts.map((a) => [
            String(a.id),
            a.email,
            a.role,
            a.childSafety ? 'yes' : 'no',
            a.state + (a.lockedUntil ? ' (locked)' : ''),
            a.enrolledAt?.slice(0, 16).replace('T', ' ') ?? '-',
            a.lastLoginAt?.slice(0, 16).replace('T', ' ') ?? '-',
          ]),
        ];
        const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
        io.stdout.write(`${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`);
        return 0;
      };
    }
    case 'disable':
    case 'enable':
    case 'reset': {
      const parsed = parseCommand(rest, EMAIL_OPTION, STAFF_USAGE, io);
      if (parsed === null) return null;
      noPositionals(parsed.positionals);
      const address = email(parsed.values.email);
      return async (deps) => {
        const id = await accountIdByEmail(deps.db, address);
        if (id === null) {
          io.stderr.write(`halte staff ${sub}: no staff account has the address ${address}\n`);
          return 1;
        }
        if (sub === 'disable') {
          await disableAccount(deps, id, OPERATOR);
          io.stdout.write(`Account ${id} (${address}) is disabled; its sessions have ended.\n`);
        } else if (sub === 'enable') {
          const account = await enableAccount(deps, id, OPERATOR);
          io.stdout.write(`Account ${id} (${address}) is enabled${account.state === 'pending' ? ', but not enrolled: give it a new link with "halte staff reset"' : ''}.\n`);
        } else {
          const issued = await resetAccount(deps, id, OPERATOR);
          io.stdout.write(
            `Account ${id} (${address}): password and authenticator forgotten, sessions ended.\n` +
              `New enrolment link, valid until ${issued.expiresAt.toISOString()} — give it to this person only:\n${issued.url}\n`,
          );
        }
        return 0;
      };
    }
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(`${STAFF_USAGE}\n`);
      return null;
    case undefined:
      throw new CliUsageError('say what to do: add, list, disable, enable or reset', STAFF_USAGE);
    default:
      throw new CliUsageError(`unknown sub-command "${sub}"`, STAFF_USAGE);
  }
}

/** The database, migrated to the code's schema, or exit code 1 after saying what to do. */
export async function openMigratedOrExit(io: CliIo, config: Config, command: string): Promise<HalteDatabase | number> {
  const database = await openOrExit(io, config, command);
  if (typeof database === 'number') return database;
  try {
    if ((await pendingMigrations(database.db)).length > 0) {
      io.stderr.write(`halte ${command}: the database schema is not up to date: run "halte migrate" first\n`);
      await database.close();
      return 1;
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

export async function runStaff(args: readonly string[], io: CliIo): Promise<number> {
  const work = plan(args, io);
  if (work === null) return 0;
  const config = configOrExit(io, 'staff');
  if (typeof config === 'number') return config;
  const database = await openMigratedOrExit(io, config, 'staff');
  if (typeof database === 'number') return database;
  try {
    return await work({ db: database.db, now: () => new Date(), publicUrl: config.publicUrl }, io);
  } catch (error) {
    if (error instanceof StaffError) {
      io.stderr.write(`halte staff ${args[0]}: ${error.code === 'STAFF_ACCOUNT_EXISTS' ? 'an account with this e-mail address exists (to give it a new link: halte staff reset)' : error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
