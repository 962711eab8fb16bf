import { afterEach, describe, expect, it, vi } from 'vitest';

import { extractEnrolmentToken, forgetEnrolmentToken, resetEnrolmentTokenForTests, takeEnrolmentToken } from './token';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd'.padEnd(43, 'x');

describe('extractEnrolmentToken', () => {
  it('reads a 43-character base64url token from the hash', () => {
    expect(TOKEN).toHaveLength(43);
    expect(extractEnrolmentToken(`#${TOKEN}`)).toBe(TOKEN);
    expect(extractEnrolmentToken(TOKEN)).toBe(TOKEN);
    expect(extractEnrolmentToken(`#token=${TOKEN}`)).toBe(TOKEN);
  });

  it('refuses anything else', () => {
    for (const hash of ['', '#', `#${TOKEN.slice(1)}`, `#${TOKEN}x`, `#${TOKEN.slice(1)}+`, `#${TOKEN.slice(1)}/`, `#${TOKEN.slice(1)}=`, '#/queue', `#/${TOKEN}`, `#${TOKEN.slice(0, 20)} ${TOKEN.slice(21)}`]) {
      expect(extractEnrolmentToken(hash), hash).toBeNull();
    }
  });
});

describe('takeEnrolmentToken', () => {
  afterEach(() => resetEnrolmentTokenForTests());

  it('removes the token from the address bar at once, and keeps the path and query', () => {
    const history = { replaceState: vi.fn() };
    expect(takeEnrolmentToken({ pathname: '/staff/enrol', search: '?lang=en', hash: `#${TOKEN}` }, history)).toBe(TOKEN);
    expect(history.replaceState).toHaveBeenCalledExactlyOnceWith(null, '', '/staff/enrol?lang=en');
  });

  it('removes a malformed token too, and answers null', () => {
    const history = { replaceState: vi.fn() };
    expect(takeEnrolmentToken({ pathname: '/staff/enrol', search: '', hash: '#nope' }, history)).toBeNull();
    expect(history.replaceState).toHaveBeenCalledExactlyOnceWith(null, '', '/staff/enrol');
  });

  it('reads once: a second render gets the token from memory', () => {
    const history = { replaceState: vi.fn() };
    takeEnrolmentToken({ pathname: '/staff/enrol', search: '', hash: `#${TOKEN}` }, history);
    expect(takeEnrolmentToken({ pathname: '/staff/enrol', search: '', hash: '' }, history)).toBe(TOKEN);
    expect(history.replaceState).toHaveBeenCalledTimes(1);
  });

  it('forgets the token when asked', () => {
    takeEnrolmentToken({ pathname: '/staff/enrol', search: '', hash: `#${TOKEN}` }, { replaceState: vi.fn() });
    forgetEnrolmentToken();
    expect(takeEnrolmentToken({ pathname: '/staff/enrol', search: '', hash: `#${TOKEN}` }, { replaceState: vi.fn() })).toBeNull();
  });
});
