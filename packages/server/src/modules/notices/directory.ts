// The host directory in the database: seeded from hosts.json (entries added by a new release arrive;
// an admin's edit is never overwritten), edited by admins, read through a short cache — every notice,
// due list and case view looks hosts up, and the directory is small.
import type { HostEntryInput, HostEntryView } from '@halte/contract';
import type { z } from 'zod';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import { appendAudit, type AuditActor } from '../audit/log.js';
import { findHost, HOST_DIRECTORY_SEED, hostOf, type HostEntry } from './hosts.js';

/** A directory entry with its admin fields. */
export interface DirectoryEntry extends HostEntry {
  readonly active: boolean;
  readonly updatedAt: Date;
}

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10));

/**
 * Inserts the seed's entries the database does not have yet. Idempotent; run by `halte migrate` and at
 * server start, after the migrations.
 */
export async function seedHostDirectory(db: Kysely<Database>): Promise<number> {
  if (HOST_DIRECTORY_SEED.length === 0) return 0;
  const inserted = await db
    .insertInto('host_directory')
    .values(
      HOST_DIRECTORY_SEED.map((h) => ({
        id: h.id,
        name: h.name,
        domains: [...h.domains],
        channels: JSON.stringify(h.channels),
        country: h.country,
        regulator: h.regulator,
        adult: h.adult,
        source: h.source,
        checked_at: h.checkedAt,
        confidence: h.confidence,
        updated_by: null,
      })),
    )
    .onConflict((c) => c.column('id').doNothing())
    .returning('id')
    .execute();
  invalidateDirectory(db);
  return inserted.length;
}

const CACHE_MS = 5_000;
const cache = new WeakMap<Kysely<Database>, { at: number; entries: Promise<DirectoryEntry[]>; active: Promise<DirectoryEntry[]> }>();

function invalidateDirectory(db: Kysely<Database>): void {
  cache.delete(db);
}

async function loadDirectory(db: Kysely<Database>): Promise<DirectoryEntry[]> {
  const rows = await db.selectFrom('host_directory').selectAll().orderBy('name').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    domains: r.domains,
    channels: r.channels,
    country: r.country,
    regulator: r.regulator,
    adult: r.adult,
    source: r.source,
    checkedAt: iso(r.checked_at),
    confidence: r.confidence,
    active: r.active,
    updatedAt: r.updated_at,
  }));
}

/** The directory, all entries and the active ones (cached a few seconds per database handle). */
function cached(db: Kysely<Database>): { entries: Promise<DirectoryEntry[]>; active: Promise<DirectoryEntry[]> } {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const entries = loadDirectory(db);
  const loaded = { at: Date.now(), entries, active: entries.then((all) => all.filter((e) => e.active)) };
  cache.set(db, loaded);
  loaded.active.catch(() => cache.delete(db));
  return loaded;
}

/** Every entry, active or not. */
export function directory(db: Kysely<Database>): Promise<DirectoryEntry[]> {
  return cached(db).entries;
}

/** The active entry hosting a link, or null (an unknown host: a task for an analyst). */
export async function hostForUrl(db: Kysely<Database>, url: string): Promise<DirectoryEntry | null> {
  return findHost(await cached(db).active, url);
}

/** A link's host name, for the analyst (null for what is not a web address). */
export function hostnameOf(url: string): string | null {
  return hostOf(url)?.hostname ?? null;
}

export function presentHost(e: DirectoryEntry): HostEntryView {
  return {
    id: e.id,
    name: e.name,
    domains: [...e.domains],
    channels: e.channels.map((c) => ({ kind: c.kind, target: c.target, ...(c.note === undefined ? {} : { note: c.note }) })),
    country: e.country,
    regulator: e.regulator,
    adult: e.adult,
    source: e.source,
    checkedAt: e.checkedAt,
    confidence: e.confidence,
    active: e.active,
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Creates or replaces an entry (admins); audited with what changed. */
export async function saveHost(db: Kysely<Database>, id: string, input: z.output<typeof HostEntryInput>, actor: AuditActor & { id: number }, now: Date): Promise<HostEntryView> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('host_directory').select('id').where('id', '=', id).executeTakeFirst();
    const values = {
      name: input.name,
      domains: [...input.domains],
      channels: JSON.stringify(input.channels),
      country: input.country,
      regulator: input.regulator,
      adult: input.adult,
      source: input.source,
      checked_at: input.checkedAt,
      confidence: input.confidence,
      active: input.active,
      updated_at: now,
      updated_by: actor.id,
    };
    await trx
      .insertInto('host_directory')
      .values({ id, ...values })
      .onConflict((c) => c.column('id').doUpdateSet(values))
      .execute();
    await appendAudit(trx, { actor, action: before ? 'host.updated' : 'host.added', target: { kind: 'host', id }, data: { domains: input.domains, channels: input.channels.map((c) => c.kind), active: input.active } }, now);
  });
  invalidateDirectory(db);
  const saved = (await directory(db)).find((e) => e.id === id);
  if (!saved) throw new Error('host_directory: the saved entry is missing');
  return presentHost(saved);
}
