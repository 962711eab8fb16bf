// `halte serve` as the benchmarks run it: a separate process (as in production) on a free port, its
// address read from its first line; stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

export const BIN = fileURLToPath(new URL('../../../bin/halte.js', import.meta.url));

/** Progress goes to stderr: stdout carries the JSON report. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

export async function startServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, HALTE_PORT: '0', HALTE_LOG_LEVEL: 'silent', HALTE_RATE_LIMIT_PER_MINUTE: '9999999', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  return { url, child };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Runs `halte ARGS` to completion (e.g. migrate); returns its standard output, throws on a non-zero exit. */
export async function halte(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`halte ${args[0]} exited with ${code}`);
  log(`halte ${args[0]}: done`);
  return out;
}

/** One statement on the PostgreSQL server (create or drop a benchmark database). */
export async function onServer(serverUrl: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

/**
 * `cleanUp` made to run once, whether the run ends, fails or is interrupted (SIGINT or SIGTERM: then
 * the process exits 130). Call `done()` at the end of the run (it cleans up and stops listening).
 */
export function cleanUpOnce(cleanUp: () => Promise<void>): { done: () => Promise<void> } {
  let cleaning: Promise<void> | undefined;
  const once = () => (cleaning ??= cleanUp());
  const interrupted = () => {
    log('interrupted: cleaning up');
    void once().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return {
    done: async () => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await once();
    },
  };
}
