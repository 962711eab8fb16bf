// `halte hash [--json] [--dihedral] FILE|DIR...`: one JSON line per file, in the order given
// (directories walked, sorted), hashed on every core by worker threads. A file that cannot be hashed
// prints {"file","error":"CODE: message"} and the others still print; the exit code is then 1.
import { readdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { CliUsageError, type CliIo } from './io.js';

export interface HashJob {
  readonly seq: number;
  /** As given on the command line (joined with the walked names for files found in directories). */
  readonly file: string;
  /** Resolved against the working directory. */
  readonly path: string;
  readonly dihedral: boolean;
}

export type HashLine =
  | {
      file: string;
      kind: 'image';
      pdq: string;
      quality: number;
      md5: string;
      sha256: string;
      dihedral?: Record<string, string>;
    }
  | { file: string; error: string };

export const HASH_USAGE = `Usage: halte hash [--json] [--dihedral] FILE|DIR...

Prints one JSON object per line for each file (directories are walked):
  {"file","kind":"image","pdq","quality","md5","sha256"}
or, for a file that cannot be hashed, {"file","error":"CODE: message"}.
  --json       the output format (the only one; accepted for clarity)
  --dihedral   add "dihedral": the PDQ hashes of the 8 rotations and flips
Exit code: 0 when every file was hashed, 1 when one or more failed, 2 on a usage error.`;

export async function runHash(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        json: { type: 'boolean', default: false },
        dihedral: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error), HASH_USAGE);
  }
  if (parsed.values.help) {
    io.stdout.write(`${HASH_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new CliUsageError('no file or directory given', HASH_USAGE);

  const jobs: HashJob[] = [];
  const early = new Map<number, HashLine>();
  for (const arg of parsed.positionals) {
    await collect(arg, resolve(io.cwd, arg), parsed.values.dihedral, jobs, early, new Set());
  }
  let failed = false;
  const printer = new OrderedPrinter(io, (line) => {
    if ('error' in line) failed = true;
  });
  for (const [seq, line] of early) printer.put(seq, line);
  await runPool(
    jobs.filter((j) => !early.has(j.seq)),
    (seq, line) => printer.put(seq, line),
  );
  await printer.drain();
  return failed ? 1 : 0;
}

/** Adds the files under `path` to `jobs`; a path that cannot be listed becomes an error line. */
async function collect(
  file: string,
  path: string,
  dihedral: boolean,
  jobs: HashJob[],
  early: Map<number, HashLine>,
  visited: Set<string>,
): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const seq = jobs.length;
    jobs.push({ seq, file, path, dihedral });
    const code = (error as { code?: string }).code ?? 'unknown error';
    early.set(seq, { file, error: `FILE_UNREADABLE: cannot read the file (${code})` });
    return;
  }
  if (!info.isDirectory()) {
    jobs.push({ seq: jobs.length, file, path, dihedral });
    return;
  }
  const real = await realpath(path);
  if (visited.has(real)) return; // a symbolic link back up the tree
  visited.add(real);
  let names: string[];
  try {
    names = (await readdir(path)).sort();
  } catch (error) {
    const seq = jobs.length;
    jobs.push({ seq, file, path, dihedral });
    const code = (error as { code?: string }).code ?? 'unknown error';
    early.set(seq, { file, error: `FILE_UNREADABLE: cannot list the directory (${code})` });
    return;
  }
  for (const name of names) await collect(join(file, name), join(path, name), dihedral, jobs, early, visited);
}

/** Prints lines in sequence order as they arrive out of order. */
class OrderedPrinter {
  #next = 0;
  readonly #pending = new Map<number, HashLine>();
  readonly #io: CliIo;
  readonly #onLine: (line: HashLine) => void;

  constructor(io: CliIo, onLine: (line: HashLine) => void) {
    this.#io = io;
    this.#onLine = onLine;
  }

  put(seq: number, line: HashLine): void {
    this.#pending.set(seq, line);
    for (let ready = this.#pending.get(this.#next); ready; ready = this.#pending.get(this.#next)) {
      this.#pending.delete(this.#next++);
      this.#onLine(ready);
      this.#io.stdout.write(`${JSON.stringify(ready)}\n`);
    }
  }

  async drain(): Promise<void> {
    const out = this.#io.stdout;
    if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  }
}

const WORKER_URL = new URL('./hash-worker.js', import.meta.url);

/** Runs jobs on min(cores, jobs) worker threads; a worker that dies fails its job and is replaced. */
async function runPool(jobs: readonly HashJob[], done: (seq: number, line: HashLine) => void): Promise<void> {
  if (jobs.length === 0) return;
  const size = Math.max(1, Math.min(availableParallelism(), jobs.length));
  let nextJob = 0;
  await new Promise<void>((resolve) => {
    let finished = 0;
    const start = (): void => {
      const worker = new Worker(WORKER_URL);
      let current: HashJob | undefined;
      const feed = (): void => {
        current = jobs[nextJob++];
        if (current) worker.postMessage(current);
        else void worker.terminate();
      };
      const complete = (seq: number, line: HashLine): void => {
        done(seq, line);
        if (++finished === jobs.length) resolve();
      };
      worker.on('message', (msg: { seq: number; line: HashLine }) => {
        complete(msg.seq, msg.line);
        feed();
      });
      worker.on('error', (error) => {
        if (current) complete(current.seq, { file: current.file, error: `INTERNAL_ERROR: ${error.message}` });
        current = undefined;
        if (nextJob < jobs.length) start();
      });
      feed();
    };
    for (let i = 0; i < size; i++) start();
  });
}
