// `halte migrate`: brings the database schema up to date, then exits.
import { migrateToLatest } from '../db/database.js';
import { installQueues } from '../jobs/registry.js';
import { createRootLogger } from '../log/logger.js';
import { seedHostDirectory } from '../modules/notices/directory.js';
import { configOrExit, openOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';

export const MIGRATE_USAGE = `Usage: halte migrate

Applies the migrations the database does not have yet (HALTE_DATA_DIR or HALTE_DATABASE_URL), then
creates or upgrades the job queues' tables (pg-boss's own schema, "pgboss") and the queues.
While "halte serve" runs on the embedded database, stop it first: one process at a time may open it.`;

export async function runMigrate(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, {}, MIGRATE_USAGE, io);
  if (parsed === null) return 0;
  if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`, MIGRATE_USAGE);
  const config = configOrExit(io, 'migrate');
  if (typeof config === 'number') return config;
  const database = await openOrExit(io, config, 'migrate');
  if (typeof database === 'number') return database;
  try {
    const { applied } = await migrateToLatest(database.db);
    io.stdout.write(applied.length === 0 ? 'The database is up to date.\n' : `Applied: ${applied.join(', ')}\n`);
    const { created } = await installQueues(database, createRootLogger({ level: config.logLevel }));
    if (created) io.stdout.write('Job queues created.\n');
    const hosts = await seedHostDirectory(database.db);
    if (hosts > 0) io.stdout.write(`Host directory: ${hosts} new entries.\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`halte migrate: a migration failed (${error instanceof Error ? error.message : String(error)})\n`);
    return 1;
  } finally {
    await database.close();
  }
}
