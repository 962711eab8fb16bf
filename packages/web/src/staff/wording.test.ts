import { CASE_BADGES, CASE_STATUSES, SITUATIONS } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { staffTranslate, type StaffTranslate } from './i18n/catalogue';
import { BADGE_WORDS, countryText, situationText, STATUS_WORDS, timelineText } from './wording';

const tr = (language: 'fr' | 'en'): StaffTranslate => (key, params) => staffTranslate(language, key, params);

describe('wording', () => {
  it('words every status, badge and situation differently, in both languages', () => {
    for (const language of ['fr', 'en'] as const) {
      const statuses = CASE_STATUSES.map((s) => tr(language)(STATUS_WORDS[s]));
      expect(new Set(statuses).size).toBe(CASE_STATUSES.length);
      const badges = CASE_BADGES.map((b) => tr(language)(BADGE_WORDS[b]));
      expect(new Set(badges).size).toBe(CASE_BADGES.length);
      const situations = SITUATIONS.map((s) => situationText(tr(language), s));
      expect(new Set(situations).size).toBe(SITUATIONS.length);
    }
  });

  it('shows an unknown code as it is rather than nothing', () => {
    expect(situationText(tr('fr'), 'something_new')).toBe('something_new');
    expect(countryText(tr('fr'), 'DE')).toBe('DE');
    expect(countryText(tr('en'), 'BE')).toBe('Belgium');
    expect(timelineText(tr('fr'), 'status_changed')).toBe('Statut changé');
    expect(timelineText(tr('fr'), 'partner_notified')).toBe('partner_notified');
    // a name of Object.prototype is not a kind
    expect(timelineText(tr('fr'), 'toString')).toBe('toString');
  });
});
