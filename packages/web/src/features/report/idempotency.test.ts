import type { ReportRequest } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { randomKey, submissionFor } from './idempotency';

const BODY: ReportRequest = {
  situations: ['sextortion'],
  ageGroup: 'adult',
  madeWhenMinor: false,
  country: 'BE',
  immediateDanger: false,
  items: [],
  consents: { shareWithPartners: false, contactMe: false },
};

describe('Idempotency-Key', () => {
  it('is reused when the same report is sent again (a retry)', () => {
    const first = submissionFor(BODY, null);
    const retry = submissionFor({ ...BODY }, first);
    expect(retry.key).toBe(first.key);
  });

  it('is new when the answers changed (the server would refuse the old key with another body)', () => {
    const first = submissionFor(BODY, null);
    const changed = submissionFor({ ...BODY, country: 'FR' }, first);
    expect(changed.key).not.toBe(first.key);
  });

  it('is a random UUID the server accepts', () => {
    const keys = new Set(Array.from({ length: 200 }, () => randomKey()));
    expect(keys.size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // packages/server/src/modules/reports/routes.ts IDEMPOTENCY_KEY
      expect(key).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    }
  });
});
