// Opens the one SQL database Halte uses, PostgreSQL: embedded (PGlite, in-process, persisted in the
// data directory) by default, or a PostgreSQL server. The same migrations and queries run on both.
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';

import type { Logger } from '../log/logger.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';
import { migrationProvider } from './migrations/index.js';
import { PgliteDialect } from './pglite-dialect.js';
import type { Database } from './schema/index.js';

export type DatabaseTarget =
  /** `dataDir` null: in memory (tests); `loadDataDir`: start from a dump (a migrated template). */
  | { readonly kind: 'pglite'; readonly dataDir: string | null; readonly loadDataDir?: Blob }
  | { readonly kind: 'postgres'; readonly url: string };

export interface HalteDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  /** The PGlite instance, when embedded (tests dump it to make templates). */
  readonly pglite: PGlite | undefined;
  /** The pool, on PostgreSQL: what holds a connection of its own (LISTEN for the chat's fan-out). */
  readonly pool?: pg.Pool | undefined;
  close(): Promise<void>;
}

const INT8 = 20;

/**
 * Opens the database. `command` names the holder of the embedded data directory's lock, for the
 * message another process gets while this one runs. `log` (the db subsystem's logger) hears of
 * connections the server dropped while idle.
 */
export async function openDatabase(target: DatabaseTarget, command = 'serve', log?: Logger): Promise<HalteDatabase> {
  if (target.kind === 'postgres') {
    // bigint ids come back as numbers on both backends (ids stay far below 2^53)
    const pool = new pg.Pool({
      connectionString: target.url,
      max: 20,
      types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
    });
    // An idle connection the server closes (restart, failover, admin) must not end the process: the
    // pool drops it and the next query opens another. Without a listener Node would throw.
    pool.on('error', (error: Error & { code?: string }) => {
      log?.warn({ err: { name: error.name, code: error.code, message: error.message } }, 'an idle database connection failed and was dropped');
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', pglite: undefined, pool, close: () => db.destroy() };
  }
  let lock: DataDirLock | undefined;
  if (target.dataDir !== null) lock = acquireDataDirLock(target.dataDir, command);
  try {
    const pglite = new PGlite({
      ...(target.dataDir === null ? {} : { dataDir: target.dataDir }),
      ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
      parsers: { [INT8]: Number },
    });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      pglite,
      close: async () => {
        await db.destroy();
        lock?.release();
      },
    };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

export interface MigrationReport {
  readonly applied: readonly string[];
}

/** Brings the schema to the latest migration; throws (having applied none of the failing one) on error. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'halte_migration', migrationLockTableName: 'halte_migration_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Migrations known to the code but not applied to the database (empty = current). */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableName: 'halte_migration', migrationLockTableName: 'halte_migration_lock' });
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}
