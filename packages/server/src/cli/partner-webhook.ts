// `halte partner webhook NAME --url URL [--from-now] | --off | --log`: a partner's webhook (the feed
// pushed to its URL, signed with a secret printed once) and its delivery log. Deliveries are made by
// `halte serve` (modules/bank/webhooks.ts); this command only changes what it delivers to.
import type { Kysely } from 'kysely';

import { loadConfig } from '../config/config.js';
import { deriveKeys, loadSecretKey, SecretKeyError } from '../crypto/keys.js';
import { Sealer } from '../crypto/sealed.js';
import type { Database } from '../db/schema/index.js';
import { OPERATOR } from '../modules/audit/log.js';
import { partnerIdByName } from '../modules/bank/partners.js';
import { removeWebhook, setWebhook, WEBHOOK_BATCH_ITEMS, webhookDeliveries, webhookUrlProblem } from '../modules/bank/webhooks.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';

export const WEBHOOK_USAGE = `       halte partner webhook NAME --url URL [--from-now]
       halte partner webhook NAME --off
       halte partner webhook NAME --log`;

/** Printed with a usage error of this sub-command. */
const HELP = `Usage: halte partner webhook NAME --url URL [--from-now]
       halte partner webhook NAME --off
       halte partner webhook NAME --log

"halte serve" POSTs the bank's changes to the partner's URL, in batches of up to ${WEBHOOK_BATCH_ITEMS} items signed
with a secret (header Halte-Signature): --url sets the URL (https://, or http:// to localhost) and prints a
new secret ONCE — the previous one stops working at once. A new webhook first delivers the whole bank,
then every change; --from-now delivers only the changes from now on. Setting the URL of a webhook that
exists keeps its position. --off removes the webhook; --log prints its last 20 delivery attempts.
The partner needs the fetch scope.`;

const OPTIONS = {
  url: { type: 'string' },
  'from-now': { type: 'boolean' },
  off: { type: 'boolean' },
  log: { type: 'boolean' },
} as const;

type Work = (db: Kysely<Database>, io: CliIo) => Promise<number>;

/** The sealer `halte serve` uses (the same key), to seal the secret and sign the webhook's position. */
async function serverSealer(io: CliIo): Promise<Sealer | number> {
  const config = loadConfig(io.env, io.cwd);
  try {
    const { key, generatedAt } = loadSecretKey({ fromEnv: config.secretKey, dataDir: config.dataDir });
    if (generatedAt !== null) {
      io.stderr.write(
        `halte partner webhook: a new secret key was written to ${generatedAt}. Back it up now: without it the ` +
          'personal data in the database cannot be read. (Or set HALTE_SECRET_KEY.)\n',
      );
    }
    return await Sealer.create(await deriveKeys(key));
  } catch (error) {
    if (error instanceof SecretKeyError) {
      io.stderr.write(`halte partner webhook: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
}

const cell = (value: string | number | null) => (value === null ? '-' : String(value));

/** Parses the whole command line (exit 2 before any database is opened), then says what to do; null after --help. */
export function planWebhook(args: readonly string[], io: CliIo): Work | null {
  const parsed = parseCommand(args, OPTIONS, HELP, io);
  if (parsed === null) return null;
  const { positionals, values } = parsed;
  if (positionals.length === 0) throw new CliUsageError('give the partner’s name', HELP);
  if (positionals.length > 1) throw new CliUsageError(`unexpected argument "${positionals[1]}" (quote a name with spaces)`, HELP);
  const name = positionals[0] as string;
  const actions = [values.url !== undefined && '--url', values.off === true && '--off', values.log === true && '--log'].filter((a) => a !== false);
  if (actions.length === 0) throw new CliUsageError('say what to do: --url URL, --off or --log', HELP);
  if (actions.length > 1) throw new CliUsageError(`${actions.join(' or ')}, not both`, HELP);
  if (values['from-now'] === true && values.url === undefined) throw new CliUsageError('--from-now goes with --url', HELP);

  if (values.url !== undefined) {
    const url = values.url;
    const problem = webhookUrlProblem(url);
    if (problem !== null) throw new CliUsageError(`--url: ${problem}`, HELP);
    const fromNow = values['from-now'] === true;
    return async (db) => {
      const sealer = await serverSealer(io);
      if (typeof sealer === 'number') return sealer;
      const set = await setWebhook({ db, sealer }, await partnerIdByName(db, name), url, { fromNow }, OPERATOR);
      const start = {
        beginning: 'It first receives the whole bank, then every change.',
        now: 'It receives the changes from now on (not what the bank held before).',
        kept: 'It continues from where the previous webhook was; the previous secret no longer works.',
      }[set.start];
      io.stdout.write(
        `Partner ${set.partner.name}: webhook ${set.url}\n${start} Deliveries are made by "halte serve".\n` +
          `Signing secret — shown once, give it to this partner only:\n${set.secret}\n`,
      );
      return 0;
    };
  }
  if (values.off === true) {
    return async (db) => {
      const removed = await removeWebhook(db, await partnerIdByName(db, name), OPERATOR);
      io.stdout.write(removed ? `Partner ${name}: webhook removed; its secret no longer signs anything.\n` : `Partner ${name} has no webhook.\n`);
      return 0;
    };
  }
  return async (db) => {
    const id = await partnerIdByName(db, name);
    const partner = await db.selectFrom('partner').select('webhook_url').where('id', '=', id).executeTakeFirstOrThrow();
    const deliveries = await webhookDeliveries(db, id, 20);
    io.stdout.write(`Partner ${name}: ${partner.webhook_url === null ? 'no webhook' : `webhook ${partner.webhook_url}`}\n`);
    if (deliveries.length === 0) {
      io.stdout.write('No deliveries yet.\n');
      return 0;
    }
    const rows = [
      ['delivery', 'time (UTC)', 'attempt', 'items', 'status', 'ms', 'error'],
      ...deliveries.map((d) => [String(d.id), d.at.toISOString().slice(0, 19).replace('T', ' '), String(d.attempt), String(d.items), cell(d.httpStatus), String(d.durationMs), cell(d.error)]),
    ];
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    io.stdout.write(`${rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')}\n`);
    return 0;
  };
}
