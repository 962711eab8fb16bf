// What a queue is: its name, the shape of its payload and its retry policy, declared once where the
// work is done (Outline's BaseTask `options { attempts, backoff }`). Handlers get a validated payload.
import { createHash } from 'node:crypto';

import type { z } from 'zod';

/** A payload is a JSON object of ids and codes. It is stored in clear in the job tables: nothing personal. */
export type JobPayload = Record<string, unknown>;

export interface RetryPolicy {
  /** retries after the first attempt (0 = run once) */
  readonly limit: number;
  /** seconds before the first retry (whole seconds, pg-boss's unit) */
  readonly delaySeconds: number;
  /**
   * true: each retry waits about twice as long as the previous one (delay × 2^(n-1), up to twice that
   * with jitter); false: always `delaySeconds`
   */
  readonly backoff: boolean;
}

export interface QueueDefinition<P extends JobPayload> {
  /** pg-boss queue name: lower case, dot-separated by domain (`mail.send`) */
  readonly name: string;
  /** validated on send (a bug if it fails) and again before the handler runs */
  readonly payload: z.ZodType<P>;
  readonly retry: RetryPolicy;
  /**
   * How long one attempt may run. A job still "active" after this (its process died, or it hangs) is
   * failed by maintenance and retried: this is how a crash mid-job is recovered.
   */
  readonly expireInSeconds: number;
  /** How long a job may wait unstarted before it is given up (archived): long, so none is dropped. */
  readonly retentionDays: number;
  /** A cron schedule (UTC) that sends `payload` to the queue; at most once a minute across replicas. */
  readonly schedule?: { readonly cron: string; readonly payload: P };
}

export function defineQueue<P extends JobPayload>(definition: QueueDefinition<P>): QueueDefinition<P> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/.test(definition.name)) throw new Error(`invalid queue name "${definition.name}"`);
  const { limit, delaySeconds } = definition.retry;
  if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(delaySeconds) || delaySeconds < 0) {
    throw new Error(`queue ${definition.name}: retry limit and delay must be whole numbers >= 0`);
  }
  return definition;
}

/** What a handler learns about the job it runs (besides its payload). */
export interface JobContext {
  readonly id: string;
  readonly queue: string;
  /** 1 for the first run, 2 for the first retry … */
  readonly attempt: number;
  /** no retry is left if this attempt fails */
  readonly lastAttempt: boolean;
}

/**
 * Runs one job. Must be idempotent: a job can run again after a crash, a timeout or a stop that cut it
 * short, so doing the work twice must change nothing the first run did not.
 */
export type JobHandler<P extends JobPayload> = (payload: P, job: JobContext) => Promise<void>;

/**
 * An error a handler throws on purpose, with a stable code and a message that carries NO personal data
 * (it is stored with the job and logged). Any other error is reduced to its type and code.
 */
export class JobError extends Error {
  override readonly name: string = 'JobError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** The jobs' schema or a queue is missing: `halte migrate` (or `halte serve` without --no-migrate) installs them. */
export class JobsNotInstalledError extends Error {
  override readonly name = 'JobsNotInstalledError';
}

/**
 * The job id of an idempotency key: a UUID from SHA-256(queue, key). pg-boss inserts jobs with
 * ON CONFLICT DO NOTHING on (queue, id), so sending the same key again while the first job is kept adds
 * nothing.
 */
export function jobIdForKey(queue: string, key: string): string {
  const h = createHash('sha256').update(`${queue}\u0000${key}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x80; // version 8 (custom)
  h[8] = ((h[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * What of a handler's error may be stored with the job (pg-boss keeps it in clear) and logged: our own
 * JobError as is; anything else as its type and code only, since messages of other errors can quote
 * data (a database error quoting a value, an SMTP reply quoting an address). The stack keeps its frames
 * (code locations), not its first line (the message).
 */
export function safeJobError(error: unknown): JobError {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
  const type = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : 'UNEXPECTED';
  const safe = error instanceof JobError ? new JobError(error.code, error.message) : new JobError(code, `${type} (${code})`);
  Object.defineProperty(safe, 'name', { value: error instanceof JobError ? error.name : type });
  const frames = typeof e.stack === 'string' ? e.stack.split('\n').filter((line) => /^\s+at /.test(line)) : [];
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}
