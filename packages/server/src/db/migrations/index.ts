// The migrations, in order, listed explicitly (no directory scanning: the bundle and the tests see the
// same list). Names are ISO timestamps; a shipped migration is never edited.
import type { Migration, MigrationProvider } from 'kysely';

import * as followup from './2026-11-26T19-00-00Z-followup.js';
import * as initial from './2026-11-26T18-00-00Z-initial.js';
import * as idempotencyReference from './2026-11-26T20-00-00Z-idempotency-reference.js';
import * as staff from './2026-11-27T01-00-00Z-staff.js';
import * as mailDelivery from './2026-11-27T02-00-00Z-mail-delivery.js';
import * as caseWork from './2026-11-27T03-00-00Z-case-work.js';
import * as hashBank from './2026-11-27T04-00-00Z-hash-bank.js';
import * as notices from './2026-11-27T05-00-00Z-notices.js';
import * as chat from './2026-11-27T06-00-00Z-chat.js';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '2026-11-26T18-00-00Z-initial': initial,
  '2026-11-26T19-00-00Z-followup': followup,
  '2026-11-26T20-00-00Z-idempotency-reference': idempotencyReference,
  '2026-11-27T01-00-00Z-staff': staff,
  '2026-11-27T02-00-00Z-mail-delivery': mailDelivery,
  '2026-11-27T03-00-00Z-case-work': caseWork,
  '2026-11-27T04-00-00Z-hash-bank': hashBank,
  '2026-11-27T05-00-00Z-notices': notices,
  '2026-11-27T06-00-00Z-chat': chat,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
