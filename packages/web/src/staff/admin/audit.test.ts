import type { AuditEntry } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { appendEntries, filterAudit } from './audit';

function entry(seq: number, action: string, target: AuditEntry['target']): AuditEntry {
  return { seq, at: '2026-11-26T10:00:00.000Z', actor: { kind: 'staff', id: 1 }, action, target, data: {}, hash: 'ab'.repeat(32) };
}

const ENTRIES = [entry(5, 'case.read', { kind: 'case', id: '12' }), entry(4, 'staff.login', { kind: 'staff', id: '3' }), entry(3, 'settings.changed', null), entry(2, 'case.claim', { kind: 'case', id: '120' })];

describe('filterAudit', () => {
  it('keeps entries whose action or target holds every word', () => {
    expect(filterAudit(ENTRIES, '').map((e) => e.seq)).toEqual([5, 4, 3, 2]);
    expect(filterAudit(ENTRIES, 'CASE').map((e) => e.seq)).toEqual([5, 2]);
    expect(filterAudit(ENTRIES, 'case 12').map((e) => e.seq)).toEqual([5, 2]);
    expect(filterAudit(ENTRIES, 'case:12').map((e) => e.seq)).toEqual([5, 2]);
    expect(filterAudit(ENTRIES, 'read 12').map((e) => e.seq)).toEqual([5]);
    expect(filterAudit(ENTRIES, 'settings').map((e) => e.seq)).toEqual([3]);
    expect(filterAudit(ENTRIES, 'nothing')).toEqual([]);
  });
});

describe('appendEntries', () => {
  it('adds older entries after the shown ones, each once', () => {
    expect(appendEntries(ENTRIES.slice(0, 2), ENTRIES.slice(1)).map((e) => e.seq)).toEqual([5, 4, 3, 2]);
  });
});
