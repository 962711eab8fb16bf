import { ERROR_CODES, MIN_PASSWORD_LENGTH } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { caseChanged, failureWords, minutesToWait, quarantineChanged, STAFF_ERROR_WORDS } from './errors';
import { staffTranslate } from './i18n/catalogue';

describe('failureWords', () => {
  it('words every error code of the contract, in both languages', () => {
    for (const code of ERROR_CODES) {
      const words = failureWords({ kind: 'http', status: 400, code });
      for (const language of ['fr', 'en'] as const) expect(staffTranslate(language, words.key, words.params), code).not.toMatch(/^\s*$|\{\w+\}/);
    }
    expect(Object.keys(STAFF_ERROR_WORDS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('gives the staff codes their own words', () => {
    const key = (code: (typeof ERROR_CODES)[number]) => failureWords({ kind: 'http', status: 400, code }).key;
    expect(key('STAFF_LOGIN_FAILED')).toBe('error.loginFailed');
    expect(key('CSRF_TOKEN_INVALID')).toBe('error.csrf');
    expect(key('STAFF_PERMISSION_DENIED')).toBe('error.permissionDenied');
    expect(key('CASE_NOT_FOUND')).toBe('error.caseNotFound');
    expect(key('CASE_NOT_ASSIGNEE')).toBe('error.caseNotAssignee');
    expect(key('CASE_ALREADY_ASSIGNED')).toBe('error.caseAlreadyAssigned');
    expect(key('CASE_TRANSITION_REFUSED')).toBe('error.transitionRefused');
    expect(key('CASE_WITHDRAWN')).toBe('error.caseWithdrawn');
    expect(key('OFFENCE_UNKNOWN')).toBe('error.offenceUnknown');
    expect(key('ASSIGNEE_INVALID')).toBe('error.assigneeInvalid');
    expect(key('PASSWORD_TOO_COMMON')).toBe('error.passwordTooCommon');
    expect(key('TOTP_CODE_INVALID')).toBe('error.totpInvalid');
    expect(key('ENROLMENT_TOKEN_INVALID')).toBe('error.enrolmentInvalid');
    expect(key('ENROLMENT_TOKEN_EXPIRED')).toBe('error.enrolmentExpired');
    expect(key('ENROLMENT_TOKEN_USED')).toBe('error.enrolmentUsed');
    expect(key('ENROLMENT_STEP_INVALID')).toBe('error.enrolmentStep');
    expect(key('VALIDATION_FAILED')).toBe('error.validation');
    expect(key('HASH_NOT_FOUND')).toBe('error.hashNotFound');
  });

  it('says the minimum length of a password that is too short', () => {
    expect(failureWords({ kind: 'http', status: 422, code: 'PASSWORD_TOO_SHORT' })).toEqual({ key: 'error.passwordTooShort', params: { min: MIN_PASSWORD_LENGTH } });
  });

  it('says how long a locked login waits, in whole minutes rounded up', () => {
    expect(failureWords({ kind: 'http', status: 429, code: 'STAFF_LOGIN_LOCKED', retryAfterSeconds: 61 }, 'login')).toEqual({ key: 'error.loginLocked.wait', params: { minutes: 2 } });
    expect(failureWords({ kind: 'http', status: 429, code: 'STAFF_LOGIN_LOCKED', retryAfterSeconds: 900 }, 'login')).toEqual({ key: 'error.loginLocked.wait', params: { minutes: 15 } });
    expect(failureWords({ kind: 'http', status: 429, code: 'STAFF_LOGIN_LOCKED' }, 'login')).toEqual({ key: 'error.loginLocked' });
    expect(failureWords({ kind: 'http', status: 429, code: null }, 'login')).toEqual({ key: 'error.loginLocked' });
    expect(failureWords({ kind: 'http', status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 30 })).toEqual({ key: 'error.rateLimited.wait', params: { minutes: 1 } });
    expect(minutesToWait(0)).toBe(1);
    expect(minutesToWait(120)).toBe(2);
  });

  it('words a malformed login like a wrong one', () => {
    expect(failureWords({ kind: 'http', status: 400, code: 'VALIDATION_FAILED' }, 'login').key).toBe('error.loginFailed');
    expect(failureWords({ kind: 'http', status: 401, code: null }, 'login').key).toBe('error.loginFailed');
    expect(failureWords({ kind: 'http', status: 400, code: 'VALIDATION_FAILED' }).key).toBe('error.validation');
  });

  it('words no answer, a late one, an unreadable one, and a body that is not the API’s', () => {
    expect(failureWords({ kind: 'network' }).key).toBe('error.network');
    expect(failureWords({ kind: 'timeout' }).key).toBe('error.timeout');
    expect(failureWords({ kind: 'unexpected-response', status: 200 }).key).toBe('error.unreadable');
    expect(failureWords({ kind: 'http', status: 502, code: null }).key).toBe('error.unavailable');
    expect(failureWords({ kind: 'http', status: 500, code: null }).key).toBe('error.internal');
    expect(failureWords({ kind: 'http', status: 403, code: null }).key).toBe('error.permissionDenied');
    expect(failureWords({ kind: 'http', status: 418, code: null }).key).toBe('error.unexpected');
  });
});

describe('caseChanged', () => {
  it('is true for the refusals that mean the case moved under the page', () => {
    for (const code of ['CASE_ALREADY_ASSIGNED', 'CASE_NOT_ASSIGNEE', 'CASE_TRANSITION_REFUSED', 'CASE_WITHDRAWN'] as const) {
      expect(caseChanged({ kind: 'http', status: 409, code }), code).toBe(true);
    }
    expect(caseChanged({ kind: 'http', status: 422, code: 'OFFENCE_UNKNOWN' })).toBe(false);
    expect(caseChanged({ kind: 'network' })).toBe(false);
  });
});

describe('quarantineChanged', () => {
  it('is true when the fingerprint is no longer in quarantine (decided meanwhile)', () => {
    expect(quarantineChanged({ kind: 'http', status: 404, code: 'HASH_NOT_FOUND' })).toBe(true);
    expect(quarantineChanged({ kind: 'http', status: 404, code: null })).toBe(false);
    expect(quarantineChanged({ kind: 'http', status: 403, code: 'STAFF_PERMISSION_DENIED' })).toBe(false);
    expect(quarantineChanged({ kind: 'timeout' })).toBe(false);
  });
});
