import type { HostEntryView, TakedownView } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { choosable, commonMoves, emptyHostForm, hostFormOf, hostInputOf } from './takedowns';

const link = (itemId: number, moves: TakedownView['moves'], url: string | null = 'https://x.example/a'): TakedownView => ({
  itemId,
  url,
  hostname: 'x.example',
  host: null,
  state: 'notice_sent',
  stateAt: '2026-11-27T10:00:00.000Z',
  noticeSentAt: null,
  reminderDueAt: null,
  escalationDueAt: null,
  remindersSent: 0,
  escalatedTo: [],
  lastCheck: null,
  removalProposedAt: null,
  moves,
});

describe('choosing links', () => {
  it('offers only the moves every chosen link can make', () => {
    const links = [link(1, ['acknowledged', 'removed', 'refused']), link(2, ['removed', 'refused']), link(3, ['reported'])];
    expect(commonMoves(links, new Set([1, 2]))).toEqual(['removed', 'refused']);
    expect(commonMoves(links, new Set([1, 3]))).toEqual([]);
    expect(commonMoves(links, new Set())).toEqual([]);
  });

  it('a withdrawn link (no URL) cannot be chosen', () => {
    expect(choosable([link(1, []), link(2, [], null)]).map((l) => l.itemId)).toEqual([1]);
  });
});

describe('the host form', () => {
  const entry: HostEntryView = {
    id: 'example',
    name: 'Example',
    domains: ['example.fr', 'cdn.example.fr'],
    channels: [
      { kind: 'dsa_form', target: 'https://example.fr/dsa', note: 'choose: intimate images, non-consensual' },
      { kind: 'email', target: 'abuse@example.fr' },
    ],
    country: 'FR',
    regulator: 'Arcom (FR)',
    adult: false,
    source: 'example.fr/legal',
    checkedAt: '2026-11-27',
    confidence: 'unconfirmed',
    active: true,
    updatedAt: '2026-11-27T10:00:00.000Z',
  };

  it('round-trips an entry, notes with commas included', () => {
    const back = hostInputOf(hostFormOf(entry));
    expect(back).toEqual({
      id: 'example',
      body: {
        name: 'Example',
        domains: ['example.fr', 'cdn.example.fr'],
        channels: entry.channels,
        country: 'FR',
        regulator: 'Arcom (FR)',
        adult: false,
        source: 'example.fr/legal',
        checkedAt: '2026-11-27',
        confidence: 'unconfirmed',
        active: true,
      },
    });
  });

  it('refuses a form without what is required, or a channel of an unknown kind', () => {
    expect(hostInputOf(emptyHostForm('2026-11-27'))).toBeNull();
    expect(hostInputOf({ ...hostFormOf(entry), channels: 'fax, 0123' })).toBeNull();
    expect(hostInputOf({ ...hostFormOf(entry), channels: 'email' })).toBeNull();
    expect(hostInputOf({ ...hostFormOf(entry), domains: ' ' })).toBeNull();
    expect(hostInputOf({ ...hostFormOf(entry), country: ' be ' })?.body.country).toBe('BE');
  });
});
