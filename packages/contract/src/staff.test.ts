import { describe, expect, it } from 'vitest';

import { ERROR_CODES } from './errors.js';
import { AuditQuery, CreateStaffRequest, EnrolmentToken, MIN_PASSWORD_LENGTH, StaffAccountParams, StaffEmail, StaffLoginRequest, TotpCode } from './staff.js';

describe('the staff schemas', () => {
  it('compare e-mail addresses lower-case and trimmed', () => {
    expect(StaffEmail.parse('  Marie.Dupont@Association.Example ')).toBe('marie.dupont@association.example');
    for (const bad of ['', 'marie', 'marie@', '@association.example', `${'a'.repeat(250)}@b.example`]) expect(StaffEmail.safeParse(bad).success, bad).toBe(false);
  });

  it('take a TOTP code as the authenticator shows it (with a space), and nothing else', () => {
    expect(TotpCode.parse('123 456')).toBe('123456');
    expect(TotpCode.parse(' 012345 ')).toBe('012345');
    for (const bad of ['12345', '1234567', '12345a', '１２３４５６', '', '1'.repeat(21)]) expect(TotpCode.safeParse(bad).success, bad).toBe(false);
  });

  it('take enrolment tokens of the one shape Halte issues', () => {
    expect(EnrolmentToken.safeParse('A'.repeat(43)).success).toBe(true);
    for (const bad of ['A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`]) expect(EnrolmentToken.safeParse(bad).success).toBe(false);
  });

  it('leave the password rules to the server, with their own codes', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    expect(StaffLoginRequest.safeParse({ email: 'a@b.example', password: 'short', code: '123456' }).success).toBe(true);
    expect(StaffLoginRequest.safeParse({ email: 'a@b.example', password: 'x'.repeat(257), code: '123456' }).success).toBe(false);
    expect(StaffLoginRequest.safeParse({ email: 'a@b.example', password: 'long enough pass', code: '123456', remember: true }).success).toBe(false);
    for (const code of ['PASSWORD_TOO_SHORT', 'PASSWORD_TOO_COMMON', 'TOTP_CODE_INVALID', 'STAFF_LOGIN_FAILED', 'CSRF_TOKEN_INVALID']) expect(ERROR_CODES).toContain(code);
  });

  it('default the child-safety permission to no', () => {
    expect(CreateStaffRequest.parse({ email: 'A@B.example', role: 'analyst' })).toEqual({ email: 'a@b.example', role: 'analyst', childSafety: false });
    expect(CreateStaffRequest.safeParse({ email: 'a@b.example', role: 'root' }).success).toBe(false);
  });

  it('read account numbers and audit pages from the URL strictly', () => {
    expect(StaffAccountParams.parse({ id: '42' })).toEqual({ id: 42 });
    for (const id of ['0', '-1', '4.2', '1e3', ' 1', '1234567890123456', '12345678901234567']) expect(StaffAccountParams.safeParse({ id }).success, id).toBe(false);
    expect(AuditQuery.parse({ before: '100', limit: '20' })).toEqual({ before: 100, limit: 20 });
    expect(AuditQuery.parse({})).toEqual({});
    for (const query of [{ limit: '0' }, { limit: '201' }, { before: 'x' }, { page: '2' }]) expect(AuditQuery.safeParse(query).success, JSON.stringify(query)).toBe(false);
  });
});
