// Running `halte …` in-process for CLI tests: the real command line, its output captured, on an
// embedded database in the given directory.
import { Writable } from 'node:stream';

import { main } from '../src/cli/main.js';
import { openDatabase, type HalteDatabase } from '../src/db/database.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runHalte(dataDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await main(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: dataDir,
    env: { HALTE_DATA_DIR: dataDir, HALTE_LOG_LEVEL: 'silent', ...env },
    stopSignal: () => new Promise(() => undefined),
  });
  return { code, stdout, stderr };
}

/** Runs `work` on the embedded database of `dataDir` (between commands: one process at a time opens it). */
export async function withEmbeddedDb<T>(dataDir: string, work: (db: HalteDatabase['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await work(database.db);
  } finally {
    await database.close();
  }
}
