// The quarantine page's pure parts: partners' feedback in a stable order, and where focus goes when a
// decided fingerprint leaves the list.
import { FEEDBACK_OUTCOMES } from '@halte/contract';

import type { QuarantinedHash } from '../api';

export interface FeedbackCount {
  readonly outcome: string;
  readonly count: number;
}

/**
 * What partners reported about a fingerprint, by outcome: the contract's outcomes in its order, then
 * any other the server sends (shown as its code, never dropped); outcomes counted 0 are left out.
 */
export function feedbackCounts(feedback: Readonly<Record<string, number>>): FeedbackCount[] {
  const known = FEEDBACK_OUTCOMES as readonly string[];
  const others = Object.keys(feedback)
    .filter((outcome) => !known.includes(outcome))
    .sort();
  return [...known, ...others]
    .filter((outcome) => Object.hasOwn(feedback, outcome))
    .map((outcome) => ({ outcome, count: feedback[outcome] ?? 0 }))
    .filter((entry) => Number.isFinite(entry.count) && entry.count > 0);
}

/** The list without the fingerprint `hashId` (decided). */
export function withoutHash(items: readonly QuarantinedHash[], hashId: number): QuarantinedHash[] {
  return items.filter((item) => item.hashId !== hashId);
}

/**
 * The fingerprint whose row takes the focus once `hashId` has left the list: of those `before` (the list
 * that was on screen) still in `after`, the next one, else the one before; null when none is left
 * (the focus then goes to the page's title).
 */
export function focusAfterRemoval(before: readonly QuarantinedHash[], hashId: number, after: readonly QuarantinedHash[] = withoutHash(before, hashId)): number | null {
  const index = before.findIndex((item) => item.hashId === hashId);
  if (index === -1) return after[0]?.hashId ?? null;
  const left = new Set(after.map((item) => item.hashId));
  left.delete(hashId);
  const next = before.slice(index + 1).find((item) => left.has(item.hashId));
  const previous = before
    .slice(0, index)
    .reverse()
    .find((item) => left.has(item.hashId));
  return (next ?? previous)?.hashId ?? null;
}
