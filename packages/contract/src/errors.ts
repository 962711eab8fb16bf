// Error codes the API answers with. Stable: clients branch on them and show their own words.
import { z } from 'zod';

export const ERROR_CODES = [
  /** the body or query does not match the schema; `issues` says where */
  'VALIDATION_FAILED',
  /** a request the server cannot read (malformed JSON, wrong content type) */
  'BAD_REQUEST',
  /** the same Idempotency-Key was used with another body */
  'IDEMPOTENCY_KEY_REUSED',
  'NOT_FOUND',
  /** reference and PIN do not match (the same answer whether the reference exists or not) */
  'FOLLOWUP_LOGIN_FAILED',
  /** too many wrong PINs for this case or from this client: wait (Retry-After) */
  'FOLLOWUP_LOCKED',
  /** no follow-up session, or it has expired: log in again with reference and PIN */
  'SESSION_REQUIRED',
  /** the case was withdrawn: nothing more can be added */
  'CASE_WITHDRAWN',
  /** a request from another site (CSRF defence) */
  'FORBIDDEN',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  /** the database or another dependency is not ready; retry later */
  'UNAVAILABLE',
  'INTERNAL_ERROR',
  // Staff (issue 5)
  /** e-mail, password and code do not match an active account (one answer for every cause) */
  'STAFF_LOGIN_FAILED',
  /** too many failed logins for this account or from this client: wait (Retry-After) */
  'STAFF_LOGIN_LOCKED',
  /** no staff session, or it has ended (idle, expired, logged out, account disabled): log in again */
  'STAFF_SESSION_REQUIRED',
  /** a state-changing staff request without the session's `x-csrf-token` header, or with a wrong one */
  'CSRF_TOKEN_INVALID',
  /** the account's role or permissions do not allow this */
  'STAFF_PERMISSION_DENIED',
  /** an admin cannot disable or reset their own account (another admin, or the `halte staff` command, can) */
  'STAFF_CANNOT_CHANGE_SELF',
  /** an account with this e-mail address exists */
  'STAFF_ACCOUNT_EXISTS',
  /** the enrolment link is not one Halte issued */
  'ENROLMENT_TOKEN_INVALID',
  /** the enrolment link has expired: ask an administrator for a new one */
  'ENROLMENT_TOKEN_EXPIRED',
  /** the enrolment link was already used (or a newer one replaced it): ask an administrator for a new one */
  'ENROLMENT_TOKEN_USED',
  /** the enrolment's next step is another one (password first, then the authenticator code) */
  'ENROLMENT_STEP_INVALID',
  /** shorter than MIN_PASSWORD_LENGTH characters */
  'PASSWORD_TOO_SHORT',
  /** in the list of common passwords, or made of the account's e-mail address */
  'PASSWORD_TOO_COMMON',
  /** the authenticator code is wrong or was already used */
  'TOTP_CODE_INVALID',
  // Case work (issue 5)
  /** no such case — or one this account may not see (a minor's case without the child-safety permission) */
  'CASE_NOT_FOUND',
  /** no such item in this case */
  'ITEM_NOT_FOUND',
  /** the case is assigned to someone else: ask them or a supervisor */
  'CASE_NOT_ASSIGNEE',
  /** the case was claimed by someone else first */
  'CASE_ALREADY_ASSIGNED',
  /** not a move of the case workflow from its current status (contract: decideTransition) */
  'CASE_TRANSITION_REFUSED',
  /** an offence id that is not in the legal data for the case's country */
  'OFFENCE_UNKNOWN',
  /** the account cannot take this case (unknown, disabled, pending, or without the child-safety permission it needs) */
  'ASSIGNEE_INVALID',
  // Hash bank and partner API (issue 6)
  /** no partner key, an unknown one, a rotated or a revoked one */
  'PARTNER_KEY_INVALID',
  /** the key is valid but lacks the scope this endpoint needs (fetch, match, feedback) */
  'PARTNER_SCOPE_MISSING',
  /** a feed cursor or page token that Halte did not issue, or that was altered */
  'CURSOR_INVALID',
  /** the match index of this server instance is still loading: try again in a few seconds (never a silent no-match) */
  'INDEX_NOT_READY',
  /** no such hash in the bank */
  'HASH_NOT_FOUND',
  // Takedown notices (issue 7)
  /** a link whose host is not in the directory: an admin adds it first (the link is on the due list) */
  'HOST_UNKNOWN',
  /** no such entry in the host directory */
  'HOST_NOT_FOUND',
  /** the host has no such channel, or it cannot be used for this (an escalation target without one) */
  'CHANNEL_INVALID',
  /** no such notice in this case */
  'NOTICE_NOT_FOUND',
  /** the notice is not in a state that allows this (already sent, already submitted…) */
  'NOTICE_STATE_CONFLICT',
  /** not a move a link can make from its current state (contract: TAKEDOWN_MOVES) */
  'TAKEDOWN_MOVE_REFUSED',
  /** the escalation does not fit the case (a French authority for a Belgian case, or a link not notified yet) */
  'ESCALATION_REFUSED',
  /** notices need the notifier's e-mail address (DSA art. 16(2)(c)): an admin sets it in the settings */
  'NOTIFIER_EMAIL_MISSING',
  // Live chat (issue 8)
  /** no chat for this token or number */
  'CHAT_NOT_FOUND',
  /** the chat has ended: start a new one */
  'CHAT_ENDED',
  /** the counsellor is not on duty */
  'COUNSELLOR_OFF_DUTY',
  /** the counsellor has as many live chats as their cap allows */
  'COUNSELLOR_AT_CAPACITY',
  /** nobody is waiting */
  'QUEUE_EMPTY',
  /** a control that may not be applied: one step at a time, and never a mute or block on someone who may be at risk */
  'CHAT_CONTROL_REFUSED',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** for VALIDATION_FAILED: each problem, by path (e.g. "items.3.pdq") and zod issue code */
    issues: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;
