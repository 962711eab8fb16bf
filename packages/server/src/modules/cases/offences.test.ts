import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { ANSWER_TEMPLATES, LANGUAGES } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { orient } from '../orientation/rules.js';
import { draftAnswer, type DraftFacts } from './answers.js';
import { OFFENCES, offencesFor, unknownOffences } from './offences.js';

describe('the legal data', () => {
  it('is the copy the README names, byte for byte', () => {
    const bytes = readFileSync(new URL('./offences.json', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('70eb487f871c203bc286e982d1d418b3d93e91d627ea98d56e1be1abc17ac6f7');
    expect(OFFENCES.length).toBe(29);
  });

  it('gives the offences of the case’s country, those that fit first; none outside France and Belgium', () => {
    const fr = offencesFor({ country: 'FR', situations: ['sextortion'], involvesMinor: false });
    expect(fr.every((o) => o.country === 'FR')).toBe(true);
    const firstOther = fr.findIndex((o) => !o.suggested);
    expect(fr.slice(0, firstOther).every((o) => o.suggested)).toBe(true);
    expect(fr.slice(firstOther).every((o) => !o.suggested)).toBe(true);
    expect(fr.find((o) => o.id === 'fr-chantage')?.suggested).toBe(true);
    // offences against minors are suggested only when a minor is involved
    expect(fr.find((o) => o.id === 'fr-sollicitation-images-mineur')?.suggested).toBe(false);
    expect(offencesFor({ country: 'FR', situations: ['sextortion'], involvesMinor: true }).find((o) => o.id === 'fr-sollicitation-images-mineur')?.suggested).toBe(true);
    expect(offencesFor({ country: 'BE', situations: ['sextortion'], involvesMinor: false }).every((o) => o.country === 'BE')).toBe(true);
    expect(offencesFor({ country: 'other', situations: ['sextortion'], involvesMinor: false })).toEqual([]);
  });

  it('marks what is not confirmed', () => {
    const be = offencesFor({ country: 'BE', situations: ['sextortion'], involvesMinor: false });
    expect(be.find((o) => o.id === 'be-chantage-sextorsion')?.confirmed).toBe(false);
    const unconfirmedPenalty = OFFENCES.find((o) => o.max_penalty && !o.max_penalty.confirmed);
    if (unconfirmedPenalty) {
      const shown = offencesFor({ country: unconfirmedPenalty.country, situations: [], involvesMinor: true }).find((o) => o.id === unconfirmedPenalty.id);
      expect(shown?.maxPenaltyFr).toMatch(/\(non confirmé\)$/);
      expect(shown?.maxPenaltyEn).toMatch(/\(unconfirmed\)$/);
    }
  });

  it('refuses ids of another country or unknown', () => {
    expect(unknownOffences(['fr-chantage', 'be-escroquerie', 'fr-nope'], 'FR')).toEqual(['be-escroquerie', 'fr-nope']);
    expect(unknownOffences(['fr-chantage'], 'other')).toEqual(['fr-chantage']);
  });
});

describe('answer drafts', () => {
  const facts: DraftFacts = {
    country: 'FR',
    situations: ['sextortion'],
    ageGroup: 'adult',
    immediateDanger: false,
    offenceIds: ['fr-chantage', 'fr-hypertrucage-sexuel'],
    items: [
      { kind: 'image', review: 'analyst_verified', withdrawn: false },
      { kind: 'image', review: 'rejected', withdrawn: false },
      { kind: 'video', review: 'self_submitted', withdrawn: false },
      { kind: 'url', review: 'self_submitted', withdrawn: false },
    ],
    shareWithPartners: true,
  };

  it.each(ANSWER_TEMPLATES.flatMap((t) => LANGUAGES.map((l) => [t, l] as const)))('%s in %s: greeting, sections, services, emergency numbers, signature', (template, language) => {
    const draft = draftAnswer(template, language, facts, orient);
    expect(draft).toMatch(language === 'fr' ? /^Bonjour,\n/ : /^Hello,\n/);
    expect(draft).toContain(language === 'fr' ? '17 ou 112' : '17 or 112');
    expect(draft).toMatch(language === 'fr' ? /L’équipe Halte$/ : /The Halte team$/);
    // the help services orientation gives for the case, first ones first
    const services = orient({ situations: ['sextortion'], age: 'adult', country: 'FR', danger: false }).services;
    expect(draft).toContain(`${services[0]?.name} (${services[0]?.contact})`);
    // counts, not content: two live fingerprints (the rejected one is not counted), one checked, one link
    expect(draft).toContain(language === 'fr' ? 'Nous avons reçu 2 empreintes de vos images ou vidéos, dont 1 vérifiée' : 'We received 2 fingerprints of your pictures or videos, 1 of them checked');
    if (template !== 'closing') {
      expect(draft).toContain(language === 'fr' ? 'Chantage (Code pénal, art. 312-10, jusqu’à 7 ans' : 'Blackmail (Code pénal, art. 312-10, up to 7 years');
      expect(draft).toMatch(language === 'fr' ? /226-8-1[^\n]*\(à vérifier\)/ : /226-8-1[^\n]*\(to be checked\)/);
    }
  });

  it('says when the fingerprints are not shared, and how to file a complaint only in France and Belgium', () => {
    const notShared = draftAnswer('first_answer', 'en', { ...facts, shareWithPartners: false }, orient);
    expect(notShared).toContain('You chose not to share these fingerprints');
    expect(draftAnswer('first_answer', 'en', { ...facts, country: 'other', offenceIds: [] }, orient)).not.toContain('file a complaint');
    expect(draftAnswer('first_answer', 'en', { ...facts, country: 'BE', offenceIds: [] }, orient)).toContain('101 or 112');
  });
});
