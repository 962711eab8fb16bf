// `halte hash [--json] [--dihedral] [--seconds-per-hash N] FILE|DIR...`: one JSON line per file, in
// the order given (directories walked, sorted), hashed on every core by worker threads: PDQ for
// images, vPDQ for videos (ffmpeg). A file that cannot be hashed prints {"file","error":"CODE: message"}
// and the others still print; the exit code is then 1.
import { readdir, realpath, stat } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

import { VPDQ_DEFAULT_SECONDS_PER_HASH, type VpdqFrameHash } from '@halte/pdq';

import { CliUsageError, parseCommand, type CliIo } from './io.js';

export interface HashJob {
  readonly seq: number;
  /** As given on the command line (joined with the walked names for files found in directories). */
  readonly file: string;
  /** Resolved against the working directory. */
  readonly path: string;
  readonly dihedral: boolean;
  /** Videos: seconds between hashed frames (0 = every frame). */
  readonly secondsPerHash: number;
  /** Videos: the ffmpeg and ffprobe to run (HALTE_FFMPEG_PATH / HALTE_FFPROBE_PATH, else PATH). */
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
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
  | { file: string; kind: 'video'; md5: string; sha256: string; durationSeconds: number; vpdq: VpdqFrameHash[] }
  | { file: string; error: string };

/** The most seconds between two hashed frames of a video (as vpdqSamplingStep accepts). */
const MAX_SECONDS_PER_HASH = 3600;

export const HASH_USAGE = `Usage: halte hash [--json] [--dihedral] [--seconds-per-hash N] FILE|DIR...

Prints one JSON object per line for each file (directories are walked):
  an image: {"file","kind":"image","pdq","quality","md5","sha256"}
  a video:  {"file","kind":"video","md5","sha256","durationSeconds","vpdq":[{"frame","timestamp","pdq","quality"}]}
or, for a file that cannot be hashed, {"file","error":"CODE: message"}.
Videos (.mp4 .mov .m4v .webm .mkv .avi, or known by their first bytes) are decoded with FFmpeg
(apt-get install ffmpeg; HALTE_FFMPEG_PATH and HALTE_FFPROBE_PATH choose other binaries).
  --json                  the output format (the only one; accepted for clarity)
  --dihedral              images: add "dihedral", the PDQ hashes of the 8 rotations and flips
  --seconds-per-hash N    videos: hash one frame every N seconds (default 1; 0 = every frame)
Exit code: 0 when every file was hashed, 1 when one or more failed, 2 on a usage error.`;

/** --seconds-per-hash: a number of seconds in [0, 3600]. */
function parseSecondsPerHash(value: string | undefined): number {
  if (value === undefined) return VPDQ_DEFAULT_SECONDS_PER_HASH;
  const seconds = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS_PER_HASH) {
    throw new CliUsageError(`--seconds-per-hash must be a number of seconds from 0 to ${MAX_SECONDS_PER_HASH}; got "${value}"`, HASH_USAGE);
  }
  return seconds;
}

export async function runHash(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(
    args,
    {
      json: { type: 'boolean', default: false },
      dihedral: { type: 'boolean', default: false },
      'seconds-per-hash': { type: 'string' },
    },
    HASH_USAGE,
    io,
  );
  if (parsed === null) return 0;
  const secondsPerHash = parseSecondsPerHash(parsed.values['seconds-per-hash']);
  if (parsed.positionals.length === 0) throw new CliUsageError('no file or directory given', HASH_USAGE);

  const ffmpegPath = io.env['HALTE_FFMPEG_PATH'];
  const ffprobePath = io.env['HALTE_FFPROBE_PATH'];
  const options: JobOptions = {
    dihedral: parsed.values.dihedral,
    secondsPerHash,
    ...(ffmpegPath ? { ffmpegPath } : {}),
    ...(ffprobePath ? { ffprobePath } : {}),
  };
  const jobs: HashJob[] = [];
  const early = new Map<number, HashLine>();
  for (const arg of parsed.positionals) {
    await collect(arg, resolve(io.cwd, arg), options, jobs, early, new Set<string>());
  }
  let failed = false;
  let outputClosed = false;
  // `halte hash dir | head -1`: the reader left; stop quietly instead of dying on EPIPE.
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    outputClosed = true;
  });
  const printer = new OrderedPrinter(io, () => outputClosed, (line) => {
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
type JobOptions = Omit<HashJob, 'seq' | 'file' | 'path'>;

async function collect(
  file: string,
  path: string,
  options: JobOptions,
  jobs: HashJob[],
  early: Map<number, HashLine>,
  ancestors: Set<string>,
): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const seq = jobs.length;
    jobs.push({ seq, file, path, ...options });
    const code = (error as { code?: string }).code ?? 'unknown error';
    early.set(seq, { file, error: `FILE_UNREADABLE: cannot read the file (${code})` });
    return;
  }
  if (!info.isDirectory()) {
    jobs.push({ seq: jobs.length, file, path, ...options });
    return;
  }
  let names: string[];
  let real: string;
  try {
    real = await realpath(path);
    names = (await readdir(path)).sort();
  } catch (error) {
    const seq = jobs.length;
    jobs.push({ seq, file, path, ...options });
    const code = (error as { code?: string }).code ?? 'unknown error';
    early.set(seq, { file, error: `FILE_UNREADABLE: cannot list the directory (${code})` });
    return;
  }
  // Only a link back to a directory being walked is a loop; the same directory reached by two
  // different links is walked under both names (each file gets a line for each name it was given).
  if (ancestors.has(real)) {
    const seq = jobs.length;
    jobs.push({ seq, file, path, ...options });
    early.set(seq, { file, error: 'FILE_UNREADABLE: a symbolic link back into a directory being walked (skipped)' });
    return;
  }
  ancestors.add(real);
  for (const name of names) await collect(join(file, name), join(path, name), options, jobs, early, ancestors);
  ancestors.delete(real);
}

/** Prints lines in sequence order as they arrive out of order. */
class OrderedPrinter {
  #next = 0;
  readonly #pending = new Map<number, HashLine>();
  readonly #io: CliIo;
  readonly #closed: () => boolean;
  readonly #onLine: (line: HashLine) => void;

  constructor(io: CliIo, closed: () => boolean, onLine: (line: HashLine) => void) {
    this.#io = io;
    this.#closed = closed;
    this.#onLine = onLine;
  }

  put(seq: number, line: HashLine): void {
    this.#pending.set(seq, line);
    for (let ready = this.#pending.get(this.#next); ready; ready = this.#pending.get(this.#next)) {
      this.#pending.delete(this.#next++);
      this.#onLine(ready);
      if (!this.#closed()) this.#io.stdout.write(`${JSON.stringify(ready)}\n`);
    }
  }

  async drain(): Promise<void> {
    const out = this.#io.stdout;
    if (out.writableNeedDrain && !this.#closed()) await new Promise((resolve) => out.once('drain', resolve));
  }
}

const WORKER_URL = new URL('./hash-worker.js', import.meta.url);
/**
 * A worker may hold a 50 MB file and a 100-megapixel decode (~300 MB): budget 512 MB each. (A video
 * holds far less: two frames of at most 48 MB; ffmpeg runs in a process of its own.)
 */
const MEMORY_PER_WORKER = 512 * 1024 * 1024;

/**
 * Runs jobs on min(cores, memory / 512 MB, jobs) worker threads. A worker that fails or exits while
 * holding a job completes that job with an error line and is replaced: every job completes once.
 */
async function runPool(jobs: readonly HashJob[], done: (seq: number, line: HashLine) => void): Promise<void> {
  if (jobs.length === 0) return;
  const size = Math.max(1, Math.min(availableParallelism(), Math.floor(totalmem() / MEMORY_PER_WORKER), jobs.length));
  let nextJob = 0;
  await new Promise<void>((resolve) => {
    let finished = 0;
    const completed = new Set<number>();
    const complete = (job: HashJob, line: HashLine): void => {
      if (completed.has(job.seq)) return;
      completed.add(job.seq);
      done(job.seq, line);
      if (++finished === jobs.length) resolve();
    };
    const start = (): void => {
      let worker: Worker;
      try {
        worker = new Worker(WORKER_URL);
      } catch (error) {
        // no thread to be had (out of memory, too many files): fail the remaining jobs one by one
        const reason = `INTERNAL_ERROR: cannot start a worker (${error instanceof Error ? error.message : String(error)})`;
        while (nextJob < jobs.length) {
          const job = jobs[nextJob++] as HashJob;
          complete(job, { file: job.file, error: reason });
        }
        return;
      }
      let current: HashJob | undefined;
      let replaced = false;
      const feed = (): void => {
        current = jobs[nextJob++];
        if (current) worker.postMessage(current);
        else void worker.terminate();
      };
      const fail = (reason: string): void => {
        if (current) complete(current, { file: current.file, error: `INTERNAL_ERROR: ${reason}` });
        current = undefined;
        if (!replaced && nextJob < jobs.length) {
          replaced = true;
          start();
        }
      };
      worker.on('message', (msg: { seq: number; line: HashLine }) => {
        if (current && msg.seq === current.seq) complete(current, msg.line);
        feed();
      });
      worker.on('error', (error) => fail(error.message));
      worker.on('exit', (code) => fail(`the worker stopped (exit code ${code})`));
      feed();
    };
    for (let i = 0; i < size; i++) start();
  });
}
