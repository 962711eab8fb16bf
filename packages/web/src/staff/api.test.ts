import { describe, expect, it, vi } from 'vitest';

import { retryAfterSeconds } from '../api/client';
import { createStaffApi, CSRF_STORAGE_KEY, sessionLoss, type KeyValueStorage } from './api';
import { DEFAULT_FILTERS } from './queue/filters';

const ME = { id: 7, email: 'ana@halte.example', role: 'analyst', childSafety: false, permissions: ['cases.queue', 'cases.read'] };
const OPENED = { csrfToken: 'csrf-123', expiresAt: '2026-11-27T00:00:00.000Z', idleTimeoutMinutes: 30, staff: ME };

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { readonly map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const apiError = (code: string) => ({ error: { code, message: 'server words, never shown' } });

/** A fetch that answers each call with the next response, and records the calls. */
function replies(...responses: Response[]) {
  const fetch = vi.fn(async (_path: string | URL | Request, _init?: RequestInit) => {
    const next = responses.shift();
    if (next === undefined) throw new Error('no more responses');
    return next;
  });
  return fetch;
}

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return (init?.headers ?? {}) as Record<string, string>;
}

describe('the staff session', () => {
  it('keeps the CSRF token of the login answer in memory and sessionStorage, and sends it on state changes only', async () => {
    const storage = memoryStorage();
    const fetch = replies(json(201, OPENED), json(200, ME), json(204, null));
    const api = createStaffApi({ fetch, storage });
    expect(api.hasCsrfToken()).toBe(false);

    const login = await api.login({ email: 'ana@halte.example', password: 'correct horse battery', code: '123456' });
    expect(login.ok).toBe(true);
    expect(api.hasCsrfToken()).toBe(true);
    expect(storage.map.get(CSRF_STORAGE_KEY)).toBe('csrf-123');
    // the login itself carries no token
    expect(headersOf(fetch.mock.calls[0]?.[1])['x-csrf-token']).toBeUndefined();
    expect(fetch.mock.calls[0]?.[1]?.credentials).toBe('same-origin');

    await api.me();
    expect(fetch.mock.calls[1]?.[1]?.method).toBe('GET');
    expect(headersOf(fetch.mock.calls[1]?.[1])['x-csrf-token']).toBeUndefined();
    expect(fetch.mock.calls[1]?.[1]?.credentials).toBe('same-origin');

    await api.claim(12);
    const [path, init] = fetch.mock.calls[2] ?? [];
    expect(path).toBe('/api/staff/cases/12/claim');
    expect(init?.method).toBe('POST');
    expect(headersOf(init)).toMatchObject({ 'x-csrf-token': 'csrf-123', 'content-type': 'application/json' });
    expect(init?.body).toBe('{}');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('picks the token up again after a reload (a new client on the same sessionStorage)', async () => {
    const storage = memoryStorage({ [CSRF_STORAGE_KEY]: 'kept' });
    const fetch = replies(json(204, null));
    const api = createStaffApi({ fetch, storage });
    expect(api.hasCsrfToken()).toBe(true);
    await api.qualify(3, ['fr-chantage']);
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/staff/cases/3/qualification');
    expect(init?.method).toBe('PUT');
    expect(headersOf(init)['x-csrf-token']).toBe('kept');
    expect(JSON.parse(init?.body as string)).toEqual({ offenceIds: ['fr-chantage'] });
  });

  it('clears the token and tells the listeners on a 401 STAFF_SESSION_REQUIRED', async () => {
    const storage = memoryStorage({ [CSRF_STORAGE_KEY]: 'old' });
    const api = createStaffApi({ fetch: replies(json(401, apiError('STAFF_SESSION_REQUIRED'))), storage });
    const lost = vi.fn();
    api.onSessionLoss(lost);
    const result = await api.caseDetail(5);
    expect(result).toEqual({ ok: false, failure: { kind: 'http', status: 401, code: 'STAFF_SESSION_REQUIRED' } });
    expect(lost).toHaveBeenCalledExactlyOnceWith('ended');
    expect(api.hasCsrfToken()).toBe(false);
    expect(storage.map.has(CSRF_STORAGE_KEY)).toBe(false);
  });

  it('treats a refused CSRF token as a lost session for this tab', async () => {
    const storage = memoryStorage({ [CSRF_STORAGE_KEY]: 'stale' });
    const api = createStaffApi({ fetch: replies(json(403, apiError('CSRF_TOKEN_INVALID'))), storage });
    const lost = vi.fn();
    api.onSessionLoss(lost);
    await api.addNote(5, 'note');
    expect(lost).toHaveBeenCalledExactlyOnceWith('csrf');
    expect(api.hasCsrfToken()).toBe(false);
  });

  it('does not end the session on a wrong login, nor on other refusals', async () => {
    const storage = memoryStorage({ [CSRF_STORAGE_KEY]: 'tok' });
    const api = createStaffApi({ fetch: replies(json(401, apiError('STAFF_LOGIN_FAILED')), json(409, apiError('CASE_ALREADY_ASSIGNED')), json(403, apiError('STAFF_PERMISSION_DENIED'))), storage });
    const lost = vi.fn();
    api.onSessionLoss(lost);
    expect((await api.login({ email: 'a@b.example', password: 'x', code: '000000' })).ok).toBe(false);
    expect((await api.claim(1)).ok).toBe(false);
    expect((await api.statistics()).ok).toBe(false);
    expect(lost).not.toHaveBeenCalled();
    expect(storage.map.get(CSRF_STORAGE_KEY)).toBe('tok');
  });

  it('forgets the token on logout, even when the server cannot be reached', async () => {
    const storage = memoryStorage({ [CSRF_STORAGE_KEY]: 'tok' });
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createStaffApi({ fetch, storage });
    const result = await api.logout(true);
    expect(result).toEqual({ ok: false, failure: { kind: 'network' } });
    expect(fetch.mock.calls[0]).toBeDefined();
    expect(api.hasCsrfToken()).toBe(false);
    expect(storage.map.has(CSRF_STORAGE_KEY)).toBe(false);
  });

  it('calls logout-everywhere with the token', async () => {
    const fetch = replies(json(204, null));
    const api = createStaffApi({ fetch, storage: memoryStorage({ [CSRF_STORAGE_KEY]: 'tok' }) });
    expect((await api.logout(true)).ok).toBe(true);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/staff/logout-everywhere');
    expect(headersOf(fetch.mock.calls[0]?.[1])['x-csrf-token']).toBe('tok');
  });

  it('works without any storage (memory only)', async () => {
    const api = createStaffApi({ fetch: replies(json(201, OPENED)), storage: null });
    await api.login({ email: 'ana@halte.example', password: 'p', code: '123456' });
    expect(api.hasCsrfToken()).toBe(true);
  });

  it('survives a storage that throws', async () => {
    const throwing: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const api = createStaffApi({ fetch: replies(json(201, OPENED), json(204, null)), storage: throwing });
    await api.login({ email: 'ana@halte.example', password: 'p', code: '123456' });
    expect(api.hasCsrfToken()).toBe(true);
    await api.logout();
    expect(api.hasCsrfToken()).toBe(false);
  });
});

describe('answers', () => {
  it('are validated with the contract: a body that does not match is a failure, not data', async () => {
    const api = createStaffApi({ fetch: replies(json(200, { id: 'seven' })), storage: null });
    expect(await api.me()).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
  });

  it('carry Retry-After on a locked login', async () => {
    const api = createStaffApi({ fetch: replies(json(429, apiError('STAFF_LOGIN_LOCKED'), { 'retry-after': '900' })), storage: null });
    expect(await api.login({ email: 'a@b.example', password: 'p', code: '123456' })).toEqual({
      ok: false,
      failure: { kind: 'http', status: 429, code: 'STAFF_LOGIN_LOCKED', retryAfterSeconds: 900 },
    });
  });

  it('time out as a failure value', async () => {
    const fetch = vi.fn(async (_path: string | URL | Request, init?: RequestInit) => {
      await new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
      return json(200, ME);
    });
    const api = createStaffApi({ fetch, storage: null, timeoutMs: 5 });
    expect(await api.me()).toEqual({ ok: false, failure: { kind: 'timeout' } });
  });
});

describe('request paths and bodies', () => {
  it('match the server’s routes', async () => {
    const fetch = vi.fn(async (_path: string | URL | Request, _init?: RequestInit) => json(204, null));
    const api = createStaffApi({ fetch, storage: memoryStorage({ [CSRF_STORAGE_KEY]: 't' }) });
    await api.assign(4, null);
    await api.moveTo(4, 'triaged');
    await api.review(4, 9, 'analyst_verified');
    await api.setDeadline(4, '2026-12-01T10:00:00+01:00');
    await api.disableAccount(2);
    await api.enableAccount(2);
    const calls = fetch.mock.calls.map(([path, init]) => [path, init?.method, init?.body === undefined ? undefined : JSON.parse(init.body as string)]);
    expect(calls).toEqual([
      ['/api/staff/cases/4/assign', 'POST', { staffId: null }],
      ['/api/staff/cases/4/status', 'POST', { to: 'triaged' }],
      ['/api/staff/cases/4/items/9/review', 'POST', { review: 'analyst_verified' }],
      ['/api/staff/cases/4/deadline', 'PUT', { deadlineAt: '2026-12-01T10:00:00+01:00' }],
      ['/api/staff/accounts/2/disable', 'POST', {}],
      ['/api/staff/accounts/2/enable', 'POST', {}],
    ]);
  });

  it('put the queue filters, the audit page and the draft choice in the query', async () => {
    const fetch = vi.fn(async (path: string | URL | Request) => {
      const p = String(path);
      if (p.startsWith('/api/staff/cases?') || p === '/api/staff/cases') return json(200, { cases: [], nextCursor: null });
      if (p.startsWith('/api/staff/audit')) return json(200, { entries: [], nextBefore: null });
      return json(200, { template: 'update', language: 'en', body: 'Hello' });
    });
    const api = createStaffApi({ fetch, storage: null });
    await api.queue({ ...DEFAULT_FILTERS, assignee: 'me' }, '12.3');
    await api.audit({ before: 40, limit: 100 });
    await api.audit();
    const draft = await api.answerDraft(4, 'update', 'en');
    expect(draft.ok && draft.data.body).toBe('Hello');
    expect(fetch.mock.calls.map(([path]) => String(path))).toEqual([
      '/api/staff/cases?status=new%2Ctriaged%2Cin_progress%2Cwaiting&assignee=me&cursor=12.3',
      '/api/staff/audit?before=40&limit=100',
      '/api/staff/audit',
      '/api/staff/cases/4/answer-draft?template=update&language=en',
    ]);
  });
});

describe('the quarantine', () => {
  const QUARANTINE = {
    items: [
      { hashId: 41, caseId: 12, signalType: 'pdq', provenance: 'self_submitted', reason: 'false_positive', quarantinedAt: '2026-12-01T09:00:00.000Z', feedback: { false_positive: 1, blocked: 3 } },
      { hashId: 42, caseId: null, signalType: 'md5', provenance: 'analyst_verified', reason: 'abnormal_matches', quarantinedAt: '2026-12-01T10:00:00.000Z', feedback: {} },
    ],
  };

  it('lists the suspended fingerprints, validated with the contract', async () => {
    const fetch = replies(json(200, QUARANTINE), json(200, { items: [{ hashId: 'x' }] }));
    const api = createStaffApi({ fetch, storage: null });
    const result = await api.quarantine();
    expect(result.ok && result.data.items.map((item) => item.hashId)).toEqual([41, 42]);
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/staff/bank/quarantine');
    expect(fetch.mock.calls[0]?.[1]?.method).toBe('GET');
    expect(await api.quarantine()).toEqual({ ok: false, failure: { kind: 'unexpected-response', status: 200 } });
  });

  it('sends a decision with the CSRF token, and gives back HASH_NOT_FOUND as a failure', async () => {
    const fetch = replies(json(204, null), json(204, null), json(404, apiError('HASH_NOT_FOUND')));
    const api = createStaffApi({ fetch, storage: memoryStorage({ [CSRF_STORAGE_KEY]: 'tok' }) });
    const lost = vi.fn();
    api.onSessionLoss(lost);
    expect((await api.reviewHash(41, 'restore')).ok).toBe(true);
    expect((await api.reviewHash(42, 'reject')).ok).toBe(true);
    expect(await api.reviewHash(43, 'reject')).toEqual({ ok: false, failure: { kind: 'http', status: 404, code: 'HASH_NOT_FOUND' } });
    const calls = fetch.mock.calls.map(([path, init]) => [path, init?.method, headersOf(init)['x-csrf-token'], JSON.parse(init?.body as string)]);
    expect(calls).toEqual([
      ['/api/staff/bank/hashes/41/review', 'POST', 'tok', { decision: 'restore' }],
      ['/api/staff/bank/hashes/42/review', 'POST', 'tok', { decision: 'reject' }],
      ['/api/staff/bank/hashes/43/review', 'POST', 'tok', { decision: 'reject' }],
    ]);
    // a fingerprint decided meanwhile is not a lost session
    expect(lost).not.toHaveBeenCalled();
    expect(api.hasCsrfToken()).toBe(true);
  });
});

describe('sessionLoss', () => {
  it('reads a 401 without a readable body as an ended session', () => {
    expect(sessionLoss({ kind: 'http', status: 401, code: null })).toBe('ended');
    expect(sessionLoss({ kind: 'http', status: 401, code: 'STAFF_LOGIN_FAILED' })).toBeNull();
    expect(sessionLoss({ kind: 'network' })).toBeNull();
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds or an HTTP date', () => {
    const now = new Date('2026-11-26T12:00:00.000Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds(' 5 ', now)).toBe(5);
    expect(retryAfterSeconds('Thu, 26 Nov 2026 12:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds('Thu, 26 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });
});
