// One Idempotency-Key per submission attempt, reused on retry so a retry never creates two cases.
// "The same attempt" means the same body: if the person changes an answer after a failure, the server
// would refuse the old key with another body (IDEMPOTENCY_KEY_REUSED), so that gets a new key.
import type { ReportRequest } from '@halte/contract';

export interface Submission {
  readonly key: string;
  /** the body as sent, to tell a retry from a new attempt */
  readonly body: string;
}

export function submissionFor(body: ReportRequest, previous: Submission | null, newKey: () => string = randomKey): Submission {
  const serialized = JSON.stringify(body);
  if (previous !== null && previous.body === serialized) return previous;
  return { key: newKey(), body: serialized };
}

/** A random UUID v4 (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
