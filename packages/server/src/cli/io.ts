import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';

/** What a command may touch of the process: injected, so that tests run commands in-process. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves with the signal's name when the process is asked to stop (SIGTERM, SIGINT). */
  readonly stopSignal: () => Promise<string>;
}

/** A command line that cannot be run as given: printed with the usage, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}

type ParseConfig = NonNullable<Parameters<typeof parseArgs>[0]>;

/**
 * The command's own options plus --help, strictly: an unknown option is a usage error (exit 2).
 * Returns null when --help was asked for (the usage has been printed: exit 0).
 */
export function parseCommand<O extends NonNullable<ParseConfig['options']>>(
  args: readonly string[],
  options: O,
  usage: string,
  io: CliIo,
): ReturnType<typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true; strict: true }>> | null {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error), usage);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout.write(`${usage}\n`);
    return null;
  }
  return parsed as never;
}
