// What the commands that open the database share: configuration errors and a locked embedded
// database end the command with a clear message, not a stack trace.
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { openDatabase, type HalteDatabase } from '../db/database.js';
import { DataDirLockedError } from '../db/lock.js';
import type { Logger } from '../log/logger.js';
import type { CliIo } from './io.js';

/** The configuration, or exit code 78 (EX_CONFIG) after saying what is wrong. */
export function configOrExit(io: CliIo, command: string): Config | number {
  try {
    return loadConfig(io.env, io.cwd);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`halte ${command}: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
}

/** The opened database, or exit code 1 after saying why it cannot be opened. */
export async function openOrExit(io: CliIo, config: Config, command: string, log?: Logger): Promise<HalteDatabase | number> {
  try {
    return await openDatabase(config.database, command, log);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      io.stderr.write(`halte ${command}: ${error.message}\n`);
      return 1;
    }
    const code = (error as { code?: string }).code;
    io.stderr.write(`halte ${command}: cannot open the database (${code ?? (error instanceof Error ? error.message : String(error))})\n`);
    return 1;
  }
}
