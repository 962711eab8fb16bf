// The typed HTTP client of the public app. Request and response shapes come from @halte/contract;
// every failure becomes an ApiFailure (never a thrown error), which errors.ts turns into words.
import {
  ApiError,
  OrientationResponse,
  ReportCreated,
  type ErrorCode,
  type OrientationRequest,
  type ReportRequest,
} from '@halte/contract';

/** The part of a zod schema the client uses (the app does not depend on zod directly). */
export interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export type ApiFailure =
  /** the server answered with an error status; `code` is null when the body is not an ApiError */
  | { readonly kind: 'http'; readonly status: number; readonly code: ErrorCode | null }
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

async function request<T>(path: string, init: RequestInit, schema: Schema<T>, options: ClientOptions): Promise<ApiResult<T>> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  let response: Response;
  try {
    response = await doFetch(path, {
      ...init,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const name = error instanceof DOMException || error instanceof Error ? error.name : '';
    return { ok: false, failure: name === 'TimeoutError' || name === 'AbortError' ? { kind: 'timeout' } : { kind: 'network' } };
  }
  let body: unknown = undefined;
  try {
    body = await response.json();
  } catch {
    // An empty or non-JSON body (a proxy's HTML error page): handled below by status.
  }
  if (!response.ok) {
    const parsed = ApiError.safeParse(body);
    return { ok: false, failure: { kind: 'http', status: response.status, code: parsed.success ? parsed.data.error.code : null } };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, failure: { kind: 'unexpected-response', status: response.status } };
  return { ok: true, status: response.status, data: parsed.data };
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

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

/** Anything the server answers on success: the follow-up screens come with the server side. */
const AnyBody: Schema<unknown> = { safeParse: (input) => ({ success: true, data: input }) };

/** `POST /api/followup/session` with `{reference, pin}` (the server side arrives with issue 4). */
export function openFollowUpSession(credentials: FollowUpCredentials, options: ClientOptions = {}): Promise<ApiResult<unknown>> {
  return request(
    '/api/followup/session',
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ reference: credentials.reference, pin: credentials.pin }) },
    AnyBody,
    options,
  );
}
