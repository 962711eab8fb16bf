import { FollowupView, TIMELINE_KINDS, type Language } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { CATALOGUES, translate, type MessageKey } from '../../i18n/catalogues';
import { countsText, eventCounts, formatDateTime, itemLabels, localeFor, STATUS_WORDS, TIMELINE_WORDS, timelineLine, type CaseItem } from './wording';

const LANGUAGES: readonly Language[] = ['fr', 'en'];

function item(id: number, kind: CaseItem['kind'], extra: Partial<CaseItem> = {}): CaseItem {
  return { id, kind, quality: kind === 'url' ? null : 90, lowQuality: false, url: kind === 'url' ? 'https://example.com/a' : null, withdrawn: false, addedAt: '2026-03-01T10:00:00.000Z', ...extra };
}

describe('timeline wording', () => {
  it.each(LANGUAGES)('words every kind of the contract in %s, each differently', (language) => {
    const words = TIMELINE_KINDS.map((kind) => {
      const key = TIMELINE_WORDS[kind];
      expect(Object.keys(CATALOGUES[language]), `${language} ${kind}`).toContain(key);
      const text = translate(language, key);
      expect(text.trim(), `${language} ${kind}`).not.toBe('');
      expect(text).not.toMatch(/\{\w+\}/);
      return text;
    });
    expect(new Set(words).size).toBe(TIMELINE_KINDS.length);
    expect(Object.keys(TIMELINE_WORDS).sort()).toEqual([...TIMELINE_KINDS].sort());
  });

  it('says each timeline line with its counts and its date, in the person’s language and locale', () => {
    const entry = { kind: 'report_received' as const, at: '2026-03-01T17:05:00.000Z', data: { images: 3, videos: 0, urls: 2 } };
    expect(timelineLine('fr', entry, 'fr-FR', 'Europe/Paris')).toEqual({
      text: 'Votre signalement est reçu.',
      detail: '3 empreintes d’images et 2 liens',
      when: formatDateTime(entry.at, 'fr-FR', 'Europe/Paris'),
    });
    expect(timelineLine('en', entry, 'en-GB', 'Europe/London').detail).toBe('3 picture fingerprints and 2 links');
    expect(timelineLine('fr', { kind: 'message_from_team', at: entry.at, data: {} }, 'fr-FR').detail).toBe('');
    // counts only where the kind carries them
    expect(timelineLine('en', { kind: 'message_from_person', at: entry.at, data: { images: 1 } }, 'en-GB').detail).toBe('');
  });
});

describe('status wording', () => {
  it.each(LANGUAGES)('words every status of the contract in %s', (language) => {
    const statuses = FollowupView.shape.status.options;
    expect(Object.keys(STATUS_WORDS).sort()).toEqual([...statuses].sort());
    const words = statuses.map((status) => translate(language, STATUS_WORDS[status]));
    for (const text of words) expect(text.trim()).not.toBe('');
    expect(new Set(words).size).toBe(statuses.length);
  });
});

describe('counts', () => {
  it('reads the counts an event carries, and nothing else', () => {
    expect(eventCounts({ images: 3, videos: 0, urls: 2 })).toEqual({ images: 3, videos: 0, urls: 2 });
    expect(eventCounts({ images: 1 })).toEqual({ images: 1, videos: 0, urls: 0 });
    expect(eventCounts({})).toBeNull();
    expect(eventCounts({ images: 0, urls: 0 })).toBeNull();
    expect(eventCounts(null)).toBeNull();
    expect(eventCounts('3 images')).toBeNull();
    expect(eventCounts({ images: -2, urls: 1.5, videos: '4' })).toBeNull();
  });

  it('says singular and plural as each language does', () => {
    expect(countsText('fr', { images: 1, videos: 0, urls: 1 })).toBe('1 empreinte d’image et 1 lien');
    expect(countsText('fr', { images: 2, videos: 1, urls: 5 })).toBe('2 empreintes d’images, 1 empreinte de vidéo et 5 liens');
    expect(countsText('en', { images: 1, videos: 2, urls: 0 })).toBe('1 picture fingerprint and 2 video fingerprints');
    expect(countsText('en', { images: 0, videos: 0, urls: 0 })).toBe('');
  });
});

describe('dates', () => {
  it('formats the server’s UTC time in the locale and time zone', () => {
    const at = '2026-03-01T17:05:00.000Z';
    expect(formatDateTime(at, 'fr-FR', 'Europe/Paris')).toMatch(/^1 mars 2026.*18:05$/);
    expect(formatDateTime(at, 'en-GB', 'Europe/London')).toMatch(/^1 March 2026.*17:05$/);
    expect(formatDateTime(at, 'en-US', 'America/New_York')).toMatch(/^March 1, 2026.*12:05\sPM$/);
    expect(formatDateTime('not a date', 'fr-FR')).toBe('not a date');
  });

  it('takes the device’s variant of the page’s language, else France’s French or British English', () => {
    expect(localeFor('fr', ['fr-BE', 'en-US'])).toBe('fr-BE');
    expect(localeFor('fr', ['en-US', 'fr-CA'])).toBe('fr-CA');
    expect(localeFor('en', ['fr-BE', 'en-US'])).toBe('en-US');
    expect(localeFor('fr', ['en-US'])).toBe('fr-FR');
    expect(localeFor('en', [])).toBe('en-GB');
    expect(localeFor('fr', ['not a tag!', 'fr'])).toBe('fr');
  });
});

describe('item labels', () => {
  it('numbers fingerprints and links separately, in the order they came', () => {
    const items = [item(1, 'image'), item(2, 'url'), item(3, 'image'), item(4, 'video'), item(5, 'url')];
    expect(itemLabels('fr', items)).toEqual([
      'Empreinte numérique de l’image n° 1',
      'Lien n° 1',
      'Empreinte numérique de l’image n° 2',
      'Empreinte numérique de la vidéo n° 1',
      'Lien n° 2',
    ]);
    expect(itemLabels('en', items.slice(0, 2))).toEqual(['Digital fingerprint of picture 1', 'Link 1']);
  });

  it('words every item kind in both languages', () => {
    for (const language of LANGUAGES) {
      for (const kind of FollowupView.shape.items.element.shape.kind.options) {
        const key: MessageKey = `case.item.${kind}`;
        expect(translate(language, key, { n: 1 })).not.toMatch(/\{\w+\}/);
      }
    }
  });
});
