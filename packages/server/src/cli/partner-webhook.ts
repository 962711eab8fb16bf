// SKELETON — to be written (issue 6): `halte partner webhook NAME --url URL | --off | --log`.
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema/index.js';
import { CliUsageError, type CliIo } from './io.js';

export const WEBHOOK_USAGE = `       halte partner webhook NAME --url URL | --off | --log`;

export function planWebhook(_args: readonly string[], _io: CliIo): ((db: Kysely<Database>, io: CliIo) => Promise<number>) | null {
  throw new CliUsageError('webhooks are not written yet', WEBHOOK_USAGE);
}
