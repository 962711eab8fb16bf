import { CASE_BADGES, CASE_EVENT_KINDS, CASE_STATUSES, FEEDBACK_OUTCOMES, PROVENANCES, QUARANTINE_REASONS, SIGNAL_TYPES, SITUATIONS } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { staffTranslate, type StaffTranslate } from './i18n/catalogue';
import {
  BADGE_WORDS,
  countryText,
  decisionText,
  eventDataWords,
  feedbackText,
  provenanceText,
  reasonText,
  signalTypeText,
  situationText,
  STATUS_WORDS,
  TIMELINE_WORDS,
  timelineText,
} from './wording';

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

describe('timeline and hash bank wording', () => {
  it('labels every kind of the case timeline (the person’s and the staff’s) differently, in both languages', () => {
    expect(Object.keys(TIMELINE_WORDS).sort()).toEqual([...CASE_EVENT_KINDS].sort());
    for (const language of ['fr', 'en'] as const) {
      const labels = CASE_EVENT_KINDS.map((kind) => timelineText(tr(language), kind));
      for (const [index, label] of labels.entries()) expect(label, CASE_EVENT_KINDS[index]).not.toBe(CASE_EVENT_KINDS[index]);
      expect(new Set(labels).size).toBe(CASE_EVENT_KINDS.length);
    }
    expect(timelineText(tr('fr'), 'hash_quarantined')).toBe('Empreinte mise en quarantaine');
    expect(timelineText(tr('en'), 'partner_feedback')).toBe('Feedback from a partner platform');
  });

  it('words every signal type, provenance, feedback outcome, quarantine reason and decision of the contract', () => {
    for (const language of ['fr', 'en'] as const) {
      const t = tr(language);
      for (const [values, word] of [
        [SIGNAL_TYPES, signalTypeText],
        [PROVENANCES, provenanceText],
        [FEEDBACK_OUTCOMES, feedbackText],
        [QUARANTINE_REASONS, reasonText],
        [['restore', 'reject'], decisionText],
      ] as const) {
        const words = values.map((value) => word(t, value));
        for (const [index, text] of words.entries()) expect(text, `${language} ${values[index]}`).not.toBe(values[index]);
        expect(new Set(words).size, `${language} ${values.join()}`).toBe(values.length);
      }
    }
    expect(reasonText(tr('fr'), 'something_new')).toBe('something_new');
  });

  it('words what a partner did, naming it only when the data does', () => {
    expect(eventDataWords(tr('fr'), 'partner_feedback', { outcome: 'false_positive', partner: 'Instagram', count: 2, hash: 41 })).toBe(
      'Faux positif · Plateforme\u00a0: Instagram · Mises en ligne\u00a0: 2 · Empreinte n° 41',
    );
    expect(eventDataWords(tr('en'), 'partner_feedback', { outcome: 'not_blocked', partner: 'Instagram', count: 1, hash: 41 })).toBe(
      'Not blocked · Platform: Instagram · Uploads: 1 · Fingerprint #41',
    );
    expect(eventDataWords(tr('en'), 'reupload_blocked', { outcome: 'blocked', partner: null, count: 3 })).toBe('Upload blocked · Platform not named (at its request) · Uploads: 3');
    expect(eventDataWords(tr('fr'), 'reupload_blocked', { outcome: 'removed', partner: 'Instagram', count: 1 })).toBe('Publication retirée · Plateforme\u00a0: Instagram · Mises en ligne\u00a0: 1');
  });

  it('words why a fingerprint was suspended and what an analyst decided', () => {
    expect(eventDataWords(tr('fr'), 'hash_quarantined', { hash: 7, reason: 'abnormal_matches' })).toBe('Empreinte n° 7 · Motif\u00a0: Nombre anormal de correspondances');
    expect(eventDataWords(tr('en'), 'hash_quarantined', { hash: 7, reason: 'false_positive' })).toBe('Fingerprint #7 · Reason: False positive reported by a platform');
    expect(eventDataWords(tr('en'), 'hash_restored', { hash: 7, decision: 'restore' })).toBe('Fingerprint #7 · Decision: restored');
    // a rejection from the quarantine is recorded as the item's review
    expect(eventDataWords(tr('fr'), 'item_reviewed', { hash: 7, decision: 'reject' })).toBe('Empreinte n° 7 · Décision\u00a0: rejetée');
  });

  it('leaves other kinds, and data that is not what the kind carries, to be shown as they are', () => {
    expect(eventDataWords(tr('fr'), 'item_reviewed', { item: 3, from: 'self_submitted', review: 'rejected' })).toBeNull();
    expect(eventDataWords(tr('fr'), 'status_changed', { from: 'new', to: 'triaged' })).toBeNull();
    expect(eventDataWords(tr('fr'), 'hash_quarantined', { reason: 'false_positive' })).toBeNull();
    expect(eventDataWords(tr('fr'), 'partner_feedback', { outcome: 'blocked', partner: 'X' })).toBeNull();
    expect(eventDataWords(tr('fr'), 'hash_restored', { hash: '7', decision: 'restore' })).toBeNull();
    // an outcome the contract does not know yet is shown as its code
    expect(eventDataWords(tr('en'), 'partner_feedback', { outcome: 'reported', partner: 'X', count: 1, hash: 2 })).toBe('reported · Platform: X · Uploads: 1 · Fingerprint #2');
  });
});
