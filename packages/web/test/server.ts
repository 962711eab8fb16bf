// The real server for end-to-end browser tests: `halte serve` (the built command) on an embedded
// database in a directory of the test's, on a free port, stopped with SIGTERM.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface Server {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly origin: string;
  readonly output: () => string;
}

/** `env`: more HALTE_* settings (HALTE_SECRET_KEY to reopen the same database after a restart). */
export function startServer(dataDir: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HALTE_PORT: '0',
    HALTE_HOST: '127.0.0.1',
    HALTE_DATA_DIR: dataDir,
    HALTE_LOG_LEVEL: 'silent',
    HALTE_RATE_LIMIT_PER_MINUTE: '100000',
    HALTE_SECRET_KEY: randomBytes(32).toString('base64'),
    ...extraEnv,
  };
  // The embedded database in dataDir, whatever the environment running the tests points at.
  delete env['HALTE_DATABASE_URL'];
  const child = spawn(process.execPath, [join(REPO, 'bin/halte.js'), 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`halte serve did not say where it listens within 60 s:\n${out}`)), 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`halte serve exited (${code ?? signal}) before listening:\n${out}`));
    });
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, origin: new URL(match[1] as string).origin, output: () => out });
      }
    });
  });
}

/** SIGTERM to the server's own pid, and wait for it to exit (SIGKILL after 20 s); its exit code. */
export async function stopServer(server: Server | undefined): Promise<number | null> {
  if (server === undefined) return null;
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const pid = child.pid;
  if (pid === undefined) return null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  process.kill(pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL');
  }, 20_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
