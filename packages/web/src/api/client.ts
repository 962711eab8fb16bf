// The typed HTTP client of the public app. Request and response shapes come from @halte/contract;
// every failure becomes an ApiFailure (never a thrown error), which errors.ts turns into words.
import {
  ApiError,
  FollowupView,
  OrientationResponse,
  ReportCreated,
  type ErrorCode,
  type OrientationRequest,
  type ReportItem,
  type ReportRequest,
} from '@halte/contract';

/** The part of a zod schema the client uses (the app does not depend on zod directly). */
export interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export type ApiFailure =
  /**
   * the server answered with an error status; `code` is null when the body is not an ApiError;
   * `retryAfterSeconds` when it said how long to wait (Retry-After: a lock, a rate limit)
   */
  | { readonly kind: 'http'; readonly status: number; readonly code: ErrorCode | null; readonly retryAfterSeconds?: number }
  /** no answer: offline, DNS, connection reset… */
  | { readonly kind: 'network' }
  | { readonly kind: 'timeout' }
  /** a success status whose body does not match the contract */
  | { readonly kind: 'unexpected-response'; readonly status: number };

export type ApiResult<T> = { readonly ok: true; readonly status: number; readonly data: T } | { readonly ok: false; readonly failure: ApiFailure };

/** A slow phone network must not hang the page forever; the person can retry. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Sends the request: the Response, or the failure when there is no answer at all. */
async function send(path: string, init: RequestInit, options: ClientOptions): Promise<Response | ApiFailure> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  try {
    return await doFetch(path, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const name = error instanceof DOMException || error instanceof Error ? error.name : '';
    return name === 'TimeoutError' || name === 'AbortError' ? { kind: 'timeout' } : { kind: 'network' };
  }
}

function isFailure(value: Response | ApiFailure): value is ApiFailure {
  return 'kind' in value;
}

/**
 * Retry-After in whole seconds (RFC 9110: a number of seconds, or an HTTP date), null when absent or
 * unreadable. A date in the past is 0.
 */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

async function httpFailure(response: Response): Promise<ApiFailure> {
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // An empty or non-JSON body (a proxy's HTML error page): handled by status.
  }
  const parsed = ApiError.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : null;
  const wait = retryAfterSeconds(response.headers.get('retry-after'));
  return wait === null ? { kind: 'http', status: response.status, code } : { kind: 'http', status: response.status, code, retryAfterSeconds: wait };
}

/**
 * Sends a request and reads the answer with `schema`; every failure comes back as a value. Shared with
 * the staff area's client (src/staff/api.ts), which adds its session handling around it.
 */
export async function request<T>(path: string, init: RequestInit, schema: Schema<T>, options: ClientOptions): Promise<ApiResult<T>> {
  const response = await send(path, init, options);
  if (isFailure(response)) return { ok: false, failure: response };
  if (!response.ok) return { ok: false, failure: await httpFailure(response) };
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // An empty or non-JSON body: the schema decides whether that is acceptable.
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, failure: { kind: 'unexpected-response', status: response.status } };
  return { ok: true, status: response.status, data: parsed.data };
}

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * `POST /api/reports`. The same `idempotencyKey` with the same body returns the first answer again
 * instead of creating a second case: reuse it when retrying (see idempotency.ts).
 */
export function createReport(body: ReportRequest, idempotencyKey: string, options: ClientOptions = {}): Promise<ApiResult<ReportCreated>> {
  return request(
    '/api/reports',
    { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': idempotencyKey }, body: JSON.stringify(body) },
    ReportCreated,
    options,
  );
}

/** The query string of `GET /api/orientation` (situations comma-separated, in the given order). */
export function orientationQuery(query: OrientationRequest): string {
  const params = new URLSearchParams({
    situations: query.situations.join(','),
    age: query.age,
    country: query.country,
    danger: String(query.danger),
  });
  return params.toString();
}

export function getOrientation(query: OrientationRequest, options: ClientOptions = {}): Promise<ApiResult<OrientationResponse>> {
  return request(`/api/orientation?${orientationQuery(query)}`, { method: 'GET', headers: { accept: 'application/json' } }, OrientationResponse, options);
}

export interface FollowUpCredentials {
  readonly reference: string;
  readonly pin: string;
}

/** Anything the server answers on success (the answers below carry nothing the page needs). */
export const AnyBody: Schema<unknown> = { safeParse: (input) => ({ success: true, data: input }) };

/** `POST /api/followup/session` with `{reference, pin}`: the server sets the HttpOnly session cookie. */
export function openFollowUpSession(credentials: FollowUpCredentials, options: ClientOptions = {}): Promise<ApiResult<unknown>> {
  return request(
    '/api/followup/session',
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ reference: credentials.reference, pin: credentials.pin }) },
    AnyBody,
    options,
  );
}

/** `GET /api/followup`: the case as the person may see it (SESSION_REQUIRED once the session is gone). */
export function getFollowUp(options: ClientOptions = {}): Promise<ApiResult<FollowupView>> {
  return request('/api/followup', { method: 'GET', headers: { accept: 'application/json' } }, FollowupView, options);
}

/** What `POST /api/followup/items` answers: the same warnings as a report's (item = index in the request). */
export const ItemsAdded = ReportCreated.pick({ warnings: true });
export type ItemsAdded = { readonly warnings: ReportCreated['warnings'] };

export function addFollowUpItems(items: readonly ReportItem[], options: ClientOptions = {}): Promise<ApiResult<ItemsAdded>> {
  return request('/api/followup/items', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ items }) }, ItemsAdded, options);
}

export function sendFollowUpMessage(body: string, options: ClientOptions = {}): Promise<ApiResult<unknown>> {
  return request('/api/followup/messages', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ body }) }, AnyBody, options);
}

/** `POST /api/followup/withdraw`: erases the personal data and ends every session of the case. */
export function withdrawCase(options: ClientOptions = {}): Promise<ApiResult<unknown>> {
  // An empty JSON object: the server reads no body, but an empty one under a JSON content type is refused.
  return request('/api/followup/withdraw', { method: 'POST', headers: JSON_HEADERS, body: '{}' }, AnyBody, options);
}

/** `DELETE /api/followup/session` (no body, so no content type: an empty JSON body is refused). */
export function closeFollowUpSession(options: ClientOptions = {}): Promise<ApiResult<unknown>> {
  return request('/api/followup/session', { method: 'DELETE', headers: { accept: 'application/json' } }, AnyBody, options);
}

/**
 * `GET /api/followup/export`: everything Halte holds about the case, as the JSON text the server wrote
 * (saved as it came: the file holds what the server answered, nothing added or dropped).
 */
export async function exportFollowUp(options: ClientOptions = {}): Promise<ApiResult<string>> {
  const response = await send('/api/followup/export', { method: 'GET', headers: { accept: 'application/json' } }, options);
  if (isFailure(response)) return { ok: false, failure: response };
  if (!response.ok) return { ok: false, failure: await httpFailure(response) };
  let text: string;
  try {
    text = await response.text();
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
  } catch {
    return { ok: false, failure: { kind: 'unexpected-response', status: response.status } };
  }
  return { ok: true, status: response.status, data: text };
}
