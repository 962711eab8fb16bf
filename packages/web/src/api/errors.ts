// From an ApiFailure to the words shown to the person (message keys, so they are in the current
// language). Branches on the contract's stable error codes, never on the server's English message.
// Each operation words a code in its own terms: NOT_FOUND on the follow-up means "no such case",
// on a report it means the service is not there. 'followup' is logging in; 'case' is everything done
// inside an open follow-up (reading, adding, writing, exporting, withdrawing, closing).
import type { ErrorCode } from '@halte/contract';

import type { MessageKey } from '../i18n/catalogues';
import type { ApiFailure } from './client';

export type Operation = 'report' | 'orientation' | 'followup' | 'case';

const BY_CODE: Readonly<Record<ErrorCode, MessageKey>> = {
  VALIDATION_FAILED: 'error.validation',
  BAD_REQUEST: 'error.badRequest',
  IDEMPOTENCY_KEY_REUSED: 'error.idempotency',
  NOT_FOUND: 'error.notFound',
  FOLLOWUP_LOGIN_FAILED: 'error.followupNotRecognised',
  FOLLOWUP_LOCKED: 'error.followupLocked',
  SESSION_REQUIRED: 'error.sessionRequired',
  CASE_WITHDRAWN: 'error.caseWithdrawn',
  FORBIDDEN: 'error.forbidden',
  PAYLOAD_TOO_LARGE: 'error.tooLarge',
  RATE_LIMITED: 'error.rateLimited',
  UNAVAILABLE: 'error.unavailable',
  INTERNAL_ERROR: 'error.internal',
  // Staff codes: the public app never calls the staff API; the staff area words them in its own terms.
  STAFF_LOGIN_FAILED: 'error.unexpected',
  STAFF_LOGIN_LOCKED: 'error.unexpected',
  STAFF_SESSION_REQUIRED: 'error.unexpected',
  CSRF_TOKEN_INVALID: 'error.unexpected',
  STAFF_PERMISSION_DENIED: 'error.unexpected',
  STAFF_CANNOT_CHANGE_SELF: 'error.unexpected',
  STAFF_ACCOUNT_EXISTS: 'error.unexpected',
  ENROLMENT_TOKEN_INVALID: 'error.unexpected',
  ENROLMENT_TOKEN_EXPIRED: 'error.unexpected',
  ENROLMENT_TOKEN_USED: 'error.unexpected',
  ENROLMENT_STEP_INVALID: 'error.unexpected',
  PASSWORD_TOO_SHORT: 'error.unexpected',
  PASSWORD_TOO_COMMON: 'error.unexpected',
  TOTP_CODE_INVALID: 'error.unexpected',
  CASE_NOT_FOUND: 'error.unexpected',
  ITEM_NOT_FOUND: 'error.unexpected',
  CASE_NOT_ASSIGNEE: 'error.unexpected',
  CASE_ALREADY_ASSIGNED: 'error.unexpected',
  CASE_TRANSITION_REFUSED: 'error.unexpected',
  OFFENCE_UNKNOWN: 'error.unexpected',
  ASSIGNEE_INVALID: 'error.unexpected',
  HASH_NOT_FOUND: 'error.unexpected',
  // The partner API's codes (/api/v1): never answered to the web app.
  PARTNER_KEY_INVALID: 'error.unexpected',
  PARTNER_SCOPE_MISSING: 'error.unexpected',
  CURSOR_INVALID: 'error.unexpected',
  INDEX_NOT_READY: 'error.unexpected',
  // staff-only codes (takedown notices): the public app never meets them
  HOST_UNKNOWN: 'error.unexpected',
  HOST_NOT_FOUND: 'error.unexpected',
  CHANNEL_INVALID: 'error.unexpected',
  NOTICE_NOT_FOUND: 'error.unexpected',
  NOTICE_STATE_CONFLICT: 'error.unexpected',
  TAKEDOWN_MOVE_REFUSED: 'error.unexpected',
  ESCALATION_REFUSED: 'error.unexpected',
  NOTIFIER_EMAIL_MISSING: 'error.unexpected',
  // live chat (issue 8): the public chat screen words these itself
  CHAT_NOT_FOUND: 'error.unexpected',
  CHAT_ENDED: 'error.unexpected',
  COUNSELLOR_OFF_DUTY: 'error.unexpected',
  COUNSELLOR_AT_CAPACITY: 'error.unexpected',
  QUEUE_EMPTY: 'error.unexpected',
  CHAT_CONTROL_REFUSED: 'error.unexpected',
};

/** When the body is not an ApiError (a proxy's page, an older server): go by the status. */
function byStatus(status: number): MessageKey {
  if (status === 400 || status === 422) return 'error.validation';
  if (status === 404) return 'error.notFound';
  if (status === 413) return 'error.tooLarge';
  if (status === 429) return 'error.rateLimited';
  if (status === 502 || status === 503 || status === 504) return 'error.unavailable';
  if (status >= 500) return 'error.internal';
  return 'error.unexpected';
}

function mainMessage(failure: ApiFailure, operation: Operation): MessageKey {
  switch (failure.kind) {
    case 'network':
      return 'error.network';
    case 'timeout':
      return 'error.timeout';
    case 'unexpected-response':
      // A report answered 201 that we cannot read may exist: the retry (same key) brings it back.
      return operation === 'report' ? 'error.reportUnreadable' : 'error.unexpected';
    case 'http':
      // Logging in to the follow-up: a malformed reference or PIN is worded like a wrong one, and an
      // error body the client cannot read (an older server, a proxy) goes by the status.
      if (operation === 'followup' && (failure.code === 'VALIDATION_FAILED' || (failure.code === null && [400, 401, 404, 422].includes(failure.status)))) {
        return 'error.followupNotRecognised';
      }
      return failure.code === null ? byStatus(failure.status) : BY_CODE[failure.code];
  }
}

/** The lines to show for a failed request, most important first. */
export function failureMessages(failure: ApiFailure, operation: Operation): MessageKey[] {
  const lines: MessageKey[] = [mainMessage(failure, operation)];
  if (operation === 'report') lines.push('error.kept');
  if (operation === 'orientation') lines.push('error.emergencyReminder');
  return lines;
}
