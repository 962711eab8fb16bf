import { ReportRequest, SITUATIONS } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { ASKED_SEPARATELY, SITUATION_GROUPS } from '../../components/situations';
import type { FileHashes, ImageHashes, VideoHashes } from './hashing/protocol';
import { buildReportRequest, EMPTY_ANSWERS, reportSituations, stepOf, stepProblems, STEPS, type Answers } from './wizard';

const IMAGE: ImageHashes = {
  pdq: 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22',
  quality: 100,
  md5: '0123456789abcdef0123456789abcdef',
  sha256: 'a'.repeat(64),
};
const UNIFORM: ImageHashes = { pdq: '0'.repeat(64), quality: 0, md5: 'f'.repeat(32), sha256: 'b'.repeat(64) };

const ANSWERED: Answers = {
  ...EMPTY_ANSWERS,
  situations: ['sextortion', 'ncii_diffusion'],
  ageGroup: 'adult',
  madeWhenMinor: 'no',
  country: 'FR',
  immediateDanger: false,
};

function built(answers: Answers, images: readonly FileHashes[] = []) {
  const result = buildReportRequest(answers, images);
  if (!result.ok) throw new Error(`not built: ${JSON.stringify(result.problems)}`);
  // The body the page sends is one the server accepts.
  expect(ReportRequest.safeParse(result.body).success).toBe(true);
  return result.body;
}

const VIDEO: VideoHashes = {
  md5: 'e'.repeat(32),
  sha256: 'c'.repeat(64),
  vpdq: [
    { frame: 0, timestamp: 0, pdq: 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22', quality: 100 },
    { frame: 30, timestamp: 1, pdq: '0'.repeat(64), quality: 0 },
  ],
};

describe('buildReportRequest', () => {
  it('sends a video as a video item with its frames, each file once', () => {
    const body = built(ANSWERED, [VIDEO, IMAGE, VIDEO]);
    expect(body.items).toEqual([
      { kind: 'video', md5: VIDEO.md5, sha256: VIDEO.sha256, vpdq: VIDEO.vpdq },
      { kind: 'image', ...IMAGE },
    ]);
  });

  it('makes the smallest valid report: answers, no items, no contact, consents unticked', () => {
    expect(built(ANSWERED)).toEqual({
      situations: ['sextortion', 'ncii_diffusion'],
      ageGroup: 'adult',
      madeWhenMinor: false,
      country: 'FR',
      immediateDanger: false,
      items: [],
      consents: { shareWithPartners: false, contactMe: false },
    });
  });

  it('makes a full report: images, links, postal code, summary, contact, consents', () => {
    const body = built(
      {
        ...ANSWERED,
        postalCode: ' 75011 ',
        urls: ['https://example.com/a', 'https://example.org/b?c=d'],
        summary: '  Il menace de montrer les photos à ma classe.  ',
        shareWithPartners: true,
        contactMe: true,
        email: ' me@example.com ',
        phone: '',
      },
      [IMAGE, UNIFORM],
    );
    expect(body).toEqual({
      situations: ['sextortion', 'ncii_diffusion'],
      ageGroup: 'adult',
      madeWhenMinor: false,
      country: 'FR',
      postalCode: '75011',
      immediateDanger: false,
      items: [
        { kind: 'image', ...IMAGE },
        { kind: 'image', ...UNIFORM },
        { kind: 'url', url: 'https://example.com/a' },
        { kind: 'url', url: 'https://example.org/b?c=d' },
      ],
      summary: 'Il menace de montrer les photos à ma classe.',
      contact: { email: 'me@example.com' },
      consents: { shareWithPartners: true, contactMe: true },
    });
  });

  it('adds immediate danger to the situations, in the vocabulary’s order, once', () => {
    const body = built({ ...ANSWERED, situations: ['grooming', 'sextortion'], immediateDanger: true });
    expect(body.situations).toEqual(['immediate_danger', 'sextortion', 'grooming']);
    expect(body.immediateDanger).toBe(true);
    // Danger alone is enough of a situation.
    expect(built({ ...ANSWERED, situations: [], immediateDanger: true }).situations).toEqual(['immediate_danger']);
  });

  it('counts a minor’s images as made when a minor, and a doubt as yes', () => {
    expect(built({ ...ANSWERED, ageGroup: 'minor', madeWhenMinor: null }).madeWhenMinor).toBe(true);
    expect(built({ ...ANSWERED, madeWhenMinor: 'yes' }).madeWhenMinor).toBe(true);
    expect(built({ ...ANSWERED, madeWhenMinor: 'unsure' }).madeWhenMinor).toBe(true);
    expect(built({ ...ANSWERED, madeWhenMinor: 'no' }).madeWhenMinor).toBe(false);
  });

  it('sends contact details only with the consent to be contacted', () => {
    const body = built({ ...ANSWERED, contactMe: false, email: 'me@example.com', phone: '+33 6 12 34 56 78' });
    expect(body.contact).toBeUndefined();
    expect(built({ ...ANSWERED, contactMe: true, phone: '+33 6 12 34 56 78' }).contact).toEqual({ phone: '+33 6 12 34 56 78' });
  });

  it('sends each image and each link once', () => {
    const body = built({ ...ANSWERED, urls: ['https://example.com/a', 'https://example.com/a'] }, [IMAGE, IMAGE]);
    expect(body.items).toHaveLength(2);
  });

  it('lists every problem, on the field it belongs to', () => {
    const result = buildReportRequest(EMPTY_ANSWERS, []);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['situations', 'ageGroup', 'country', 'immediateDanger']);
    const adult = buildReportRequest({ ...ANSWERED, madeWhenMinor: null }, []);
    expect(!adult.ok && adult.problems).toEqual([{ field: 'madeWhenMinor', message: 'report.required' }]);
  });

  it('uses the contract’s rules for postal codes, e-mail and phone, in the person’s words', () => {
    const fr = buildReportRequest({ ...ANSWERED, postalCode: '7501' }, []);
    expect(!fr.ok && fr.problems).toEqual([{ field: 'postalCode', message: 'report.postalCode.invalid.FR' }]);
    const be = buildReportRequest({ ...ANSWERED, country: 'BE', postalCode: '75011' }, []);
    expect(!be.ok && be.problems).toEqual([{ field: 'postalCode', message: 'report.postalCode.invalid.BE' }]);
    expect(buildReportRequest({ ...ANSWERED, country: 'BE', postalCode: '1000' }, []).ok).toBe(true);
    expect(buildReportRequest({ ...ANSWERED, postalCode: '2A004' }, []).ok).toBe(true);
    const contact = buildReportRequest({ ...ANSWERED, contactMe: true, email: 'not-an-email', phone: 'abc' }, []);
    expect(!contact.ok && contact.problems).toEqual([
      { field: 'email', message: 'report.email.invalid' },
      { field: 'phone', message: 'report.phone.invalid' },
    ]);
    const none = buildReportRequest({ ...ANSWERED, contactMe: true }, []);
    expect(!none.ok && none.problems).toEqual([{ field: 'contact', message: 'report.contact.required' }]);
  });

  it('refuses more items than a report may hold', () => {
    const urls = Array.from({ length: 201 }, (_, i) => `https://example.com/${i}`);
    const result = buildReportRequest({ ...ANSWERED, urls }, []);
    expect(!result.ok && result.problems).toEqual([{ field: 'images', message: 'report.images.limit', params: { max: 200 } }]);
  });
});

describe('steps', () => {
  it('check only their own questions', () => {
    expect(stepProblems('situations', EMPTY_ANSWERS)).toEqual([{ field: 'situations', message: 'report.situations.required' }]);
    expect(stepProblems('situations', { ...EMPTY_ANSWERS, situations: ['phishing'] })).toEqual([]);
    expect(stepProblems('age', { ...EMPTY_ANSWERS, ageGroup: 'minor' })).toEqual([]);
    expect(stepProblems('age', { ...EMPTY_ANSWERS, ageGroup: 'adult' }).map((p) => p.field)).toEqual(['madeWhenMinor']);
    expect(stepProblems('country', { ...EMPTY_ANSWERS, country: 'BE', postalCode: '12' })).toEqual([{ field: 'postalCode', message: 'report.postalCode.invalid.BE' }]);
    expect(stepProblems('danger', EMPTY_ANSWERS).map((p) => p.field)).toEqual(['immediateDanger']);
    expect(stepProblems('images', EMPTY_ANSWERS)).toEqual([]);
    expect(stepProblems('links', EMPTY_ANSWERS)).toEqual([]);
    expect(stepProblems('contact', { ...EMPTY_ANSWERS, contactMe: true }).map((p) => p.field)).toEqual(['contact']);
    expect(stepProblems('review', EMPTY_ANSWERS)).toEqual([]);
  });

  it('send each field back to the step that asks it', () => {
    expect(stepOf('postalCode')).toBe('country');
    expect(stepOf('email')).toBe('contact');
    expect(stepOf('form')).toBe('review');
    expect(STEPS[0]).toBe('situations');
    expect(STEPS.at(-1)).toBe('review');
  });
});

describe('situations on screen', () => {
  it('offer every situation of the contract exactly once, except those asked as their own question', () => {
    const offered = Object.values(SITUATION_GROUPS).flat();
    expect(new Set(offered).size).toBe(offered.length);
    expect([...offered, ...ASKED_SEPARATELY].sort()).toEqual([...SITUATIONS].sort());
  });

  it('keep the vocabulary order whatever the order of ticking', () => {
    expect(reportSituations({ situations: ['phishing', 'sextortion'], immediateDanger: null })).toEqual(['sextortion', 'phishing']);
  });
});
