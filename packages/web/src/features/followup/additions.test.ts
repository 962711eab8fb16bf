import { MAX_ADDED_ITEMS, MAX_MESSAGE_CHARS } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { buildAdditions, linkInCase, messageProblem } from './additions';
import type { CaseItem } from './wording';

const image = (n: number) => ({ pdq: n.toString(16).padStart(64, '0'), quality: 80 + (n % 20), md5: n.toString(16).padStart(32, '0'), sha256: n.toString(16).padStart(64, 'f') });

describe('buildAdditions', () => {
  it('sends each picture once (by SHA-256), then each link once, and counts them', () => {
    const result = buildAdditions([image(1), image(2), image(1)], ['https://example.com/a', 'https://example.com/b', 'https://example.com/a']);
    expect(result).toEqual({
      ok: true,
      items: [
        { kind: 'image', ...image(1) },
        { kind: 'image', ...image(2) },
        { kind: 'url', url: 'https://example.com/a' },
        { kind: 'url', url: 'https://example.com/b' },
      ],
      counts: { images: 2, videos: 0, urls: 2 },
    });
  });

  it('asks for something to add, and keeps to the contract’s bound per sending', () => {
    expect(buildAdditions([], [])).toEqual({ ok: false, problem: { message: 'case.add.nothing' } });
    const many = Array.from({ length: MAX_ADDED_ITEMS + 1 }, (_, i) => `https://example.com/${i}`);
    expect(buildAdditions([], many)).toEqual({ ok: false, problem: { message: 'case.add.limit', params: { max: MAX_ADDED_ITEMS } } });
    expect(buildAdditions([], many.slice(1)).ok).toBe(true);
  });

  it('sends a video with its frames and counts it as a video', () => {
    const video = { md5: 'e'.repeat(32), sha256: 'c'.repeat(64), vpdq: [{ frame: 0, timestamp: 0, pdq: 'ab'.repeat(32), quality: 90 }] };
    const result = buildAdditions([video, image(1), video], ['https://example.com/a']);
    expect(result).toMatchObject({ ok: true, counts: { images: 1, videos: 1, urls: 1 } });
    expect(result.ok && result.items[0]).toEqual({ kind: 'video', ...video });
  });

  it('refuses what the contract refuses', () => {
    expect(buildAdditions([{ ...image(1), pdq: 'xyz' }], [])).toEqual({ ok: false, problem: { message: 'error.validation' } });
  });
});

describe('linkInCase', () => {
  const items: CaseItem[] = [
    { id: 1, kind: 'url', quality: null, lowQuality: false, url: 'https://example.com/photos/123', withdrawn: false, addedAt: '2026-03-01T10:00:00.000Z', takedown: null },
    { id: 2, kind: 'url', quality: null, lowQuality: false, url: null, withdrawn: true, addedAt: '2026-03-01T10:00:00.000Z', takedown: null },
  ];

  it('finds a link already in the case, written the same or in another form of the same address', () => {
    expect(linkInCase('https://example.com/photos/123', items)).toBe(true);
    expect(linkInCase('https://EXAMPLE.com/photos/123', items)).toBe(true);
    expect(linkInCase('https://example.com/photos/124', items)).toBe(false);
  });
});

describe('messageProblem', () => {
  it('needs words, at most the contract’s bound (spaces around do not count)', () => {
    expect(messageProblem('')).toEqual({ message: 'case.messages.required' });
    expect(messageProblem('  \n ')).toEqual({ message: 'case.messages.required' });
    expect(messageProblem('Bonjour')).toBeNull();
    expect(messageProblem(`  ${'a'.repeat(MAX_MESSAGE_CHARS)}  `)).toBeNull();
    expect(messageProblem('a'.repeat(MAX_MESSAGE_CHARS + 1))).toEqual({ message: 'case.messages.tooLong', params: { max: MAX_MESSAGE_CHARS } });
  });
});
