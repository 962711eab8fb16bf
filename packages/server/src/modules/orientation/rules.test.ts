import {
  AGE_GROUPS,
  COUNTRIES,
  ORIENTATION_GROUPS,
  OrientationResponse,
  SITUATIONS,
  type AgeGroup,
  type Country,
  type OrientationRequest,
  type Situation,
} from '@halte/contract';
import { describe, expect, it } from 'vitest';

import rawHelpServices from './help-services.json' with { type: 'json' };
import { HELP_SERVICES, emergencyNumbers, isInDanger, orient, type HelpService } from './rules.js';

// Written out here rather than taken from rules.ts, so that the tests say what the product promises.
const EMERGENCY: Record<Country, readonly string[]> = {
  FR: ['fr-17-police', 'fr-112', 'fr-114'],
  BE: ['be-101', 'be-112'],
  other: ['int-112'],
};
const YOUTH_SERVICE: Record<Country, string | null> = { FR: 'fr-3018', BE: 'be-child-focus-116000', other: null };
const IMAGE_SITUATIONS: readonly Situation[] = ['sextortion', 'ncii_diffusion'];
const BLAMING_WORDS = /faute|imprudent|auriez dû|n'auriez pas|fault|careless|should have|shouldn't have|stupid|naïve|naive/i;

const SITUATION_SETS: readonly (readonly Situation[])[] = [
  [],
  ...SITUATIONS.map((situation) => [situation]),
  ['sextortion', 'ncii_diffusion'],
  ['sextortion', 'suicidal_crisis'],
  ['immediate_danger', 'deaf_or_cannot_speak'],
  ['grooming', 'child_sexual_abuse', 'sextortion'],
  ['romance_scam', 'bank_fraud', 'phishing'],
  ['domestic_violence', 'cyberharassment', 'ncii_diffusion'],
  ['sexual_violence', 'immediate_danger'],
  ['child_protection', 'illegal_content'],
  ['unwanted_calls', 'phishing'],
  ['deaf_or_cannot_speak', 'domestic_violence'],
  [...SITUATIONS],
];

const MATRIX: OrientationRequest[] = SITUATION_SETS.flatMap((situations) =>
  AGE_GROUPS.flatMap((age) => COUNTRIES.flatMap((country) => [false, true].map((danger) => ({ situations: [...situations], age, country, danger })))),
);

const dataById = new Map(HELP_SERVICES.map((service) => [service.id, service]));
function data(id: string): HelpService {
  const found = dataById.get(id);
  if (found === undefined) throw new Error(`no service ${id}`);
  return found;
}

function ids(request: OrientationRequest): string[] {
  return orient(request).services.map((service) => service.id);
}

function label(request: OrientationRequest): string {
  return `[${request.situations.join(',') || '∅'}] ${request.age} ${request.country} danger=${String(request.danger)}`;
}

describe('orientation invariants over the whole matrix', () => {
  it('covers every situation, age group, country and danger value', () => {
    expect(MATRIX).toHaveLength(SITUATION_SETS.length * 2 * 3 * 2);
    for (const situation of SITUATIONS) expect(MATRIX.some((request) => request.situations.length === 1 && request.situations[0] === situation)).toBe(true);
  });

  it.each(MATRIX.map((request) => [label(request), request] as const))('%s', (_label, request) => {
    const result = orient(request);
    const got = result.services.map((service) => service.id);
    const inDanger = request.danger || request.situations.includes('immediate_danger') || request.situations.includes('suicidal_crisis');

    // The answer is what the contract says it is.
    expect(OrientationResponse.safeParse(result).success).toBe(true);
    expect(result.danger).toBe(inDanger);
    expect(result.services.length).toBeGreaterThan(0);
    expect(new Set(got).size).toBe(got.length);

    // Danger: the country's emergency numbers, before anything else.
    if (inDanger) {
      const numbers = EMERGENCY[request.country];
      expect(new Set(got.slice(0, numbers.length))).toEqual(new Set(numbers));
      if (request.country === 'FR') {
        if (request.situations.includes('deaf_or_cannot_speak')) expect(got.slice(0, 3)).toEqual(['fr-114', 'fr-17-police', 'fr-112']);
        else expect(got.slice(0, 3)).toEqual(['fr-17-police', 'fr-112', 'fr-114']);
        const medical = request.situations.includes('suicidal_crisis') || request.situations.includes('sexual_violence');
        if (medical) expect(got[3]).toBe('fr-15-samu');
        else expect(got).not.toContain('fr-15-samu');
      } else {
        expect(got.slice(0, numbers.length)).toEqual(numbers);
      }
    } else {
      for (const number of ['fr-112', 'fr-15-samu', 'be-112', 'int-112']) expect(got).not.toContain(number);
      const why = request.situations.filter((situation) => situation === 'domestic_violence' || situation === 'deaf_or_cannot_speak');
      if (why.length === 0) expect(result.services.filter((service) => service.group === 'emergency')).toEqual([]);
    }
    expect(got).not.toContain('fr-18-pompiers');

    // Sections in their order.
    const ranks = result.services.map((service) => ORIENTATION_GROUPS.indexOf(service.group));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    for (const service of result.services) {
      const record = data(service.id);
      // Only where the service works, and only to whom it is for.
      if (request.country === 'other') expect(service.country).toBe('INT');
      else expect([request.country, 'INT']).toContain(service.country);
      expect(service.country).toBe(record.country);
      if (request.age === 'adult') expect(record.audience).not.toBe('minors');
      if (request.age === 'minor') expect(record.audience).not.toBe('adults');

      // What the data does not confirm is said, in both languages.
      expect(service.confirmed).toBe(record.confirmed);
      expect(service.hoursConfirmed).toBe(record.hours_confirmed);
      expect(service.unconfirmedFields).toEqual(record.unconfirmed_fields);
      const unconfirmed = !record.confirmed || !record.hours_confirmed || record.unconfirmed_fields.length > 0;
      if (unconfirmed) {
        expect(service.unconfirmedNote?.fr).toBeTruthy();
        expect(service.unconfirmedNote?.en).toBeTruthy();
      } else {
        expect(service.unconfirmedNote).toBeNull();
      }
      if (!record.confirmed) expect(service.unconfirmedNote?.en).toMatch(/not confirmed/);
      if (!record.hours_confirmed) expect(service.unconfirmedNote?.en).toMatch(/hours are not verified/);

      // A reason for this query, in plain words, in both languages.
      expect(service.reason.fr.trim()).not.toBe('');
      expect(service.reason.en.trim()).not.toBe('');
      expect(service.reason.fr).not.toBe(service.reason.en);
      expect(service.reason.fr).not.toMatch(BLAMING_WORDS);
      expect(service.reason.en).not.toMatch(BLAMING_WORDS);
      expect(service.description).toEqual({ fr: record.description_fr, en: record.description_en });
      expect(service.source).toBe(record.source);
    }

    // The youth service, and the image tool for the age group.
    const youth = YOUTH_SERVICE[request.country];
    if (request.age === 'minor' && youth !== null) expect(got).toContain(youth);
    if (request.situations.some((situation) => IMAGE_SITUATIONS.includes(situation))) {
      expect(got).toContain(request.age === 'minor' ? 'int-take-it-down' : 'int-stopncii');
    }
    expect(got).not.toContain(request.age === 'minor' ? 'int-stopncii' : 'int-take-it-down');

    // Suicidal thoughts: the suicide prevention line right after the emergency numbers.
    if (request.situations.includes('suicidal_crisis') && request.country !== 'other') {
      const firstAfterEmergency = result.services.find((service) => service.group !== 'emergency');
      expect(firstAfterEmergency?.id).toBe(request.country === 'FR' ? 'fr-3114' : 'be-prevention-suicide');
    }

    // Same question, same answer: the order of the situations and repeats do not matter.
    const shuffled = { ...request, situations: [...request.situations].reverse().concat(request.situations) };
    expect(orient(shuffled)).toEqual(result);
  });
});

describe('orientation: what the issue asks for', () => {
  it('minor + sextortion in France: 3018 first, then the other youth lines, then Take It Down', () => {
    expect(ids({ situations: ['sextortion'], age: 'minor', country: 'FR', danger: false })).toEqual([
      'fr-3018',
      'fr-119',
      'fr-fil-sante-jeunes',
      'int-take-it-down',
      'fr-point-de-contact-disrupt',
      'fr-pnav',
      'fr-116006',
      'fr-17cyber',
      'fr-cybermalveillance',
      'fr-thesee',
    ]);
  });

  it('minor + sextortion in Belgium: Child Focus and Take It Down', () => {
    const got = ids({ situations: ['sextortion'], age: 'minor', country: 'BE', danger: false });
    expect(got[0]).toBe('be-child-focus-116000');
    expect(got).toContain('int-take-it-down');
    expect(got).not.toContain('be-iefh'); // adults only: minors go to Child Focus
  });

  it('adult + intimate images shared: StopNCII first, in every country', () => {
    for (const country of COUNTRIES) {
      expect(ids({ situations: ['ncii_diffusion'], age: 'adult', country, danger: false })[0]).toBe('int-stopncii');
    }
    expect(ids({ situations: ['ncii_diffusion'], age: 'adult', country: 'FR', danger: false })).toEqual([
      'int-stopncii',
      'fr-point-de-contact-disrupt',
      'fr-pnav',
      'fr-116006',
      'fr-3919',
    ]);
  });

  it('Belgium in danger: 101 then 112 come first', () => {
    for (const age of AGE_GROUPS) {
      for (const situations of SITUATION_SETS) {
        expect(ids({ situations: [...situations], age, country: 'BE', danger: true }).slice(0, 2)).toEqual(['be-101', 'be-112']);
      }
    }
  });

  it('France in danger: 17, 112, then 114 by SMS for anyone who cannot speak', () => {
    expect(ids({ situations: ['sextortion'], age: 'adult', country: 'FR', danger: true }).slice(0, 3)).toEqual(['fr-17-police', 'fr-112', 'fr-114']);
  });

  it('cannot speak + danger in France: 114 is there, and first', () => {
    const result = orient({ situations: ['deaf_or_cannot_speak'], age: 'minor', country: 'FR', danger: true });
    expect(result.services[0]?.id).toBe('fr-114');
    expect(result.services[0]?.kind).toBe('sms');
    expect(result.services[0]?.reason.fr).toMatch(/SMS/);
  });

  it('cannot speak in Belgium: 112 says that its app is not verified for deaf people', () => {
    const result = orient({ situations: ['deaf_or_cannot_speak'], age: 'adult', country: 'BE', danger: true });
    const be112 = result.services.find((service) => service.id === 'be-112');
    expect(be112?.reason.en).toMatch(/not yet verified/);
  });

  it('outside France and Belgium: international tools only, 112 in danger, and a notice', () => {
    const result = orient({ situations: ['sextortion'], age: 'minor', country: 'other', danger: true });
    expect(result.services.map((service) => service.id)).toEqual(['int-112', 'int-take-it-down']);
    expect(result.services.every((service) => service.country === 'INT')).toBe(true);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]?.fr).toMatch(/France et de Belgique/);
    const int112 = result.services[0];
    expect(int112?.contact).toBe('112');
    expect(int112?.unconfirmedNote).not.toBeNull(); // whether it works outside the EU is not in the data
  });

  it('suicidal thoughts count as danger even when danger=false; 15 and 3114 follow 17, 112 and 114', () => {
    const result = orient({ situations: ['suicidal_crisis'], age: 'adult', country: 'FR', danger: false });
    expect(result.danger).toBe(true);
    expect(result.services.map((service) => service.id)).toEqual(['fr-17-police', 'fr-112', 'fr-114', 'fr-15-samu', 'fr-3114']);
    expect(result.services[4]?.group).toBe('crisis');
  });

  it('a listening line chosen for suicidal thoughts moves to the crisis section', () => {
    const result = orient({ situations: ['suicidal_crisis'], age: 'minor', country: 'BE', danger: false });
    expect(result.services.filter((service) => service.group === 'crisis').map((service) => service.id)).toEqual([
      'be-prevention-suicide',
      'be-zelfmoordlijn-1813',
      'be-103-ecoute-enfants',
      'be-tele-accueil-107',
    ]);
  });

  it('a minor in danger also gets the child-protection lines that answer emergencies', () => {
    const got = ids({ situations: [], age: 'minor', country: 'FR', danger: true });
    expect(got.slice(0, 5)).toEqual(['fr-17-police', 'fr-112', 'fr-114', 'fr-3018', 'fr-119']);
    expect(orient({ situations: [], age: 'minor', country: 'FR', danger: true }).services[4]?.reason.en).toMatch(/in danger/);
  });

  it('partner violence without danger: the police number stays, with the reason', () => {
    const result = orient({ situations: ['domestic_violence'], age: 'adult', country: 'FR', danger: false });
    expect(result.danger).toBe(false);
    expect(result.services.map((service) => service.id)).toEqual(['fr-17-police', 'fr-pnav', 'fr-116006', 'fr-3919']);
    expect(result.services[0]?.reason.fr).toMatch(/violences dans le couple/);
  });
});

describe('orientation: no situation, or none the data knows', () => {
  it.each<[AgeGroup, Country, string[]]>([
    ['minor', 'FR', ['fr-3018', 'int-take-it-down', 'fr-pnav', 'fr-116006', 'fr-17cyber']],
    ['adult', 'FR', ['int-stopncii', 'fr-pnav', 'fr-116006', 'fr-17cyber']],
    ['minor', 'BE', ['be-child-focus-116000', 'int-take-it-down', 'be-tele-accueil-107']],
    ['adult', 'BE', ['int-stopncii', 'be-iefh', 'be-tele-accueil-107']],
    ['minor', 'other', ['int-take-it-down']],
    ['adult', 'other', ['int-stopncii']],
  ])('%s in %s: the general services', (age, country, expected) => {
    const result = orient({ situations: [], age, country, danger: false });
    expect(result.services.map((service) => service.id)).toEqual(expected);
    for (const service of result.services) {
      if (service.id !== 'fr-3018' && service.id !== 'be-child-focus-116000') expect(service.reason.en).toMatch(/General service|Useful if intimate images/);
    }
  });

  it('an adult asking about a child gets what exists for adults, and is told about the minor services', () => {
    const result = orient({ situations: ['child_protection'], age: 'adult', country: 'FR', danger: false });
    expect(result.services.map((service) => service.id)).toEqual(['int-stopncii', 'fr-pnav', 'fr-116006', 'fr-17cyber']);
    expect(result.notices.map((notice) => notice.en).join(' ')).toMatch(/choose “minor”/);
    expect(ids({ situations: ['child_sexual_abuse'], age: 'adult', country: 'FR', danger: false })).not.toContain('int-take-it-down');
  });
});

describe('orientation: what each item carries', () => {
  it('a service confirmed by a single unofficial source says so', () => {
    const result = orient({ situations: ['suicidal_crisis'], age: 'minor', country: 'FR', danger: false });
    const filSante = result.services.find((service) => service.id === 'fr-fil-sante-jeunes');
    expect(filSante).toMatchObject({ confirmed: false, hoursConfirmed: false, unconfirmedFields: ['numéro', 'horaires'] });
    expect(filSante?.unconfirmedNote?.fr).toMatch(/pas confirmé par une source officielle/);
    expect(filSante?.unconfirmedNote?.en).toMatch(/not confirmed by an official source/);
  });

  it('unverified hours are flagged even when the data lists no unconfirmed field', () => {
    const disrupt = orient({ situations: ['ncii_diffusion'], age: 'adult', country: 'FR', danger: false }).services.find((service) => service.id === 'fr-point-de-contact-disrupt');
    expect(disrupt).toMatchObject({ hoursConfirmed: false, unconfirmedFields: [] });
    expect(disrupt?.unconfirmedNote?.fr).toMatch(/horaires/);
  });

  it('what a service is not for travels with it', () => {
    const pharos = orient({ situations: ['illegal_content'], age: 'adult', country: 'FR', danger: false }).services.find((service) => service.id === 'fr-pharos');
    expect(pharos?.notFor?.fr).toMatch(/composer le 17/);
    expect(pharos?.notFor?.en).toMatch(/call 17/);
  });

  it('lists the situations that matched, in plain words, in the reason', () => {
    const pnav = orient({ situations: ['cyberharassment', 'sextortion'], age: 'adult', country: 'FR', danger: false }).services.find((service) => service.id === 'fr-pnav');
    expect(pnav?.reason).toEqual({
      fr: 'Pour être écouté·e et conseillé·e. Concerne : chantage avec des images intimes et harcèlement en ligne.',
      en: 'To talk to someone and get advice. Relevant to: blackmail with intimate images and online harassment.',
    });
  });

  it('the response echoes the query with each situation once, in the vocabulary order', () => {
    const result = orient({ situations: ['phishing', 'sextortion', 'phishing'], age: 'adult', country: 'BE', danger: false });
    expect(result.query).toEqual({ situations: ['sextortion', 'phishing'], age: 'adult', country: 'BE', danger: false });
    expect(result.dataCompiledOn).toBe(rawHelpServices.compiled_on);
  });
});

describe('the help-services data', () => {
  it('is a full copy: 41 services, every field of the shared file, every source', () => {
    expect(rawHelpServices.services).toHaveLength(41);
    const fields = Object.keys(rawHelpServices.services[0] ?? {}).sort();
    expect(fields).toContain('source');
    for (const service of rawHelpServices.services) {
      expect(Object.keys(service).sort()).toEqual(fields);
      expect(service.source.trim()).not.toBe('');
    }
    expect(HELP_SERVICES.map((service) => service.id)).toEqual([...rawHelpServices.services.map((service) => service.id), 'int-112']);
  });

  it('uses the same situations vocabulary as the contract', () => {
    expect(Object.keys(rawHelpServices.situations_vocabulary).sort()).toEqual([...SITUATIONS].sort());
  });

  it('every service can be reached by some query (except 18, outside what Halte is about)', () => {
    const reached = new Set(MATRIX.flatMap((request) => ids(request)));
    const unreached = HELP_SERVICES.map((service) => service.id).filter((id) => !reached.has(id));
    expect(unreached).toEqual(['fr-18-pompiers']);
  });

  it('emergencyNumbers and isInDanger agree with the rules as documented', () => {
    expect(emergencyNumbers('FR', ['sexual_violence'])).toEqual(['fr-17-police', 'fr-112', 'fr-114', 'fr-15-samu']);
    expect(emergencyNumbers('FR', ['deaf_or_cannot_speak'])).toEqual(['fr-114', 'fr-17-police', 'fr-112']);
    expect(emergencyNumbers('BE', ['deaf_or_cannot_speak', 'suicidal_crisis'])).toEqual(['be-101', 'be-112']);
    expect(isInDanger({ danger: false, situations: ['immediate_danger'] })).toBe(true);
    expect(isInDanger({ danger: false, situations: ['sextortion'] })).toBe(false);
  });
});
