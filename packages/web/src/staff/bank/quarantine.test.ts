import { describe, expect, it } from 'vitest';

import type { QuarantinedHash } from '../api';
import { feedbackCounts, focusAfterRemoval, withoutHash } from './quarantine';

function hash(hashId: number, extra: Partial<QuarantinedHash> = {}): QuarantinedHash {
  return {
    hashId,
    caseId: null,
    signalType: 'pdq',
    provenance: 'self_submitted',
    reason: 'false_positive',
    quarantinedAt: '2026-12-01T09:00:00.000Z',
    feedback: {},
    ...extra,
  };
}

describe('partners’ feedback on a quarantined fingerprint', () => {
  it('comes in the contract’s order of outcomes, then any other outcome, without zeros', () => {
    expect(feedbackCounts({ false_positive: 2, blocked: 5, later_outcome: 1, removed: 0, not_blocked: 1 })).toEqual([
      { outcome: 'blocked', count: 5 },
      { outcome: 'not_blocked', count: 1 },
      { outcome: 'false_positive', count: 2 },
      { outcome: 'later_outcome', count: 1 },
    ]);
    expect(feedbackCounts({})).toEqual([]);
  });

  it('reads only the record’s own outcomes', () => {
    const inherited = Object.create({ blocked: 3 }) as Record<string, number>;
    expect(feedbackCounts(inherited)).toEqual([]);
  });
});

describe('after a decision', () => {
  const list = [hash(1), hash(2), hash(3)];

  it('removes the decided fingerprint from the list', () => {
    expect(withoutHash(list, 2).map((item) => item.hashId)).toEqual([1, 3]);
    expect(withoutHash(list, 9)).toEqual(list);
  });

  it('moves the focus to the next row, else the one before, else nowhere (the title)', () => {
    expect(focusAfterRemoval(list, 1)).toBe(2);
    expect(focusAfterRemoval(list, 2)).toBe(3);
    expect(focusAfterRemoval(list, 3)).toBe(2);
    expect(focusAfterRemoval([hash(1)], 1)).toBeNull();
  });

  it('skips rows that left the list meanwhile (decided by someone else, the list loaded again)', () => {
    expect(focusAfterRemoval(list, 1, [hash(3)])).toBe(3);
    expect(focusAfterRemoval(list, 3, [hash(1)])).toBe(1);
    expect(focusAfterRemoval(list, 2, [])).toBeNull();
    // a row that came in meanwhile, when none of the old ones is left
    expect(focusAfterRemoval(list, 4, [hash(5)])).toBe(5);
  });
});
