import { ERROR_CODES, type ErrorCode, type ReportRequest } from '@halte/contract';
import { describe, expect, it, vi } from 'vitest';

import { CATALOGUES } from '../i18n/catalogues';
import {
  addFollowUpItems,
  closeFollowUpSession,
  createReport,
  exportFollowUp,
  getFollowUp,
  getOrientation,
  openFollowUpSession,
  orientationQuery,
  sendFollowUpMessage,
  withdrawCase,
  type ApiFailure,
} from './client';
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

const VIEW = {
  reference: 'HLT-4K7P-Q2M9-XC3D',
  status: 'new',
  createdAt: '2026-03-01T10:00:00.000Z',
  situations: ['sextortion'],
  items: [{ id: 1, kind: 'url', quality: null, lowQuality: false, url: 'https://example.com/a', withdrawn: false, addedAt: '2026-03-01T10:00:00.000Z', takedown: null }],
  timeline: [{ kind: 'report_received', at: '2026-03-01T10:00:00.000Z', data: { images: 0, videos: 0, urls: 1 } }],
  messages: [],
  withdrawal: null,
};

describe('inside the follow-up', () => {
  const call = (fetch: typeof globalThis.fetch) => vi.mocked(fetch).mock.calls[0] ?? [];

  it('reads the case with the contract, and tells a missing session', async () => {
    expect(await getFollowUp({ fetch: reply(200, VIEW) })).toEqual({ ok: true, status: 200, data: VIEW });
    // after a withdrawal: how many partner platforms applied it, and a blocked re-upload in the timeline
    const withdrawn = {
      ...VIEW,
      status: 'withdrawn',
      withdrawal: { appliedBy: 1, partners: 2 },
      timeline: [...VIEW.timeline, { kind: 'reupload_blocked', at: '2026-03-02T10:00:00.000Z', data: { outcome: 'blocked', partner: null, count: 2 } }],
    };
    expect(await getFollowUp({ fetch: reply(200, withdrawn) })).toEqual({ ok: true, status: 200, data: withdrawn });
    expect(await getFollowUp({ fetch: reply(200, { ...VIEW, status: 'lost' }) })).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
    // a link's removal step; an item from a server that predates takedowns reads as "nothing yet"
    const notified = { ...VIEW, items: [{ ...VIEW.items[0], takedown: { state: 'notice_sent', host: 'Instagram', since: '2026-03-02T10:00:00.000Z' } }] };
    expect(await getFollowUp({ fetch: reply(200, notified) })).toEqual({ ok: true, status: 200, data: notified });
    const { takedown: _none, ...older } = VIEW.items[0] as (typeof VIEW.items)[number];
    expect(await getFollowUp({ fetch: reply(200, { ...VIEW, items: [older] }) })).toEqual({ ok: true, status: 200, data: VIEW });
    expect(await getFollowUp({ fetch: reply(401, apiError('SESSION_REQUIRED')) })).toEqual({ ok: false, failure: { kind: 'http', status: 401, code: 'SESSION_REQUIRED' } });
  });

  it('posts items and messages as JSON, and reads the items’ warnings', async () => {
    const fetch = reply(201, { warnings: [{ code: 'IMAGE_TOO_UNIFORM', item: 0 }] });
    const items = [{ kind: 'url' as const, url: 'https://example.com/b' }];
    expect(await addFollowUpItems(items, { fetch })).toEqual({ ok: true, status: 201, data: { warnings: [{ code: 'IMAGE_TOO_UNIFORM', item: 0 }] } });
    const [path, init] = call(fetch);
    expect([path, init?.method, JSON.parse(init?.body as string)]).toEqual(['/api/followup/items', 'POST', { items }]);
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json' });

    const message = reply(201, {});
    expect((await sendFollowUpMessage('Bonjour', { fetch: message })).ok).toBe(true);
    expect(JSON.parse(call(message)[1]?.body as string)).toEqual({ body: 'Bonjour' });
    expect(await sendFollowUpMessage('x', { fetch: reply(409, apiError('CASE_WITHDRAWN')) })).toEqual({ ok: false, failure: { kind: 'http', status: 409, code: 'CASE_WITHDRAWN' } });
  });

  it('withdraws with an empty JSON object, and closes with a bodiless DELETE', async () => {
    const withdraw = reply(200, { status: 'withdrawn' });
    expect((await withdrawCase({ fetch: withdraw })).ok).toBe(true);
    expect([call(withdraw)[0], call(withdraw)[1]?.method, call(withdraw)[1]?.body]).toEqual(['/api/followup/withdraw', 'POST', '{}']);

    const close = vi.fn(async () => new Response(null, { status: 204 }));
    expect(await closeFollowUpSession({ fetch: close })).toEqual({ ok: true, status: 204, data: undefined });
    const [path, init] = call(close);
    expect([path, init?.method, init?.body, init?.credentials]).toEqual(['/api/followup/session', 'DELETE', undefined, 'same-origin']);
    expect(init?.headers).not.toHaveProperty('content-type');
  });

  it('gives the export as the server wrote it, and refuses what is not a JSON object', async () => {
    const text = '{"reference":"HLT-4K7P-Q2M9-XC3D","fingerprints":[]}';
    expect(await exportFollowUp({ fetch: reply(200, text, true) })).toEqual({ ok: true, status: 200, data: text });
    expect(await exportFollowUp({ fetch: reply(200, '<html>proxy</html>', true) })).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
    expect(await exportFollowUp({ fetch: reply(200, '[1,2]', true) })).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
    expect(await exportFollowUp({ fetch: reply(401, apiError('SESSION_REQUIRED')) })).toEqual({ ok: false, failure: { kind: 'http', status: 401, code: 'SESSION_REQUIRED' } });
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await exportFollowUp({ fetch: offline })).toEqual({ ok: false, failure: { kind: 'network' } });
  });
});

describe('failureMessages', () => {
  const http = (status: number, code: ErrorCode | null): ApiFailure => ({ kind: 'http', status, code });

  it('has words in both languages for every error code of the contract, for every operation', () => {
    const operations: Operation[] = ['report', 'orientation', 'followup', 'case'];
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
    // inside an open case, a refused message or item is a refused answer, not a wrong PIN
    expect(failureMessages(http(400, 'VALIDATION_FAILED'), 'case')).toEqual(['error.validation']);
    expect(failureMessages(http(409, 'CASE_WITHDRAWN'), 'case')).toEqual(['error.caseWithdrawn']);
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
