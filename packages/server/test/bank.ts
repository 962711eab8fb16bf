// Reports whose fingerprints go to the bank, for the bank's tests: a case reported through the real
// route (the triggers share its items), and its id and follow-up credentials.
import { expect } from 'vitest';

import type { TestApp } from './app.js';

/** A valid report of `items`, with the person's consent to share them with partners unless `share` is false. */
export function bankReport(items: unknown[], share = true): Record<string, unknown> {
  return {
    situations: ['ncii_diffusion'],
    ageGroup: 'adult',
    madeWhenMinor: false,
    country: 'FR',
    immediateDanger: false,
    items,
    consents: { shareWithPartners: share, contactMe: false },
  };
}

/** Reports `items` through POST /api/reports; the case's id, reference and PIN. */
export async function reportCase(t: TestApp, items: unknown[], share = true): Promise<{ id: number; reference: string; pin: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: bankReport(items, share) });
  expect(res.statusCode, res.body).toBe(201);
  const { reference, pin } = res.json() as { reference: string; pin: string };
  const row = await t.database.db.selectFrom('case').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
  return { id: Number(row.id), reference, pin };
}
