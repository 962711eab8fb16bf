import type { Offence } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { groupOffences, offencePenalty, offenceTitle, sameSelection, toggleOffence } from './offences';

function offence(id: string, code: string, suggested: boolean, extra: Partial<Offence> = {}): Offence {
  return {
    id,
    country: 'FR',
    code,
    article: '1',
    titleFr: `titre ${id}`,
    titleEn: `title ${id}`,
    descriptionFr: '',
    descriptionEn: '',
    situations: [],
    victimAge: 'any',
    maxPenaltyFr: '5 ans',
    maxPenaltyEn: '5 years',
    confirmed: true,
    source: '',
    suggested,
    ...extra,
  };
}

const LIST = [offence('fr-a', 'Code pénal', false), offence('fr-b', 'Loi X', true), offence('fr-c', 'Loi X', false), offence('fr-d', 'Code pénal', true), offence('fr-e', 'Code pénal', false)];

describe('groupOffences', () => {
  it('puts the suggested ones first, then the others by code, in the data’s order', () => {
    expect(groupOffences(LIST).map((g) => [g.code, g.offences.map((o) => o.id)])).toEqual([
      [null, ['fr-b', 'fr-d']],
      ['Code pénal', ['fr-a', 'fr-e']],
      ['Loi X', ['fr-c']],
    ]);
  });

  it('has no suggested group when nothing is suggested, and nothing for no offence', () => {
    expect(groupOffences([offence('fr-a', 'Code pénal', false)]).map((g) => g.code)).toEqual(['Code pénal']);
    expect(groupOffences([])).toEqual([]);
  });
});

describe('offence words', () => {
  it('are in the UI language, the penalty falling back to the other language', () => {
    const o = offence('fr-a', 'Code pénal', false, { maxPenaltyEn: null });
    expect(offenceTitle(o, 'fr')).toBe('titre fr-a');
    expect(offenceTitle(o, 'en')).toBe('title fr-a');
    expect(offencePenalty(o, 'fr')).toBe('5 ans');
    expect(offencePenalty(o, 'en')).toBe('5 ans');
    expect(offencePenalty(offence('x', 'c', false, { maxPenaltyFr: null, maxPenaltyEn: null }), 'fr')).toBeNull();
  });
});

describe('toggleOffence', () => {
  it('keeps the legal data’s order, and ids it no longer lists at the end', () => {
    expect(toggleOffence(['fr-e'], 'fr-a', true, LIST)).toEqual(['fr-a', 'fr-e']);
    expect(toggleOffence(['fr-a', 'fr-e'], 'fr-a', false, LIST)).toEqual(['fr-e']);
    expect(toggleOffence(['fr-gone', 'fr-e'], 'fr-b', true, LIST)).toEqual(['fr-b', 'fr-e', 'fr-gone']);
  });

  it('compares selections whatever the order', () => {
    expect(sameSelection(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameSelection(['a'], ['a', 'b'])).toBe(false);
    expect(sameSelection([], [])).toBe(true);
  });
});
