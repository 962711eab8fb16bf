import { CASE_STATUSES, type QueueCase } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { appendPage, DEFAULT_FILTERS, queueSearch, toggleStatus } from './filters';

function row(id: number): QueueCase {
  return {
    id,
    reference: `HLT-${id}`,
    status: 'new',
    situations: ['sextortion'],
    ageGroup: 'adult',
    involvesMinor: false,
    country: 'FR',
    immediateDanger: false,
    createdAt: '2026-11-26T10:00:00.000Z',
    assignee: null,
    priority: 3,
    urgencyAt: '2026-11-26T10:00:00.000Z',
    badges: [],
    unansweredMessages: 0,
    deadlineAt: null,
    items: { images: 1, videos: 0, urls: 0 },
  };
}

describe('queueSearch', () => {
  it('asks for the open statuses by default', () => {
    expect(queueSearch(DEFAULT_FILTERS)).toBe('status=new%2Ctriaged%2Cin_progress%2Cwaiting');
  });

  it('sends each filter the contract knows, and leaves out the empty ones', () => {
    const query = new URLSearchParams(
      queueSearch({ statuses: ['closed', 'closed'], situation: 'sextortion', country: 'BE', assignee: 'none', reference: '  hlt-4k7p-q2m9-xc3d ' }, '1764150000000000.42', 25),
    );
    expect(Object.fromEntries(query)).toEqual({
      status: 'closed',
      situation: 'sextortion',
      country: 'BE',
      assignee: 'none',
      reference: 'HLT-4K7P-Q2M9-XC3D',
      limit: '25',
      cursor: '1764150000000000.42',
    });
    expect(queueSearch({ ...DEFAULT_FILTERS, statuses: [] })).toBe('');
    expect(queueSearch({ ...DEFAULT_FILTERS, statuses: [], assignee: 'me' })).toBe('assignee=me');
  });
});

describe('appendPage', () => {
  it('adds the next page after the rows shown, each case once', () => {
    expect(appendPage([row(1), row(2)], [row(2), row(3)]).map((c) => c.id)).toEqual([1, 2, 3]);
    expect(appendPage([], [row(5)]).map((c) => c.id)).toEqual([5]);
  });
});

describe('toggleStatus', () => {
  it('keeps the workflow’s order', () => {
    expect(toggleStatus(['waiting', 'new'], 'triaged', true, CASE_STATUSES)).toEqual(['new', 'triaged', 'waiting']);
    expect(toggleStatus(['new', 'triaged'], 'new', false, CASE_STATUSES)).toEqual(['triaged']);
    expect(toggleStatus(['new'], 'new', true, CASE_STATUSES)).toEqual(['new']);
  });
});
