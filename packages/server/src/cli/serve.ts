// `halte serve`: starts the HTTP server with the configuration from the environment, and stops it
// cleanly on SIGTERM or SIGINT (in-flight requests finish, no new ones are accepted).
import { buildApp } from '../app.js';
import { migrateToLatest } from '../db/database.js';
import { JobsNotInstalledError } from '../jobs/queue.js';
import { createJobs, installQueues, startJobs } from '../jobs/registry.js';
import { createMailer } from '../mail/mailer.js';
import { createRootLogger, subsystemLogger } from '../log/logger.js';
import { createServices } from '../services.js';
import { configOrExit, openOrExit } from './database-command.js';
import { CliUsageError, parseCommand, type CliIo } from './io.js';

export const SERVE_USAGE = `Usage: halte serve [--no-migrate]

Serves Halte over HTTP and runs its durable jobs (e-mail, retention sweeps), after bringing the
database schema and then the job queues up to date (unless --no-migrate: run "halte migrate" first).
Settings come from the environment:
  HALTE_PORT          port to listen on (default 8080; 0 picks a free port)
  HALTE_HOST          interface to listen on (default 127.0.0.1)
  HALTE_DATA_DIR      data directory of the embedded database (default ./data)
  HALTE_DATABASE_URL  a PostgreSQL server to use instead (postgres://…)
  HALTE_SECRET_KEY    base64 of 32 bytes sealing personal data (default: a key file in the data directory)
  HALTE_LOG_LEVEL     fatal|error|warn|info|debug|trace|silent (default info)
  HALTE_PUBLIC_URL    the address people reach Halte at, for staff links (default http://localhost:8080)
  HALTE_SMTP_URL      smtp://[user:password@]host[:port] or smtps://…: e-mail through this server (default: none)
  HALTE_MAIL_FROM     the sender of e-mails, e.g. "Halte <no-reply@example.org>" (with HALTE_SMTP_URL)`;

export async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(args, { 'no-migrate': { type: 'boolean' } }, SERVE_USAGE, io);
  if (parsed === null) return 0;
  if (parsed.positionals.length > 0) throw new CliUsageError(`unexpected argument "${parsed.positionals[0]}"`, SERVE_USAGE);
  const values = parsed.values;
  const config = configOrExit(io, 'serve');
  if (typeof config === 'number') return config;
  const logger = createRootLogger({ level: config.logLevel });
  const log = subsystemLogger(logger, 'serve');
  const database = await openOrExit(io, config, 'serve', subsystemLogger(logger, 'db'));
  if (typeof database === 'number') return database;
  let created;
  try {
    created = await createServices(config, database, logger);
  } catch (error) {
    await database.close();
    io.stderr.write(`halte serve: ${error instanceof Error ? error.message : String(error)}\n`);
    return 78;
  }
  if (created.generatedKeyFile) {
    io.stderr.write(
      `halte serve: a new secret key was written to ${created.generatedKeyFile}. Back it up now: without it the ` +
        'personal data in the database cannot be read. (Or set HALTE_SECRET_KEY.)\n',
    );
  }
  const mailer = createMailer(config.mail);
  const jobs = createJobs(database, logger);
  const app = buildApp(config, { ...created.services, jobs });
  try {
    // the application's schema first, then pg-boss's (it lives apart, in its own schema)
    if (!values['no-migrate']) {
      const { applied } = await migrateToLatest(database.db);
      if (applied.length > 0) io.stdout.write(`Database migrated: ${applied.join(', ')}\n`);
      await installQueues(database, logger);
    }
    await startJobs(jobs, { database, sealer: created.services.sealer, mailer, publicUrl: config.publicUrl, logger, linkCheckAllowHosts: config.linkCheckAllowHosts });
    log.info({ mail: mailer.enabled ? 'smtp' : 'disabled' }, mailer.enabled ? 'e-mail through SMTP' : 'e-mail disabled (HALTE_SMTP_URL not set): e-mail jobs fail and are retried');
    const address = await app.listen({ port: config.port, host: config.host });
    io.stdout.write(`Halte is listening on ${address} (database: ${database.kind === 'pglite' ? `embedded, in ${config.dataDir}` : 'PostgreSQL server'})\n`);
    log.info({ database: database.kind, migrated: values['no-migrate'] ? 'skipped' : 'current' }, 'serving');
  } catch (error) {
    await app.close();
    await jobs.stop();
    mailer.close();
    await database.close();
    if (error instanceof JobsNotInstalledError) {
      io.stderr.write(`halte serve: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: string }).code;
    io.stderr.write(`halte serve: cannot start (${code ?? (error instanceof Error ? error.message : String(error))})\n`);
    return 1;
  }
  const signal = await io.stopSignal();
  io.stdout.write(`Halte is stopping (${signal})\n`);
  log.info({ signal }, 'stopping: finishing requests in flight');
  await app.close();
  // requests may have queued jobs; running jobs finish (or are retried later) before the database closes
  await jobs.stop();
  mailer.close();
  await database.close();
  return 0;
}
