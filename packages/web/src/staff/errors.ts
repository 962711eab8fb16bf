// From an ApiFailure to the words shown to staff, branching on the contract's stable codes (never on
// the server's English message). Pure: screens translate the Words in the current language.
import { MIN_PASSWORD_LENGTH, type ErrorCode } from '@halte/contract';

import type { ApiFailure } from '../api/client';
import type { StaffMessageKey, Words } from './i18n/catalogue';

/** Every code the API answers with has staff words (a new code is a compile error until worded). */
export const STAFF_ERROR_WORDS: Readonly<Record<ErrorCode, StaffMessageKey>> = {
  VALIDATION_FAILED: 'error.validation',
  BAD_REQUEST: 'error.badRequest',
  NOT_FOUND: 'error.notFound',
  FORBIDDEN: 'error.forbidden',
  PAYLOAD_TOO_LARGE: 'error.tooLarge',
  RATE_LIMITED: 'error.rateLimited',
  UNAVAILABLE: 'error.unavailable',
  INTERNAL_ERROR: 'error.internal',
  STAFF_LOGIN_FAILED: 'error.loginFailed',
  STAFF_LOGIN_LOCKED: 'error.loginLocked',
  STAFF_SESSION_REQUIRED: 'error.sessionRequired',
  CSRF_TOKEN_INVALID: 'error.csrf',
  STAFF_PERMISSION_DENIED: 'error.permissionDenied',
  STAFF_CANNOT_CHANGE_SELF: 'error.cannotChangeSelf',
  STAFF_ACCOUNT_EXISTS: 'error.accountExists',
  ENROLMENT_TOKEN_INVALID: 'error.enrolmentInvalid',
  ENROLMENT_TOKEN_EXPIRED: 'error.enrolmentExpired',
  ENROLMENT_TOKEN_USED: 'error.enrolmentUsed',
  ENROLMENT_STEP_INVALID: 'error.enrolmentStep',
  PASSWORD_TOO_SHORT: 'error.passwordTooShort',
  PASSWORD_TOO_COMMON: 'error.passwordTooCommon',
  TOTP_CODE_INVALID: 'error.totpInvalid',
  CASE_NOT_FOUND: 'error.caseNotFound',
  ITEM_NOT_FOUND: 'error.itemNotFound',
  CASE_NOT_ASSIGNEE: 'error.caseNotAssignee',
  CASE_ALREADY_ASSIGNED: 'error.caseAlreadyAssigned',
  CASE_TRANSITION_REFUSED: 'error.transitionRefused',
  CASE_WITHDRAWN: 'error.caseWithdrawn',
  OFFENCE_UNKNOWN: 'error.offenceUnknown',
  ASSIGNEE_INVALID: 'error.assigneeInvalid',
  HASH_NOT_FOUND: 'error.hashNotFound',
  // The public app's codes: never answered to a staff request.
  IDEMPOTENCY_KEY_REUSED: 'error.unexpected',
  FOLLOWUP_LOGIN_FAILED: 'error.unexpected',
  FOLLOWUP_LOCKED: 'error.unexpected',
  SESSION_REQUIRED: 'error.unexpected',
  // The partner API's codes (/api/v1, partner keys): never answered to a staff request.
  PARTNER_KEY_INVALID: 'error.unexpected',
  PARTNER_SCOPE_MISSING: 'error.unexpected',
  CURSOR_INVALID: 'error.unexpected',
  INDEX_NOT_READY: 'error.unexpected',
  HOST_UNKNOWN: 'error.hostUnknown',
  HOST_NOT_FOUND: 'error.notFound',
  CHANNEL_INVALID: 'error.channelInvalid',
  NOTICE_NOT_FOUND: 'error.noticeNotFound',
  NOTICE_STATE_CONFLICT: 'error.noticeConflict',
  TAKEDOWN_MOVE_REFUSED: 'error.takedownMove',
  ESCALATION_REFUSED: 'error.escalationRefused',
  NOTIFIER_EMAIL_MISSING: 'error.notifierMissing',
  CHAT_NOT_FOUND: 'error.chatNotFound',
  CHAT_ENDED: 'error.chatEnded',
  COUNSELLOR_OFF_DUTY: 'error.offDuty',
  COUNSELLOR_AT_CAPACITY: 'error.atCapacity',
  QUEUE_EMPTY: 'error.queueEmpty',
  CHAT_CONTROL_REFUSED: 'error.controlRefused',
};

/** When the body is not an ApiError (a proxy's page, an older server): go by the status. */
function byStatus(status: number): StaffMessageKey {
  if (status === 400 || status === 422) return 'error.validation';
  if (status === 401) return 'error.sessionRequired';
  if (status === 403) return 'error.permissionDenied';
  if (status === 404) return 'error.notFound';
  if (status === 413) return 'error.tooLarge';
  if (status === 429) return 'error.rateLimited';
  if (status === 502 || status === 503 || status === 504) return 'error.unavailable';
  if (status >= 500) return 'error.internal';
  return 'error.unexpected';
}

/** Whole minutes to wait, rounded up (a lock of 61 s is "2 min", never "1 min"). */
export function minutesToWait(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * The words for a failed request. `login`: the login form, where a malformed e-mail or code is worded
 * like a wrong one (one answer for every cause, as the server does).
 */
export function failureWords(failure: ApiFailure, operation: 'login' | 'other' = 'other'): Words {
  switch (failure.kind) {
    case 'network':
      return { key: 'error.network' };
    case 'timeout':
      return { key: 'error.timeout' };
    case 'unexpected-response':
      return { key: 'error.unreadable' };
    case 'http': {
      const wait = failure.retryAfterSeconds;
      if (operation === 'login' && (failure.code === 'VALIDATION_FAILED' || (failure.code === null && failure.status === 401))) return { key: 'error.loginFailed' };
      if (failure.code === 'STAFF_LOGIN_LOCKED' || (operation === 'login' && failure.code === null && failure.status === 429)) {
        return wait === undefined || wait <= 0 ? { key: 'error.loginLocked' } : { key: 'error.loginLocked.wait', params: { minutes: minutesToWait(wait) } };
      }
      if (failure.code === 'RATE_LIMITED' || (failure.code === null && failure.status === 429)) {
        return wait === undefined || wait <= 0 ? { key: 'error.rateLimited' } : { key: 'error.rateLimited.wait', params: { minutes: minutesToWait(wait) } };
      }
      if (failure.code === 'PASSWORD_TOO_SHORT') return { key: 'error.passwordTooShort', params: { min: MIN_PASSWORD_LENGTH } };
      return { key: failure.code === null ? byStatus(failure.status) : STAFF_ERROR_WORDS[failure.code] };
    }
  }
}

/** A decision on a hash that is no longer in quarantine (someone else decided first): say so, then load the list again. */
export function quarantineChanged(failure: ApiFailure): boolean {
  return failure.kind === 'http' && failure.code === 'HASH_NOT_FOUND';
}

/** Refusals that mean the case changed under the page: say why, then load it again. */
export function caseChanged(failure: ApiFailure): boolean {
  return (
    failure.kind === 'http' &&
    (failure.code === 'CASE_ALREADY_ASSIGNED' || failure.code === 'CASE_NOT_ASSIGNEE' || failure.code === 'CASE_TRANSITION_REFUSED' || failure.code === 'CASE_WITHDRAWN')
  );
}
