import { ERROR_CODES, type ErrorCode, type ReportRequest } from '@halte/contract';
import { describe, expect, it, vi } from 'vitest';

import { CATALOGUES } from '../i18n/catalogues';
import { createReport, getOrientation, openFollowUpSession, orientationQuery, type ApiFailure } from './client';
import { failureMessages, type Operation } from './errors';

const BODY: ReportRequest = {
  situations: ['sextortion'],
  ageGroup: 'minor',
  madeWhenMinor: true,
  country: 'FR',
  immediateDanger: false,
  items: [{ kind: 'url', url: 'https://example.com/a' }],
  consents: { shareWithPartners: true, contactMe: false },
};

const CREATED = { reference: 'HLT-4K7P-Q2M9-XC3D', pin: '12345678', warnings: [], orientation: [] };

function reply(status: number, body: unknown, raw = false): typeof fetch {
  return vi.fn(async () => new Response(raw ? (body as string) : JSON.stringify(body), { status, headers: { 'content-type': raw ? 'text/html' : 'application/json' } }));
}

function apiError(code: string) {
  return { error: { code, message: 'server words, never shown' } };
}

describe('createReport', () => {
  it('posts the JSON body with the Idempotency-Key and reads the 201', async () => {
    const fetch = reply(201, CREATED);
    const result = await createReport(BODY, 'key-0123456789', { fetch });
    expect(result).toEqual({ ok: true, status: 201, data: CREATED });
    const [path, init] = vi.mocked(fetch).mock.calls[0] ?? [];
    expect(path).toBe('/api/reports');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': 'key-0123456789' });
    expect(JSON.parse(init?.body as string)).toEqual(BODY);
  });

  it('turns an error body into its code', async () => {
    const result = await createReport(BODY, 'k'.repeat(10), { fetch: reply(400, apiError('VALIDATION_FAILED')) });
    expect(result).toEqual({ ok: false, failure: { kind: 'http', status: 400, code: 'VALIDATION_FAILED' } });
  });

  it('keeps the status when the error body is not the API’s (a proxy page, an unknown code)', async () => {
    expect(await createReport(BODY, 'k'.repeat(10), { fetch: reply(502, '<html>Bad gateway</html>', true) })).toEqual({
      ok: false,
      failure: { kind: 'http', status: 502, code: null },
    });
    expect(await createReport(BODY, 'k'.repeat(10), { fetch: reply(418, apiError('TEAPOT')) })).toEqual({ ok: false, failure: { kind: 'http', status: 418, code: null } });
  });

  it('says when a success answer does not match the contract', async () => {
    const result = await createReport(BODY, 'k'.repeat(10), { fetch: reply(201, { reference: 'HLT-x' }) });
    expect(result).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 201 } });
  });

  it('tells a lost connection from a timeout', async () => {
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await createReport(BODY, 'k'.repeat(10), { fetch: offline })).toEqual({ ok: false, failure: { kind: 'network' } });
    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    expect(await createReport(BODY, 'k'.repeat(10), { fetch: slow, timeoutMs: 20 })).toEqual({ ok: false, failure: { kind: 'timeout' } });
  });
});

describe('orientation and follow-up requests', () => {
  it('builds the orientation query the server reads', () => {
    expect(orientationQuery({ situations: ['sextortion', 'immediate_danger'], age: 'minor', country: 'BE', danger: true })).toBe(
      'situations=sextortion%2Cimmediate_danger&age=minor&country=BE&danger=true',
    );
    expect(orientationQuery({ situations: [], age: 'adult', country: 'other', danger: false })).toBe('situations=&age=adult&country=other&danger=false');
  });

  it('validates the orientation answer with the contract', async () => {
    const result = await getOrientation({ situations: [], age: 'adult', country: 'FR', danger: false }, { fetch: reply(200, { services: [] }) });
    expect(result).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
  });

  it('posts reference and PIN to open the follow-up', async () => {
    const fetch = reply(201, { expiresAt: '2026-11-26T18:30:00.000Z' });
    const result = await openFollowUpSession({ reference: 'HLT-4K7P-Q2M9-XC3D', pin: '12345678' }, { fetch });
    expect(result.ok).toBe(true);
    const [path, init] = vi.mocked(fetch).mock.calls[0] ?? [];
    expect(path).toBe('/api/followup/session');
    expect(JSON.parse(init?.body as string)).toEqual({ reference: 'HLT-4K7P-Q2M9-XC3D', pin: '12345678' });
  });
});

describe('failureMessages', () => {
  const http = (status: number, code: ErrorCode | null): ApiFailure => ({ kind: 'http', status, code });

  it('has words in both languages for every error code of the contract, for every operation', () => {
    const operations: Operation[] = ['report', 'orientation', 'followup'];
    for (const operation of operations) {
      for (const code of ERROR_CODES) {
        const lines = failureMessages(http(400, code), operation);
        expect(lines.length).toBeGreaterThan(0);
        for (const key of lines) {
          expect(CATALOGUES.fr[key]).toBeTruthy();
          expect(CATALOGUES.en[key]).toBeTruthy();
        }
      }
    }
  });

  it('words each code for what the person was doing', () => {
    expect(failureMessages(http(503, 'UNAVAILABLE'), 'report')).toEqual(['error.unavailable', 'error.kept']);
    expect(failureMessages(http(500, 'INTERNAL_ERROR'), 'report')).toEqual(['error.internal', 'error.kept']);
    expect(failureMessages(http(413, 'PAYLOAD_TOO_LARGE'), 'report')).toEqual(['error.tooLarge', 'error.kept']);
    expect(failureMessages(http(429, 'RATE_LIMITED'), 'report')).toEqual(['error.rateLimited', 'error.kept']);
    expect(failureMessages(http(422, 'IDEMPOTENCY_KEY_REUSED'), 'report')).toEqual(['error.idempotency', 'error.kept']);
    expect(failureMessages(http(400, 'VALIDATION_FAILED'), 'report')).toEqual(['error.validation', 'error.kept']);
    expect(failureMessages(http(404, 'NOT_FOUND'), 'report')).toEqual(['error.notFound', 'error.kept']);
    expect(failureMessages(http(401, 'FOLLOWUP_LOGIN_FAILED'), 'followup')).toEqual(['error.followupNotRecognised']);
    expect(failureMessages(http(429, 'FOLLOWUP_LOCKED'), 'followup')).toEqual(['error.followupLocked']);
    expect(failureMessages(http(401, 'SESSION_REQUIRED'), 'followup')).toEqual(['error.sessionRequired']);
    expect(failureMessages(http(409, 'CASE_WITHDRAWN'), 'followup')).toEqual(['error.caseWithdrawn']);
    expect(failureMessages(http(403, 'FORBIDDEN'), 'followup')).toEqual(['error.forbidden']);
    // a malformed reference or PIN reads like a wrong one: never say which of the two was wrong
    expect(failureMessages(http(400, 'VALIDATION_FAILED'), 'followup')).toEqual(['error.followupNotRecognised']);
    // the help page always reminds the emergency numbers when it cannot list the services
    expect(failureMessages(http(503, 'UNAVAILABLE'), 'orientation')).toEqual(['error.unavailable', 'error.emergencyReminder']);
  });

  it('falls back on the status when the code is unknown', () => {
    expect(failureMessages(http(502, null), 'report')[0]).toBe('error.unavailable');
    expect(failureMessages(http(500, null), 'report')[0]).toBe('error.internal');
    expect(failureMessages(http(429, null), 'report')[0]).toBe('error.rateLimited');
    expect(failureMessages(http(413, null), 'report')[0]).toBe('error.tooLarge');
    expect(failureMessages(http(401, null), 'followup')[0]).toBe('error.followupNotRecognised');
    expect(failureMessages(http(404, null), 'orientation')[0]).toBe('error.notFound');
    expect(failureMessages(http(418, null), 'orientation')[0]).toBe('error.unexpected');
  });

  it('keeps the answers and offers a safe retry when a created report cannot be read', () => {
    expect(failureMessages({ kind: 'network' }, 'report')).toEqual(['error.network', 'error.kept']);
    expect(failureMessages({ kind: 'timeout' }, 'report')).toEqual(['error.timeout', 'error.kept']);
    expect(failureMessages({ kind: 'unexpected-response', status: 201 }, 'report')).toEqual(['error.reportUnreadable', 'error.kept']);
    expect(failureMessages({ kind: 'unexpected-response', status: 200 }, 'orientation')[0]).toBe('error.unexpected');
  });
});
