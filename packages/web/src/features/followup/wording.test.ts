import { FollowupView, TIMELINE_KINDS, type Language } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { CATALOGUES, translate, type MessageKey } from '../../i18n/catalogues';
import {
  countsText,
  eventCounts,
  formatDateTime,
  itemLabels,
  localeFor,
  reuploadOf,
  takedownOf,
  takedownStatus,
  reuploadText,
  STATUS_WORDS,
  TIMELINE_WORDS,
  timelineLine,
  withdrawalParagraphs,
  type CaseItem,
} from './wording';

const LANGUAGES: readonly Language[] = ['fr', 'en'];

function item(id: number, kind: CaseItem['kind'], extra: Partial<CaseItem> = {}): CaseItem {
  return { id, kind, quality: kind === 'url' ? null : 90, lowQuality: false, url: kind === 'url' ? 'https://example.com/a' : null, withdrawn: false, addedAt: '2026-03-01T10:00:00.000Z', takedown: null, ...extra };
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

describe('re-uploads partner platforms blocked or removed', () => {
  const at = '2026-03-02T08:00:00.000Z';
  const line = (language: Language, data: unknown) => timelineLine(language, { kind: 'reupload_blocked', at, data }, language === 'fr' ? 'fr-FR' : 'en-GB', 'Europe/Paris');

  it('names the platform when it agreed to be named, says the count only above one, and tells blocked from removed', () => {
    expect(line('fr', { outcome: 'blocked', partner: 'Instagram', count: 1 }).text).toBe('Une nouvelle mise en ligne a été bloquée sur Instagram.');
    expect(line('fr', { outcome: 'blocked', partner: null, count: 1 }).text).toBe('Une nouvelle mise en ligne a été bloquée par une plateforme partenaire.');
    expect(line('fr', { outcome: 'blocked', partner: 'Instagram', count: 3 }).text).toBe('3 nouvelles mises en ligne ont été bloquées sur Instagram.');
    expect(line('fr', { outcome: 'removed', partner: null, count: 2 }).text).toBe('2 nouvelles mises en ligne ont été retirées par une plateforme partenaire.');
    expect(line('fr', { outcome: 'removed', partner: 'Instagram', count: 1 }).text).toBe('Une nouvelle mise en ligne a été retirée par Instagram.');
    expect(line('en', { outcome: 'blocked', partner: 'Instagram', count: 1 }).text).toBe('A new upload was blocked on Instagram.');
    expect(line('en', { outcome: 'blocked', partner: null, count: 4 }).text).toBe('4 new uploads were blocked by a partner platform.');
    expect(line('en', { outcome: 'removed', partner: 'Instagram', count: 2 }).text).toBe('2 new uploads were removed by Instagram.');
    expect(line('en', { outcome: 'removed', partner: null, count: 1 }).text).toBe('A new upload was removed by a partner platform.');
  });

  it('says how the platform knew, in a second line, and when', () => {
    const blocked = line('fr', { outcome: 'blocked', partner: null, count: 1 });
    expect(blocked.detail).toBe('La plateforme a reconnu l’empreinte numérique que vous avez envoyée à Halte, et a empêché la publication.');
    expect(blocked.when).toBe(formatDateTime(at, 'fr-FR', 'Europe/Paris'));
    expect(line('en', { outcome: 'removed', partner: null, count: 1 }).detail).toBe('The platform recognised the digital fingerprint you sent to Halte, and took the post down.');
  });

  it('writes large counts as the language does', () => {
    expect(reuploadText('fr', { outcome: 'blocked', partner: null, count: 1250 })).toBe('1\u202f250 nouvelles mises en ligne ont été bloquées par une plateforme partenaire.');
    expect(reuploadText('en', { outcome: 'blocked', partner: null, count: 1250 })).toBe('1,250 new uploads were blocked by a partner platform.');
  });

  it('falls back to plain words when the data cannot be read, and never says "0"', () => {
    for (const data of [null, {}, 'blocked', { outcome: 'not_blocked', partner: 'X', count: 1 }]) {
      expect(line('fr', data), JSON.stringify(data)).toMatchObject({ text: 'Une nouvelle mise en ligne a été bloquée par une plateforme partenaire.', detail: '' });
    }
    expect(reuploadOf({ outcome: 'removed', partner: '  ', count: 0 })).toEqual({ outcome: 'removed', partner: null, count: 1 });
    expect(reuploadOf({ outcome: 'blocked', partner: ' Instagram ', count: -3 })).toEqual({ outcome: 'blocked', partner: 'Instagram', count: 1 });
    expect(reuploadOf({ outcome: 'blocked', partner: 42, count: 2.5 })).toEqual({ outcome: 'blocked', partner: null, count: 1 });
  });

  it('has every form in both languages, without a placeholder left', () => {
    for (const language of LANGUAGES) {
      const texts = (['blocked', 'removed'] as const).flatMap((outcome) =>
        [null, 'Plateforme'].flatMap((partner) => [1, 2].map((count) => reuploadText(language, { outcome, partner, count }))),
      );
      for (const text of texts) expect(text).not.toMatch(/\{\w+\}/);
      expect(new Set(texts).size).toBe(8);
    }
  });
});

describe('the removal of links, for the person', () => {
  it.each(LANGUAGES)('says each step in %s, naming the host, with what comes next', (language) => {
    const lines = (['notice_sent', 'acknowledged', 'removed', 'refused', 'escalated'] as const).map((state) =>
      timelineLine(language, { kind: 'takedown_progress', at: '2026-03-01T10:00:00.000Z', data: { state, host: 'Instagram', count: 2 } }, 'fr-FR', 'UTC'),
    );
    expect(new Set(lines.map((l) => l.text)).size).toBe(5);
    expect(lines[0]?.text).toContain('Instagram');
    expect(lines[0]?.text).toContain('2');
    for (const line of lines) expect(line.detail).not.toBe('');
    // one link: no "1 liens"; an unknown host: "the platform"
    const one = timelineLine(language, { kind: 'takedown_progress', at: '2026-03-01T10:00:00.000Z', data: { state: 'notice_sent', host: null, count: 1 } }, 'fr-FR', 'UTC');
    expect(one.text).toContain(language === 'fr' ? 'la plateforme pour 1 lien.' : 'the platform for 1 link.');
  });

  it('reads only what it understands', () => {
    expect(takedownOf({ state: 'removed', host: ' X ', count: 3 })).toEqual({ state: 'removed', host: 'X', count: 3 });
    expect(takedownOf({ state: 'no_answer', host: 'X', count: 1 })).toBeNull();
    expect(takedownOf({ state: 'removed', host: 7, count: -1 })).toEqual({ state: 'removed', host: null, count: 1 });
    expect(takedownOf(null)).toBeNull();
    const fallback = timelineLine('fr', { kind: 'takedown_progress', at: '2026-03-01T10:00:00.000Z', data: 'garbage' }, 'fr-FR', 'UTC');
    expect(fallback.text).toBe('L’équipe a agi pour faire retirer vos liens.');
  });

  it('a link says where its removal stands, and nothing before anyone acted', () => {
    expect(takedownStatus('fr', null, 'fr-FR')).toBeNull();
    expect(takedownStatus('fr', { state: 'reported', host: 'X', since: '2026-03-01T10:00:00.000Z' }, 'fr-FR')).toBeNull();
    expect(takedownStatus('fr', { state: 'notice_sent', host: 'Instagram', since: '2026-03-01T10:00:00.000Z' }, 'fr-FR')?.text).toBe('Demande de retrait envoyée à Instagram.');
    expect(takedownStatus('en', { state: 'no_answer', host: null, since: '2026-03-01T10:00:00.000Z' }, 'en-GB')?.text).toBe('The platform has not answered yet. The team is following up.');
  });
});

describe('a withdrawal at the partner platforms', () => {
  it('says how many platforms applied it out of how many received the fingerprints, in French', () => {
    expect(withdrawalParagraphs('fr', { appliedBy: 2, partners: 5 })).toEqual([
      'Retrait appliqué par 2 plateformes partenaires sur 5.',
      'Halte garde seulement de quoi demander aux plateformes partenaires d’effacer les empreintes numériques de vos images et vidéos. Chaque plateforme les efface de son côté, puis le confirme à Halte.',
      'Ce nombre augmente à mesure que les plateformes confirment. Vous n’avez rien à faire.',
    ]);
    // French agrees with the first number: 0 and 1 are singular
    expect(withdrawalParagraphs('fr', { appliedBy: 0, partners: 3 })[0]).toBe('Retrait appliqué par 0 plateforme partenaire sur 3.');
    expect(withdrawalParagraphs('fr', { appliedBy: 1, partners: 3 })[0]).toBe('Retrait appliqué par 1 plateforme partenaire sur 3.');
    expect(withdrawalParagraphs('fr', { appliedBy: 3, partners: 3 })).toEqual([
      'Retrait appliqué par 3 plateformes partenaires sur 3.',
      expect.stringMatching(/^Halte garde seulement/),
      'Toutes les plateformes partenaires ont confirmé. Vous n’avez rien à faire.',
    ]);
  });

  it('says the same in English, where the noun agrees with the second number', () => {
    expect(withdrawalParagraphs('en', { appliedBy: 1, partners: 3 })).toEqual([
      'Withdrawal applied by 1 of 3 partner platforms.',
      'Halte keeps only what it needs to ask partner platforms to delete the digital fingerprints of your pictures and videos. Each platform deletes them on its side, then confirms it to Halte.',
      'This number goes up as platforms confirm. You do not need to do anything.',
    ]);
    expect(withdrawalParagraphs('en', { appliedBy: 1, partners: 1 })).toEqual([
      'Withdrawal applied by 1 of 1 partner platform.',
      expect.stringMatching(/^Halte keeps only/),
      'Every partner platform has confirmed. You do not need to do anything.',
    ]);
  });

  it('says plainly when no platform received the fingerprints', () => {
    expect(withdrawalParagraphs('fr', { appliedBy: 0, partners: 0 })).toEqual([
      'Aucune plateforme partenaire n’a reçu les empreintes numériques de vos images et vidéos\u00a0: il n’y a rien à effacer chez elles.',
    ]);
    expect(withdrawalParagraphs('en', { appliedBy: 0, partners: 0 })).toEqual(['No partner platform received the digital fingerprints of your pictures and videos: there is nothing for them to delete.']);
  });

  it('never says more platforms applied it than received it', () => {
    expect(withdrawalParagraphs('en', { appliedBy: 4, partners: 3 })[0]).toBe('Withdrawal applied by 3 of 3 partner platforms.');
    expect(withdrawalParagraphs('fr', { appliedBy: -1, partners: 2 })[0]).toBe('Retrait appliqué par 0 plateforme partenaire sur 2.');
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
