// `halte serve`: starts the HTTP server with the configuration from the environment, and stops it
// cleanly on SIGTERM or SIGINT (in-flight requests finish, no new ones are accepted).
import { parseArgs } from 'node:util';

import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { CliUsageError, type CliIo } from './io.js';

export const SERVE_USAGE = `Usage: halte serve

Serves Halte over HTTP. Settings come from the environment:
  HALTE_PORT       port to listen on (default 8080; 0 picks a free port)
  HALTE_HOST       interface to listen on (default 127.0.0.1)
  HALTE_LOG_LEVEL  fatal|error|warn|info|debug|trace|silent (default info)`;

export async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  let help = false;
  try {
    help = parseArgs({ args: [...args], options: { help: { type: 'boolean', short: 'h' } }, strict: true }).values.help ?? false;
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error), SERVE_USAGE);
  }
  if (help) {
    io.stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`halte serve: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const app = buildApp(config);
  try {
    const address = await app.listen({ port: config.port, host: config.host });
    io.stdout.write(`Halte is listening on ${address}\n`);
  } catch (error) {
    io.stderr.write(`halte serve: cannot listen on ${config.host}:${config.port} (${(error as { code?: string }).code ?? String(error)})\n`);
    return 1;
  }
  const signal = await io.stopSignal();
  io.stdout.write(`Halte is stopping (${signal})\n`);
  await app.close();
  return 0;
}
