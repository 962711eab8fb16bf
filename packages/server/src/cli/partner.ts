// `halte partner add|list|set|rotate|revoke|webhook`: the platforms that use the bank. A key is printed
// once (add, rotate): only its hash is stored.
import { PARTNER_SCOPES, PartnerScope } from '@halte/contract';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema/index.js';
import { OPERATOR } from '../modules/audit/log.js';
import { addPartner, listPartners, partnerIdByName, PartnerError, revokePartner, rotateKey, updatePartner, type PartnerListing, type PartnerOptions } from '../modules/bank/partners.js';
import { configOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';
import { planWebhook, WEBHOOK_USAGE } from './partner-webhook.js';
import { openMigratedOrExit } from './staff.js';

export const PARTNER_USAGE = `Usage: halte partner add NAME --scopes fetch,match,feedback [--rate-limit N] [--max-distance D] [--show-name]
       halte partner list
       halte partner set NAME [--scopes …] [--rate-limit N] [--max-distance D] [--show-name | --hide-name]
       halte partner rotate NAME
       halte partner revoke NAME
${WEBHOOK_USAGE}

Partner platforms of the hash bank (/api/v1 and the StopNCII-compatible face). "add" and "rotate" print
the API key ONCE: only its hash is kept, and a rotated key stops working at once. Scopes: fetch (the
feed and acknowledgements), match, feedback. --rate-limit: requests a minute (default 6000, per server
instance); --max-distance: the largest PDQ distance reported to this partner (0..31, default 31);
--show-name: the person may read "a re-upload was blocked on NAME" (default: the name is not shown).
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

const OPTIONS = {
  scopes: { type: 'string' },
  'rate-limit': { type: 'string' },
  'max-distance': { type: 'string' },
  'show-name': { type: 'boolean' },
  'hide-name': { type: 'boolean' },
} as const;

function scopes(value: string): PartnerScope[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = list.find((s) => !PartnerScope.safeParse(s).success);
  if (bad !== undefined || list.length === 0) throw new CliUsageError(`--scopes: a comma-separated list of ${PARTNER_SCOPES.join(', ')}${bad ? ` ("${bad}" is not one)` : ''}`, PARTNER_USAGE);
  return list as PartnerScope[];
}

function integer(value: string | undefined, option: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new CliUsageError(`${option}: a whole number from ${min} to ${max}`, PARTNER_USAGE);
  return Number(value);
}

function name(positionals: readonly string[]): string {
  if (positionals.length === 0) throw new CliUsageError('give the partner’s name', PARTNER_USAGE);
  if (positionals.length > 1) throw new CliUsageError(`unexpected argument "${positionals[1]}" (quote a name with spaces)`, PARTNER_USAGE);
  return positionals[0] as string;
}

function describe(p: PartnerListing): string {
  return `${p.name} (id ${p.id}): scopes ${p.scopes.join(',')}, ${p.rateLimitPerMinute}/min, max distance ${p.maxDistance}, name ${p.showName ? 'shown' : 'hidden'}`;
}

export type PartnerWork = (db: Kysely<Database>, io: CliIo) => Promise<number>;

function plan(args: readonly string[], io: CliIo): PartnerWork | null {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add':
    case 'set': {
      const parsed = parseCommand(rest, OPTIONS, PARTNER_USAGE, io);
      if (parsed === null) return null;
      const partnerName = name(parsed.positionals);
      const v = parsed.values;
      if (v['show-name'] && v['hide-name']) throw new CliUsageError('--show-name or --hide-name, not both', PARTNER_USAGE);
      if (sub === 'add' && v.scopes === undefined) throw new CliUsageError('--scopes is required (e.g. --scopes fetch,match,feedback)', PARTNER_USAGE);
      const options: Partial<PartnerOptions> = {
        ...(v.scopes !== undefined ? { scopes: scopes(v.scopes) } : {}),
        rateLimitPerMinute: integer(v['rate-limit'], '--rate-limit', 1, 1_000_000),
        maxDistance: integer(v['max-distance'], '--max-distance', 0, 31),
        showName: v['show-name'] ? true : v['hide-name'] ? false : undefined,
      };
      if (sub === 'add') {
        if (v['hide-name']) throw new CliUsageError('--hide-name is for "set" (names are hidden by default)', PARTNER_USAGE);
        return async (db) => {
          const { partner, key } = await addPartner(db, partnerName, { ...options, scopes: options.scopes ?? [] }, OPERATOR);
          io.stdout.write(`Partner ${describe(partner)}.\nAPI key — shown once, give it to this partner only:\n${key}\n`);
          return 0;
        };
      }
      return async (db) => {
        const partner = await updatePartner(db, await partnerIdByName(db, partnerName), options, OPERATOR);
        io.stdout.write(`Partner ${describe(partner)}.\n`);
        return 0;
      };
    }
    case 'list': {
      const parsed = parseCommand(rest, {}, PARTNER_USAGE, io);
      if (parsed === null) return null;
      if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`, PARTNER_USAGE);
      return async (db) => {
        const partners = await listPartners(db);
        if (partners.length === 0) {
          io.stdout.write('No partners yet: add one with "halte partner add NAME --scopes fetch,match,feedback".\n');
          return 0;
        }
        const rows = [
          ['id', 'name', 'key', 'scopes', 'rate/min', 'max-dist', 'name shown', 'webhook', 'state'],
          ...partners.map((p) => [
            String(p.id),
            p.name,
            `hk_${p.keyPrefix}_…`,
            p.scopes.join(','),
            String(p.rateLimitPerMinute),
            String(p.maxDistance),
            p.showName ? 'yes' : 'no',
            p.webhookUrl ?? '-',
            p.revokedAt ? `revoked ${p.revokedAt.toISOString().slice(0, 10)}` : 'active',
          ]),
        ];
        const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
        io.stdout.write(`${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`);
        return 0;
      };
    }
    case 'rotate':
    case 'revoke': {
      const parsed = parseCommand(rest, {}, PARTNER_USAGE, io);
      if (parsed === null) return null;
      const partnerName = name(parsed.positionals);
      return async (db) => {
        const id = await partnerIdByName(db, partnerName);
        if (sub === 'rotate') {
          const { key } = await rotateKey(db, id, OPERATOR);
          io.stdout.write(`Partner ${partnerName}: new API key — the previous one no longer works. Shown once:\n${key}\n`);
        } else {
          await revokePartner(db, id, OPERATOR);
          io.stdout.write(`Partner ${partnerName} is revoked: every request with its key is refused.\n`);
        }
        return 0;
      };
    }
    case 'webhook':
      return planWebhook(rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout.write(`${PARTNER_USAGE}\n`);
      return null;
    case undefined:
      throw new CliUsageError('say what to do: add, list, set, rotate, revoke or webhook', PARTNER_USAGE);
    default:
      throw new CliUsageError(`unknown sub-command "${sub}"`, PARTNER_USAGE);
  }
}

export async function runPartner(args: readonly string[], io: CliIo): Promise<number> {
  const work = plan(args, io);
  if (work === null) return 0;
  const config = configOrExit(io, 'partner');
  if (typeof config === 'number') return config;
  const database = await openMigratedOrExit(io, config, 'partner');
  if (typeof database === 'number') return database;
  try {
    return await work(database.db, io);
  } catch (error) {
    if (error instanceof PartnerError) {
      io.stderr.write(`halte partner ${args[0]}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
