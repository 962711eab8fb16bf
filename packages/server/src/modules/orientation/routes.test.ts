import { OrientationResponse, SITUATIONS } from '@halte/contract';
import Fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { registerOrientationRoutes } from './routes.js';
import { orient } from './rules.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  registerOrientationRoutes(app);
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

async function get(query: string) {
  return app.inject({ method: 'GET', url: `/api/orientation?${query}` });
}

describe('GET /api/orientation', () => {
  it('answers the ordered services, as the rules give them, and keeps them out of caches', async () => {
    const res = await get('situations=sextortion,ncii_diffusion&age=minor&country=FR&danger=false');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = OrientationResponse.parse(res.json());
    expect(body).toEqual(orient({ situations: ['sextortion', 'ncii_diffusion'], age: 'minor', country: 'FR', danger: false }));
    expect(body.services.map((service) => service.id)).toContain('int-take-it-down');
  });

  it('answers 101 and 112 first for Belgium in danger', async () => {
    const res = await get('situations=cyberharassment&age=adult&country=BE&danger=true');
    expect(res.statusCode).toBe(200);
    expect(OrientationResponse.parse(res.json()).services.slice(0, 2).map((service) => service.id)).toEqual(['be-101', 'be-112']);
  });

  it.each([
    ['situations absent', 'age=adult&country=FR&danger=false'],
    ['situations empty', 'situations=&age=adult&country=FR&danger=false'],
    ['spaces after commas', 'situations=sextortion,%20ncii_diffusion&age=adult&country=BE&danger=true'],
    ['a situation repeated in the list', 'situations=sextortion,sextortion&age=minor&country=other&danger=false'],
    ['every situation once', `situations=${SITUATIONS.join(',')}&age=minor&country=FR&danger=true`],
  ])('accepts %s', async (_name, query) => {
    const res = await get(query);
    expect(res.statusCode).toBe(200);
    expect(OrientationResponse.safeParse(res.json()).success).toBe(true);
  });

  const valid = { situations: 'sextortion', age: 'minor', country: 'FR', danger: 'false' };
  const withParams = (changes: Record<string, string | null>): string =>
    Object.entries({ ...valid, ...changes })
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
  const huge = 'x'.repeat(100_000);

  it.each([
    ['an unknown situation', withParams({ situations: 'sextortion,revenge' }), /^situations: contains an unknown situation/],
    ['an empty item in the list', withParams({ situations: 'sextortion,,ncii_diffusion' }), /^situations: contains an unknown situation/],
    ['more than 16 situations', withParams({ situations: [...SITUATIONS, 'sextortion'].join(',') }), /^situations: lists more than 16 situations/],
    ['a missing age', withParams({ age: null }), /^age: is required/],
    ['an unknown age', withParams({ age: 'child' }), /^age: must be minor or adult/],
    ['an age in capitals', withParams({ age: 'MINOR' }), /^age: must be minor or adult/],
    ['a missing country', withParams({ country: null }), /^country: is required/],
    ['a lower-case country', withParams({ country: 'fr' }), /^country: must be FR, BE or other/],
    ['another country', withParams({ country: 'DE' }), /^country: must be FR, BE or other/],
    ['a missing danger', withParams({ danger: null }), /^danger: is required/],
    ['danger=yes', withParams({ danger: 'yes' }), /^danger: must be true or false/],
    ['danger=1', withParams({ danger: '1' }), /^danger: must be true or false/],
    ['danger=TRUE', withParams({ danger: 'TRUE' }), /^danger: must be true or false/],
    ['an empty danger', withParams({ danger: '' }), /^danger: must be true or false/],
    ['a repeated age', `${withParams({})}&age=adult`, /^age: give age once/],
    ['a repeated situations', `${withParams({})}&situations=ncii_diffusion`, /^situations: give situations once/],
    ['a repeated danger, even with the same value', `${withParams({})}&danger=false`, /^danger: give danger once/],
    ['a huge situations', withParams({ situations: `sextortion,${huge}` }), /^situations: is too long/],
    ['a huge age', withParams({ age: huge }), /^age: is too long/],
    ['a huge list of real situations', withParams({ situations: Array.from({ length: 5000 }, () => 'sextortion').join(',') }), /^situations: is too long/],
    ['an unknown parameter', `${withParams({})}&lang=fr`, /unknown parameter/],
    ['a misspelt parameter', withParams({ situations: null }).concat('&situation=sextortion'), /unknown parameter/],
    ['a huge unknown parameter', `${withParams({})}&${huge}=1`, /unknown parameter/],
    ['__proto__', `${withParams({})}&__proto__=x`, /unknown parameter/],
    ['constructor', `${withParams({})}&constructor=x`, /unknown parameter/],
    ['broken percent-encoding', withParams({ age: '%E0%A4%A' }), /^age: must be minor or adult/],
    ['a NUL byte', withParams({ country: 'FR%00' }), /^country: must be FR, BE or other/],
    ['no query at all', '', /is required/],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_name, query, message) => {
    const res = await get(query);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(message) } });
    // The message names the rule, never echoes what was sent.
    expect(body.error.message.length).toBeLessThan(200);
    expect(body.error.message).not.toMatch(/revenge|xxxx|child|MINOR|%E0/);
  });

  it('never answers 500 and never hangs, whatever the query string', async () => {
    const key = fc.oneof(fc.constantFrom('situations', 'age', 'country', 'danger', '__proto__', ''), fc.string({ maxLength: 12 }));
    const value = fc.oneof(
      fc.constantFrom(...SITUATIONS, 'minor', 'adult', 'FR', 'BE', 'other', 'true', 'false', '', '%', '%zz', '%E0%A4%A', ',', ',,'),
      fc.array(fc.constantFrom(...SITUATIONS, 'x', ''), { maxLength: 20 }).map((items) => items.join(',')),
      fc.string({ maxLength: 40 }),
    );
    const query = fc.array(fc.tuple(key, value), { maxLength: 8 }).map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v.includes('%') ? v : encodeURIComponent(v)}`).join('&'));
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const res = await get(q);
        expect([200, 400]).toContain(res.statusCode);
        if (res.statusCode === 200) expect(OrientationResponse.safeParse(res.json()).success).toBe(true);
        else expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: expect.any(String) } });
      }),
      { numRuns: 300 },
    );
  });

  it('answers every combination of well-formed parameters with 200', async () => {
    for (const age of ['minor', 'adult']) {
      for (const country of ['FR', 'BE', 'other']) {
        for (const danger of ['true', 'false']) {
          for (const situations of ['', ...SITUATIONS]) {
            const res = await get(`situations=${situations}&age=${age}&country=${country}&danger=${danger}`);
            expect(res.statusCode).toBe(200);
          }
        }
      }
    }
  });
});
