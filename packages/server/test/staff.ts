// Staff accounts for HTTP tests: a clock the tests move (TOTP steps, timeouts, lock delays), accounts
// created, enrolled and logged in through the real routes, and request helpers carrying the session
// cookie and the CSRF token.
import { randomBytes } from 'node:crypto';

import { EnrolmentTotp, StaffSessionOpened, type StaffRole } from '@halte/contract';
import { expect } from 'vitest';

import { OPERATOR } from '../src/modules/audit/log.js';
import { createAccount } from '../src/modules/staff/accounts.js';
import { totpCode } from '../src/modules/staff/totp.js';
import type { TestApp } from './app.js';

export const PASSWORD = 'a long enough passphrase 42';
export const START = Date.parse('2026-12-01T09:00:00.000Z');

/** The staff module's clock, moved by the tests (TOTP steps, idle and absolute timeouts, lock delays). */
export function testClock() {
  let ms = START;
  return {
    now: () => new Date(ms),
    advance: (millis: number) => {
      ms += millis;
    },
    /** the next TOTP step: a fresh code */
    tick: () => {
      ms += 30_000;
    },
  };
}

export interface Member {
  readonly id: number;
  readonly email: string;
  readonly secret: string;
  readonly cookie: string;
  readonly csrf: string;
}

let counter = 0;
/** A number not used before in this test file (unique addresses). */
export const nextNumber = (): number => ++counter;
export const uniqueEmail = (role: string) => `${role}.${++counter}.${randomBytes(3).toString('hex')}@staff.example.org`;
/** A client address of its own per test: the per-client limit must not carry over between tests. */
export const newClient = () => `10.${(counter >> 8) & 255}.${counter++ & 255}.${1 + Math.floor(Math.random() * 250)}`;

export function harness(getApp: () => TestApp, clock: ReturnType<typeof testClock>) {
  const code = (secret: string) => totpCode(secret, clock.now());

  async function newAccount(role: StaffRole, childSafety = false, email = uniqueEmail(role)): Promise<{ id: number; email: string; token: string; url: string }> {
    const t = getApp();
    const issued = await createAccount({ db: t.database.db, now: clock.now, publicUrl: 'http://localhost:8080' }, { email, role, childSafety }, OPERATOR);
    return { id: issued.account.id, email, token: issued.url.split('#')[1] as string, url: issued.url };
  }

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
    getApp().app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers, remoteAddress });

  async function enrol(token: string, password = PASSWORD): Promise<string> {
    const first = await post('/api/staff/enrolment/password', { token, password });
    expect(first.statusCode, first.body).toBe(200);
    const { secret } = EnrolmentTotp.parse(first.json());
    clock.tick();
    const second = await post('/api/staff/enrolment/totp', { token, code: code(secret) });
    expect(second.statusCode, second.body).toBe(200);
    return secret;
  }

  function cookieOf(res: { headers: Record<string, unknown> }): string {
    return String(res.headers['set-cookie']).split(';')[0] as string;
  }

  const login = (email: string, password: string, totp: string, client = '127.0.0.1') => post('/api/staff/session', { email, password, code: totp }, {}, client);

  async function session(email: string, secret: string, client = newClient()): Promise<{ cookie: string; csrf: string }> {
    clock.tick();
    const res = await login(email, PASSWORD, code(secret), client);
    expect(res.statusCode, res.body).toBe(201);
    return { cookie: cookieOf(res), csrf: StaffSessionOpened.parse(res.json()).csrfToken };
  }

  async function member(role: StaffRole, childSafety = false): Promise<Member> {
    const account = await newAccount(role, childSafety);
    const secret = await enrol(account.token);
    return { id: account.id, email: account.email, secret, ...(await session(account.email, secret)) };
  }

  const as = (m: { cookie: string; csrf: string }) => ({ cookie: m.cookie, 'x-csrf-token': m.csrf });
  const get = (url: string, m?: { cookie: string }) => getApp().app.inject({ method: 'GET', url, headers: m ? { cookie: m.cookie } : {} });

  return { code, newAccount, post, enrol, cookieOf, login, session, member, as, get };
}
