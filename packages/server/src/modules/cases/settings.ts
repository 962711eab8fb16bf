// Settings admins change at run time, with their defaults. Stored as key → JSON in `setting`; a key
// never written has its default. Each change is audited.
import { Settings } from '@halte/contract';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { appendAudit, type AuditActor } from '../audit/log.js';

/**
 * Defaults. Self-submitted fingerprints are shared before review, marked as such, as StopNCII does:
 * waiting for an analyst would leave the person unprotected for days, and the partner decides what a
 * self-submitted hash is worth (decision 0017).
 */
export const DEFAULT_SETTINGS: Settings = {
  shareSelfSubmittedBeforeReview: true,
  // issue 7's defaults: a reminder after 48 h, escalation after 7 days; where a minor is involved,
  // escalation after 24 h and the reminder halfway (decision 0019)
  noticeReminderHours: 48,
  noticeEscalationHours: 7 * 24,
  noticeMinorReminderHours: 12,
  noticeMinorEscalationHours: 24,
  noticeNotifierName: 'Halte',
  noticeNotifierEmail: null,
};

type Key = keyof Settings;
const KEYS = Object.keys(DEFAULT_SETTINGS) as Key[];

export async function readSettings(db: Kysely<Database>): Promise<Settings> {
  const rows = await db.selectFrom('setting').select(['key', 'value']).where('key', 'in', KEYS).execute();
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  // a stored value of the wrong type (edited by hand) falls back to the default rather than failing
  const merged = { ...DEFAULT_SETTINGS, ...stored };
  const parsed = Settings.safeParse(merged);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

/** Changes the settings given (the others keep their value); writes only what changed. */
export async function writeSettings(db: Kysely<Database>, change: { readonly [K in Key]?: Settings[K] | undefined }, actor: AuditActor & { id: number }, now: Date): Promise<Settings> {
  await db.transaction().execute(async (trx) => {
    const before = await readSettings(trx);
    const given = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<Settings>;
    const settings: Settings = { ...before, ...given };
    const changed = KEYS.filter((k) => before[k] !== settings[k]);
    if (changed.length === 0) return;
    for (const key of changed) {
      await trx
        .insertInto('setting')
        .values({ key, value: JSON.stringify(settings[key]), updated_at: now, updated_by: actor.id })
        .onConflict((c) => c.column('key').doUpdateSet({ value: JSON.stringify(settings[key]), updated_at: now, updated_by: actor.id }))
        .execute();
    }
    await appendAudit(trx, { actor, action: 'settings.changed', data: { changed, ...settings } }, now);
  });
  return readSettings(db);
}
