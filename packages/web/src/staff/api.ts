// The staff area's HTTP client: the public client's `request` (JSON, timeout, same-origin credentials,
// answers validated with the contract's schemas, failures as values) plus the staff session:
// - the CSRF token, given only in the login answer, is kept in memory and in sessionStorage (a reload
//   of the tab keeps working; another tab logs in on its own) and sent as `x-csrf-token` on every
//   state-changing request;
// - a 401 STAFF_SESSION_REQUIRED (idle 30 min, expired, logged out elsewhere, account disabled) or a
//   refused CSRF token clears it and tells the listeners, which show the login form.
import {
  AnswerDraft,
  AnswerSent,
  AssigneeList,
  NoteAdded,
  AuditPage,
  CaseDetail,
  CaseTakedowns,
  DueList,
  HostDirectory,
  HostEntryView,
  HostReplyAdded,
  NoticeCreated,
  NoticeOutcomeAnswer,
  NoticePreviews,
  NoticesCreated,
  EnrolmentDone,
  EnrolmentLink,
  EnrolmentTotp,
  QuarantineList,
  QueuePage,
  Settings,
  StaffAccountChanged,
  StaffAccountList,
  StaffMe,
  StaffSessionOpened,
  Statistics,
  type AnswerTemplate,
  type CaseStatus,
  type CreateStaffRequest,
  type EscalationTarget,
  type HostEntryInput,
  type NoticeRequest,
  type TakedownState,
  type ItemReview,
  type Language,
  type QuarantineDecision,
  type EnrolmentTotp as EnrolmentTotpData,
  type StaffAccount,
  type StaffLoginRequest,
} from '@halte/contract';

import { AnyBody, JSON_HEADERS, request, type ApiFailure, type ApiResult, type ClientOptions, type Schema } from '../api/client';
import { queueSearch, type QueueFilters } from './queue/filters';

export type { ApiFailure, ApiResult, EnrolmentTotpData, StaffAccount };

/** What a contract schema parses to (the app does not import zod itself). */
export type Parsed<S extends { parse: (input: unknown) => unknown }> = ReturnType<S['parse']>;

export const CSRF_STORAGE_KEY = 'halte.staff.csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The part of Storage the client uses (sessionStorage in the browser, a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Why the session is gone: ended on the server (idle, expired, elsewhere), or this tab lacks its token. */
export type SessionLoss = 'ended' | 'csrf';

export interface StaffApiOptions extends ClientOptions {
  /** null: memory only; default: the tab's sessionStorage when the browser gives one */
  readonly storage?: KeyValueStorage | null;
}

function browserSessionStorage(): KeyValueStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // storage disabled by the browser's settings: memory only
    return null;
  }
}

/** Whether a failure means the session is gone. A 401 without a readable body counts (a proxy in between). */
export function sessionLoss(failure: ApiFailure): SessionLoss | null {
  if (failure.kind !== 'http') return null;
  if (failure.code === 'STAFF_SESSION_REQUIRED' || (failure.code === null && failure.status === 401)) return 'ended';
  if (failure.code === 'CSRF_TOKEN_INVALID') return 'csrf';
  return null;
}

const NoContent: Schema<unknown> = AnyBody;

export type EnrolmentLink = Parsed<typeof EnrolmentLink>;
export type Assignee = Parsed<typeof AssigneeList>['accounts'][number];
export type { AnswerSent };
export type QuarantinedHash = Parsed<typeof QuarantineList>['items'][number];

type Method = 'GET' | 'POST' | 'PUT';

export function createStaffApi(options: StaffApiOptions = {}) {
  const storage = options.storage === undefined ? browserSessionStorage() : options.storage;
  const client: ClientOptions = {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const listeners = new Set<(loss: SessionLoss) => void>();

  let csrfToken: string | null = null;
  try {
    csrfToken = storage?.getItem(CSRF_STORAGE_KEY) ?? null;
  } catch {
    csrfToken = null;
  }

  function keepToken(token: string): void {
    csrfToken = token;
    try {
      storage?.setItem(CSRF_STORAGE_KEY, token);
    } catch {
      // storage full or refused: the token stays in memory for this page
    }
  }

  function forgetToken(): void {
    csrfToken = null;
    try {
      storage?.removeItem(CSRF_STORAGE_KEY);
    } catch {
      // nothing to do: memory is cleared
    }
  }

  /** A request inside the session: CSRF header on state changes, the session's end noticed. */
  async function call<T>(method: Method, path: string, schema: Schema<T>, body?: unknown): Promise<ApiResult<T>> {
    const headers: Record<string, string> = method === 'GET' ? { accept: 'application/json' } : { ...JSON_HEADERS };
    if (method !== 'GET' && csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
    const init: RequestInit = { method, headers };
    // A POST without a body still sends "{}": the server refuses an empty body under a JSON content type.
    if (method !== 'GET') init.body = JSON.stringify(body ?? {});
    const result = await request(path, init, schema, client);
    if (!result.ok) {
      const loss = sessionLoss(result.failure);
      if (loss !== null) {
        forgetToken();
        for (const listener of [...listeners]) listener(loss);
      }
    }
    return result;
  }

  /** Requests outside a session (login, enrolment): no CSRF header, and a 401 is only a wrong answer. */
  function open<T>(path: string, schema: Schema<T>, body: unknown): Promise<ApiResult<T>> {
    return request(path, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) }, schema, client);
  }

  const casePath = (id: number) => `/api/staff/cases/${encodeURIComponent(String(id))}`;

  return {
    /** Whether this tab holds a CSRF token (without one, only a new login lets it change anything). */
    hasCsrfToken: (): boolean => csrfToken !== null,

    /** Called when the session is gone; returns the unsubscribe function. */
    onSessionLoss(listener: (loss: SessionLoss) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async login(body: StaffLoginRequest): Promise<ApiResult<Parsed<typeof StaffSessionOpened>>> {
      const result = await open('/api/staff/session', StaffSessionOpened, body);
      if (result.ok) keepToken(result.data.csrfToken);
      return result;
    },

    me: () => call('GET', '/api/staff/me', StaffMe),

    /** Ends this session on the server; the token is forgotten whatever the answer. */
    async logout(everywhere = false): Promise<ApiResult<unknown>> {
      const result = await call('POST', everywhere ? '/api/staff/logout-everywhere' : '/api/staff/logout', NoContent);
      forgetToken();
      return result;
    },

    enrolPassword: (token: string, password: string) => open('/api/staff/enrolment/password', EnrolmentTotp, { token, password }),
    enrolTotp: (token: string, code: string) => open('/api/staff/enrolment/totp', EnrolmentDone, { token, code }),

    accounts: () => call('GET', '/api/staff/accounts', StaffAccountList),
    createAccount: (body: CreateStaffRequest) => call('POST', '/api/staff/accounts', EnrolmentLink, body),
    disableAccount: (id: number) => call('POST', `/api/staff/accounts/${id}/disable`, StaffAccountChanged),
    enableAccount: (id: number) => call('POST', `/api/staff/accounts/${id}/enable`, StaffAccountChanged),
    newEnrolmentLink: (id: number) => call('POST', `/api/staff/accounts/${id}/enrolment-link`, EnrolmentLink),

    audit(page: { readonly before?: number | null; readonly limit?: number } = {}) {
      const params = new URLSearchParams();
      if (page.before !== undefined && page.before !== null) params.set('before', String(page.before));
      if (page.limit !== undefined) params.set('limit', String(page.limit));
      const query = params.toString();
      return call('GET', `/api/staff/audit${query === '' ? '' : `?${query}`}`, AuditPage);
    },

    queue(filters: QueueFilters, cursor: string | null = null, limit?: number) {
      const query = queueSearch(filters, cursor, limit);
      return call('GET', `/api/staff/cases${query === '' ? '' : `?${query}`}`, QueuePage);
    },

    caseDetail: (id: number) => call('GET', casePath(id), CaseDetail),
    claim: (id: number) => call('POST', `${casePath(id)}/claim`, NoContent),
    assign: (id: number, staffId: number | null) => call('POST', `${casePath(id)}/assign`, NoContent, { staffId }),
    moveTo: (id: number, to: CaseStatus) => call('POST', `${casePath(id)}/status`, NoContent, { to }),
    qualify: (id: number, offenceIds: readonly string[]) => call('PUT', `${casePath(id)}/qualification`, NoContent, { offenceIds }),
    addNote: (id: number, body: string) => call('POST', `${casePath(id)}/notes`, NoteAdded, { body }),
    review: (id: number, itemId: number, review: Exclude<ItemReview, 'self_submitted'>) => call('POST', `${casePath(id)}/items/${itemId}/review`, NoContent, { review }),
    setDeadline: (id: number, deadlineAt: string | null) => call('PUT', `${casePath(id)}/deadline`, NoContent, { deadlineAt }),
    answerDraft(id: number, template: AnswerTemplate, language: Language) {
      const query = new URLSearchParams({ template, language }).toString();
      return call('GET', `${casePath(id)}/answer-draft?${query}`, AnswerDraft);
    },
    sendAnswer: (id: number, body: string) => call('POST', `${casePath(id)}/answer`, AnswerSent, { body }),

    assignees: () => call('GET', '/api/staff/assignees', AssigneeList),
    statistics: () => call('GET', '/api/staff/statistics', Statistics),
    settings: () => call('GET', '/api/staff/settings', Settings),
    saveSettings: (settings: Partial<Parsed<typeof Settings>>) => call('PUT', '/api/staff/settings', Settings, settings),

    // takedown notices: a case's links, its notices, the due list, the host directory
    takedowns: (id: number) => call('GET', `${casePath(id)}/takedowns`, CaseTakedowns),
    previewNotices: (id: number, body: NoticeRequest) => call('POST', `${casePath(id)}/notices/preview`, NoticePreviews, body),
    createNotices: (id: number, body: NoticeRequest) => call('POST', `${casePath(id)}/notices`, NoticesCreated, body),
    noticeOutcome: (id: number, noticeId: number, outcome: 'submitted' | 'sent' | 'cancelled' | 'resend') =>
      call('POST', `${casePath(id)}/notices/${encodeURIComponent(String(noticeId))}/outcome`, NoticeOutcomeAnswer, { outcome }),
    noticePdfHref: (id: number, noticeId: number) => `${casePath(id)}/notices/${encodeURIComponent(String(noticeId))}/pdf`,
    moveTakedowns: (id: number, itemIds: readonly number[], to: TakedownState) => call('POST', `${casePath(id)}/takedowns/move`, NoContent, { itemIds, to }),
    escalate: (id: number, itemIds: readonly number[], target: EscalationTarget) => call('POST', `${casePath(id)}/takedowns/escalate`, NoticeCreated, { itemIds, target }),
    addReply: (id: number, body: { itemIds: readonly number[]; body: string; receivedAt: string; outcome: 'acknowledged' | 'removed' | 'refused' | null }) =>
      call('POST', `${casePath(id)}/takedowns/replies`, HostReplyAdded, body),
    recheck: (id: number, itemIds: readonly number[]) => call('POST', `${casePath(id)}/takedowns/recheck`, NoContent, { itemIds }),
    dismissRemoval: (id: number, itemIds: readonly number[]) => call('POST', `${casePath(id)}/takedowns/dismiss-removal`, NoContent, { itemIds }),
    due: () => call('GET', '/api/staff/takedowns/due', DueList),
    hosts: () => call('GET', '/api/staff/hosts', HostDirectory),
    saveHost: (hostId: string, body: HostEntryInput) => call('PUT', `/api/staff/hosts/${encodeURIComponent(hostId)}`, HostEntryView, body),

    /** The hash bank's quarantine: suspended fingerprints, oldest first. */
    quarantine: () => call('GET', '/api/staff/bank/quarantine', QuarantineList),
    /** restore: back in the feed and matching; reject: withdrawn for good. 404 HASH_NOT_FOUND: no longer in quarantine. */
    reviewHash: (hashId: number, decision: QuarantineDecision['decision']) =>
      call('POST', `/api/staff/bank/hashes/${encodeURIComponent(String(hashId))}/review`, NoContent, { decision }),
  };
}

export type StaffApi = ReturnType<typeof createStaffApi>;
