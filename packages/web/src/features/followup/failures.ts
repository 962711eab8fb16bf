// What a failed request inside an open follow-up leads to. Pure: the screens act on the answer.
import type { ApiFailure } from '../../api/client';
import { failureMessages } from '../../api/errors';
import type { MessageKey } from '../../i18n/catalogues';

export type CaseFailure =
  /** the session is gone (expired, closed elsewhere, ended by a withdrawal): back to reference + PIN */
  | { readonly next: 'login' }
  /** the case changed under the page (withdrawn meanwhile): show why, and load it again */
  | { readonly next: 'reload'; readonly messages: readonly MessageKey[] }
  /** anything else (offline, timeout, server trouble): say so where it happened; the person can retry */
  | { readonly next: 'stay'; readonly messages: readonly MessageKey[] };

export function caseFailure(failure: ApiFailure): CaseFailure {
  if (failure.kind === 'http') {
    // 401 without a readable body (a proxy in between): only a missing session answers 401 here.
    if (failure.code === 'SESSION_REQUIRED' || (failure.code === null && failure.status === 401)) return { next: 'login' };
    if (failure.code === 'CASE_WITHDRAWN') return { next: 'reload', messages: failureMessages(failure, 'case') };
  }
  return { next: 'stay', messages: failureMessages(failure, 'case') };
}
