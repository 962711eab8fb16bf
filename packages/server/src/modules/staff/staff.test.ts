import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';

import {
  AuditPage,
  EnrolmentLink,
  EnrolmentTotp,
  ERROR_CODES,
  StaffAccount,
  StaffAccountList,
  StaffMe,
  StaffSessionOpened,
} from '@halte/contract';
import { sql } from 'kysely';
import { Secret, TOTP, URI } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { harness, newClient, nextNumber, PASSWORD, testClock, uniqueEmail } from '../../../test/staff.js';
import { BACKENDS, createTestDatabase } from '../../../test/database.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/config.js';
import { deriveKeys } from '../../crypto/keys.js';
import { Sealer } from '../../crypto/sealed.js';
import { createRootLogger } from '../../log/logger.js';
import { orient } from '../orientation/rules.js';
import { OPERATOR, verifyAuditChain } from '../audit/log.js';
import { createAccount } from './accounts.js';
import { STAFF_COOKIE } from './guard.js';

describe.each(BACKENDS)('staff accounts on %s', (backend) => {
  let t: TestApp;
  const clock = testClock();
  const h = harness(() => t, clock);
  beforeAll(async () => {
    t = await createTestApp(backend, undefined, { now: clock.now });
  });
  afterAll(() => t.close());

  const auditOf = async (staffId: number) =>
    (
      await t.database.db
        .selectFrom('audit_entry')
        .select(['action', 'actor_kind', 'actor_id', 'data'])
        .where((eb) => eb.or([eb('target_id', '=', String(staffId)), eb('actor_id', '=', staffId)]))
        .orderBy('seq')
        .execute()
    ).map((r) => ({ action: r.action, actor: `${r.actor_kind}:${r.actor_id ?? ''}`, data: r.data as Record<string, unknown> }));

  it('enrols through a one-time link (password, then an authenticator), logs in, shows who is there, logs out', async () => {
    const account = await h.newAccount('analyst');
    expect(account.url).toMatch(/^http:\/\/localhost:8080\/staff\/enrol#[A-Za-z0-9_-]{43}$/);

    const first = await h.post('/api/staff/enrolment/password', { token: account.token, password: PASSWORD });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-store');
    const totp = EnrolmentTotp.parse(first.json());
    const parsed = URI.parse(totp.otpauthUri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'Halte', label: account.email, algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(totp.secret);
    expect(Secret.fromBase32(totp.secret).bytes.length).toBe(20);

    // pending: the password alone opens nothing
    clock.tick();
    expect((await h.login(account.email, PASSWORD, h.code(totp.secret), newClient())).statusCode).toBe(401);

    clock.tick();
    const confirmed = await h.post('/api/staff/enrolment/totp', { token: account.token, code: h.code(totp.secret) });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ status: 'active' });

    clock.tick();
    const opened = await h.login(account.email.toUpperCase(), PASSWORD, h.code(totp.secret).replace(/^(\d{3})/, '$1 '), newClient());
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.headers['cache-control']).toBe('no-store');
    const body = StaffSessionOpened.parse(opened.json());
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({ idleTimeoutMinutes: 30, staff: { id: account.id, email: account.email, role: 'analyst', childSafety: false, permissions: ['cases.queue', 'cases.read', 'cases.claim', 'cases.work', 'bank.review', 'chat.counsel'] } });
    expect(Date.parse(body.expiresAt)).toBe(clock.now().getTime() + 12 * 3600_000);
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${STAFF_COOKIE}=[A-Za-z0-9_-]{43}; Path=/api/staff; Max-Age=43200; HttpOnly; SameSite=Strict$`));
    const cookie = h.cookieOf(opened);

    const me = await h.get('/api/staff/me', { cookie });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');
    expect(StaffMe.strict().parse(me.json())).toEqual(body.staff);

    // a database dump gives no password, no second factor, no usable session
    const dump = (await sql<{ row: string }>`select s::text as row from staff s union all select x::text from staff_session x union all select e::text from staff_enrolment e union all select a::text from audit_entry a`.execute(t.database.db)).rows
      .map((r) => r.row)
      .join('\n');
    expect(dump).toContain('$argon2id$v=19$m=256,t=1,p=1$');
    for (const secret of [PASSWORD, totp.secret, cookie.split('=')[1] as string, body.csrfToken, account.token]) expect(dump).not.toContain(secret);

    const out = await h.post('/api/staff/logout', {}, { cookie, 'x-csrf-token': body.csrfToken });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0; HttpOnly; SameSite=Strict/);
    const after = await h.get('/api/staff/me', { cookie });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('STAFF_SESSION_REQUIRED');

    expect((await auditOf(account.id)).map((e) => `${e.action} ${e.actor}`)).toEqual([
      'staff.created operator:',
      `staff.enrolment_password_set anonymous:${account.id}`,
      `staff.login_failed anonymous:${account.id}`,
      `staff.enrolled staff:${account.id}`,
      `staff.login staff:${account.id}`,
      `staff.logout staff:${account.id}`,
    ]);
    expect((await auditOf(account.id))[2]?.data).toMatchObject({ reason: 'not_enrolled' });
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ intact: true });
  });

  it('refuses enrolment links that are unknown, malformed, expired, spent or replaced', async () => {
    const unknown = await h.post('/api/staff/enrolment/password', { token: randomBytes(32).toString('base64url'), password: PASSWORD });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([400, 'ENROLMENT_TOKEN_INVALID']);
    const malformed = await h.post('/api/staff/enrolment/password', { token: 'abc', password: PASSWORD });
    expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const late = await h.newAccount('analyst');
    clock.advance(72 * 3600_000 + 1000);
    for (const [url, payload] of [
      ['/api/staff/enrolment/password', { token: late.token, password: PASSWORD }],
      ['/api/staff/enrolment/totp', { token: late.token, code: '123456' }],
    ] as const) {
      const res = await h.post(url, payload);
      expect([res.statusCode, res.json().error.code]).toEqual([410, 'ENROLMENT_TOKEN_EXPIRED']);
    }

    const done = await h.newAccount('analyst');
    await h.enrol(done.token);
    const again = await h.post('/api/staff/enrolment/password', { token: done.token, password: 'another long passphrase' });
    expect([again.statusCode, again.json().error.code]).toEqual([410, 'ENROLMENT_TOKEN_USED']);

    // the secret is given once: a second first step is refused and gives none
    const once = await h.newAccount('analyst');
    expect((await h.post('/api/staff/enrolment/password', { token: once.token, password: PASSWORD })).statusCode).toBe(200);
    const twice = await h.post('/api/staff/enrolment/password', { token: once.token, password: PASSWORD });
    expect([twice.statusCode, twice.json().error.code]).toEqual([409, 'ENROLMENT_STEP_INVALID']);
    expect(twice.body).not.toMatch(/otpauth|secret/i);

    const early = await h.newAccount('analyst');
    const noPassword = await h.post('/api/staff/enrolment/totp', { token: early.token, code: '123456' });
    expect([noPassword.statusCode, noPassword.json().error.code]).toEqual([409, 'ENROLMENT_STEP_INVALID']);

    // wrong codes spend the link after five
    const guessed = await h.newAccount('analyst');
    const first = EnrolmentTotp.parse((await h.post('/api/staff/enrolment/password', { token: guessed.token, password: PASSWORD })).json());
    const right = h.code(first.secret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await h.post('/api/staff/enrolment/totp', { token: guessed.token, code: wrong });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'TOTP_CODE_INVALID']);
    }
    const spent = await h.post('/api/staff/enrolment/totp', { token: guessed.token, code: right });
    expect([spent.statusCode, spent.json().error.code]).toEqual([410, 'ENROLMENT_TOKEN_USED']);

    // a disabled account's link, and a link replaced by a newer one, open nothing
    const admin = await h.member('admin');
    const off = await h.newAccount('analyst');
    expect((await h.post(`/api/staff/accounts/${off.id}/disable`, {}, h.as(admin))).statusCode).toBe(200);
    const disabledLink = await h.post('/api/staff/enrolment/password', { token: off.token, password: PASSWORD });
    expect(disabledLink.json().error.code).toBe('ENROLMENT_TOKEN_INVALID');
    const replaced = await h.newAccount('analyst');
    expect((await h.post(`/api/staff/accounts/${replaced.id}/enrolment-link`, {}, h.as(admin))).statusCode).toBe(201);
    const oldLink = await h.post('/api/staff/enrolment/password', { token: replaced.token, password: PASSWORD });
    expect(oldLink.json().error.code).toBe('ENROLMENT_TOKEN_INVALID');
  });

  it('refuses short and common passwords, and one made of the address; the link still works after', async () => {
    const account = await h.newAccount('analyst', false, `jeanne.martin.${nextNumber()}@staff.example.org`);
    const tries: [string, string][] = [
      ['short pass', 'PASSWORD_TOO_SHORT'],
      ['1QAZ2WSX3EDC', 'PASSWORD_TOO_COMMON'],
      ['Password1234', 'PASSWORD_TOO_COMMON'],
      [account.email, 'PASSWORD_TOO_COMMON'],
    ];
    for (const [password, code] of tries) {
      const res = await h.post('/api/staff/enrolment/password', { token: account.token, password });
      expect([res.statusCode, res.json().error.code], password).toEqual([400, code]);
    }
    await h.enrol(account.token);
  });

  it('answers the same to an unknown address, a wrong password, a wrong code, a pending and a disabled account', async () => {
    const m = await h.member('analyst');
    const pending = await h.newAccount('analyst');
    await h.post('/api/staff/enrolment/password', { token: pending.token, password: PASSWORD });
    const admin = await h.member('admin');
    const disabled = await h.member('analyst');
    expect((await h.post(`/api/staff/accounts/${disabled.id}/disable`, {}, h.as(admin))).statusCode).toBe(200);
    clock.tick();
    const right = h.code(m.secret);
    const wrongCode = right === '000000' ? '111111' : '000000';
    const answers = [
      await h.login(uniqueEmail('nobody'), PASSWORD, right, newClient()),
      await h.login(m.email, 'not the right passphrase', right, newClient()),
      await h.login(m.email, PASSWORD, wrongCode, newClient()),
      await h.login(pending.email, PASSWORD, right, newClient()),
      await h.login(disabled.email, PASSWORD, h.code(disabled.secret), newClient()),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401, 401, 401]);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]?.json()).toEqual({ error: { code: 'STAFF_LOGIN_FAILED', message: expect.any(String) } });
    expect(answers.every((a) => a.headers['set-cookie'] === undefined)).toBe(true);
    const reasons = (await auditOf(m.id)).filter((e) => e.action === 'staff.login_failed').map((e) => e.data['reason']);
    expect(reasons).toEqual(['wrong_password', 'wrong_code']);
    expect((await auditOf(pending.id)).find((e) => e.action === 'staff.login_failed')?.data['reason']).toBe('not_enrolled');
    expect((await auditOf(disabled.id)).find((e) => e.action === 'staff.login_failed')?.data['reason']).toBe('disabled');
  });

  it('accepts each code once: a replayed code, or the one that confirmed the enrolment, opens nothing', async () => {
    const account = await h.newAccount('analyst');
    const first = EnrolmentTotp.parse((await h.post('/api/staff/enrolment/password', { token: account.token, password: PASSWORD })).json());
    clock.tick();
    const confirming = h.code(first.secret);
    expect((await h.post('/api/staff/enrolment/totp', { token: account.token, code: confirming })).statusCode).toBe(200);
    expect((await h.login(account.email, PASSWORD, confirming, newClient())).statusCode).toBe(401);

    clock.tick();
    const fresh = h.code(first.secret);
    const opened = await h.login(account.email, PASSWORD, fresh, newClient());
    expect(opened.statusCode).toBe(201);
    expect((await h.login(account.email, PASSWORD, fresh, newClient())).statusCode).toBe(401);

    // two logins at once with the same fresh code: one session
    clock.tick();
    const same = h.code(first.secret);
    const racing = await Promise.all([h.login(account.email, PASSWORD, same, newClient()), h.login(account.email, PASSWORD, same, newClient())]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 401]);
    const reasons = (await auditOf(account.id)).filter((e) => e.action === 'staff.login_failed').map((e) => e.data['reason']);
    expect(reasons).toEqual(['replayed_code', 'replayed_code', 'replayed_code']);
  });

  it('locks an account after five failures, with a growing delay; an unknown address gets the same answers', async () => {
    const m = await h.member('analyst');
    const client = newClient();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await h.login(m.email, 'wrong passphrase here', '123456', client)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    clock.tick();
    const locked = await h.login(m.email, PASSWORD, h.code(m.secret), client);
    expect([locked.statusCode, locked.json().error.code, locked.headers['retry-after']]).toEqual([429, 'STAFF_LOGIN_LOCKED', '30']);

    clock.advance(31_000);
    clock.tick();
    expect((await h.login(m.email, PASSWORD, h.code(m.secret), client)).statusCode).toBe(201);
    const row = await t.database.db.selectFrom('staff').select(['failed_logins', 'locked_until']).where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });

    // the delay grows: 1, 2, 4 … minutes
    const other = newClient();
    for (let i = 0; i < 5; i++) await h.login(m.email, 'wrong passphrase here', '123456', other);
    clock.advance(61_000);
    const sixth = await h.login(m.email, 'wrong passphrase here', '123456', other);
    expect([sixth.statusCode, sixth.headers['retry-after']]).toEqual([429, '120']);
    clock.advance(121_000);
    const seventh = await h.login(m.email, 'wrong passphrase here', '123456', other);
    expect([seventh.statusCode, seventh.headers['retry-after']]).toEqual([429, '240']);

    const nobody = uniqueEmail('nobody');
    const unknown = newClient();
    const unknownStatuses: number[] = [];
    for (let i = 0; i < 6; i++) unknownStatuses.push((await h.login(nobody, 'wrong passphrase here', '123456', unknown)).statusCode);
    expect(unknownStatuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('refuses a client after 20 failed logins in 15 minutes, whatever the address', async () => {
    const m = await h.member('analyst');
    const client = newClient();
    for (let i = 0; i < 20; i++) expect((await h.login(uniqueEmail('nobody'), 'wrong passphrase here', '123456', client)).statusCode).toBe(401);
    clock.tick();
    const refused = await h.login(m.email, PASSWORD, h.code(m.secret), client);
    expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'STAFF_LOGIN_LOCKED']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await h.login(m.email, PASSWORD, h.code(m.secret), newClient())).statusCode).toBe(201);
  });

  it('ends a session after 30 idle minutes, and 12 hours after login however busy', async () => {
    const idle = await h.member('analyst');
    clock.advance(29 * 60_000);
    expect((await h.get('/api/staff/me', idle)).statusCode).toBe(200);
    clock.advance(29 * 60_000);
    expect((await h.get('/api/staff/me', idle)).statusCode).toBe(200);
    clock.advance(30 * 60_000 + 1000);
    expect((await h.get('/api/staff/me', idle)).statusCode).toBe(401);

    const busy = await h.member('analyst');
    let answered = 0;
    for (let minutes = 0; minutes < 12 * 60 - 25; minutes += 25) {
      clock.advance(25 * 60_000);
      expect((await h.get('/api/staff/me', busy)).statusCode).toBe(200);
      answered++;
    }
    expect(answered).toBeGreaterThan(25);
    clock.advance(25 * 60_000);
    expect((await h.get('/api/staff/me', busy)).statusCode).toBe(401);
  });

  it('logs out everywhere: every session of the account ends', async () => {
    const m = await h.member('supervisor');
    const second = await h.session(m.email, m.secret);
    const bystander = await h.member('supervisor');
    const res = await h.post('/api/staff/logout-everywhere', {}, h.as(second));
    expect(res.statusCode).toBe(204);
    expect((await h.get('/api/staff/me', m)).statusCode).toBe(401);
    expect((await h.get('/api/staff/me', second)).statusCode).toBe(401);
    expect((await h.get('/api/staff/me', bystander)).statusCode).toBe(200);
    expect((await auditOf(m.id)).find((e) => e.action === 'staff.logout_everywhere')?.data).toEqual({ sessionsEnded: 2 });
  });

  it('refuses state changes without the session’s CSRF token, and from another site', async () => {
    const m = await h.member('analyst');
    const other = await h.member('analyst');
    for (const [headers, code] of [
      [{ cookie: m.cookie }, 'CSRF_TOKEN_INVALID'],
      [{ cookie: m.cookie, 'x-csrf-token': randomBytes(32).toString('base64url') }, 'CSRF_TOKEN_INVALID'],
      [{ cookie: m.cookie, 'x-csrf-token': other.csrf }, 'CSRF_TOKEN_INVALID'],
      [{ cookie: m.cookie, 'x-csrf-token': 'short' }, 'CSRF_TOKEN_INVALID'],
      [{ cookie: m.cookie, 'x-csrf-token': m.csrf, origin: 'https://evil.example', host: 'halte.example' }, 'FORBIDDEN'],
      [{ cookie: m.cookie, 'x-csrf-token': m.csrf, 'sec-fetch-site': 'cross-site' }, 'FORBIDDEN'],
    ] as const) {
      for (const url of ['/api/staff/logout', '/api/staff/logout-everywhere']) {
        const res = await h.post(url, {}, headers);
        expect([res.statusCode, res.json().error.code], `${url} ${JSON.stringify(headers)}`).toEqual([403, code]);
      }
    }
    // nothing was ended; reading needs no token
    expect((await h.get('/api/staff/me', m)).statusCode).toBe(200);
    // nor can another site log someone in
    clock.tick();
    const foreign = await h.post('/api/staff/session', { email: m.email, password: PASSWORD, code: h.code(m.secret) }, { origin: 'https://evil.example', host: 'halte.example' });
    expect([foreign.statusCode, foreign.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const form = await t.app.inject({ method: 'POST', url: '/api/staff/session', payload: `email=${m.email}&password=x&code=123456`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
  });

  it('lets an admin list, add, disable, re-enable and reset accounts; a disabled account’s session fails at once', async () => {
    const admin = await h.member('admin');
    const analyst = await h.member('analyst', true);

    const list = await h.get('/api/staff/accounts', admin);
    expect(list.statusCode).toBe(200);
    const accounts = StaffAccountList.parse(list.json()).accounts;
    const shown = accounts.find((a) => a.id === analyst.id);
    expect(Object.keys(shown ?? {}).sort()).toEqual(Object.keys(StaffAccount.shape).sort());
    expect(shown).toMatchObject({ email: analyst.email, role: 'analyst', childSafety: true, state: 'active', disabledAt: null, lockedUntil: null });
    expect(list.body).not.toMatch(/argon2|totp|hash/i);

    const newcomer = `New.Person.${nextNumber()}@Staff.Example.org`;
    const created = await h.post('/api/staff/accounts', { email: newcomer, role: 'supervisor' }, h.as(admin));
    expect(created.statusCode).toBe(201);
    const link = EnrolmentLink.parse(created.json());
    expect(link.account).toMatchObject({ email: newcomer.toLowerCase(), role: 'supervisor', childSafety: false, state: 'pending' });
    expect(link.enrolmentUrl).toMatch(/^http:\/\/localhost:8080\/staff\/enrol#[A-Za-z0-9_-]{43}$/);
    const duplicate = await h.post('/api/staff/accounts', { email: newcomer.toUpperCase(), role: 'analyst' }, h.as(admin));
    expect([duplicate.statusCode, duplicate.json().error.code]).toEqual([409, 'STAFF_ACCOUNT_EXISTS']);

    const disabled = await h.post(`/api/staff/accounts/${analyst.id}/disable`, {}, h.as(admin));
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().account).toMatchObject({ id: analyst.id, state: 'disabled' });
    const cut = await h.get('/api/staff/me', analyst);
    expect([cut.statusCode, cut.json().error.code]).toEqual([401, 'STAFF_SESSION_REQUIRED']);
    clock.tick();
    expect((await h.login(analyst.email, PASSWORD, h.code(analyst.secret), newClient())).statusCode).toBe(401);

    const enabled = await h.post(`/api/staff/accounts/${analyst.id}/enable`, {}, h.as(admin));
    expect(enabled.json().account).toMatchObject({ state: 'active' });
    const back = await h.session(analyst.email, analyst.secret);

    for (const action of ['disable', 'enrolment-link']) {
      const self = await h.post(`/api/staff/accounts/${admin.id}/${action}`, {}, h.as(admin));
      expect([self.statusCode, self.json().error.code]).toEqual([409, 'STAFF_CANNOT_CHANGE_SELF']);
    }

    const reset = await h.post(`/api/staff/accounts/${analyst.id}/enrolment-link`, {}, h.as(admin));
    expect(reset.statusCode).toBe(201);
    const fresh = EnrolmentLink.parse(reset.json());
    expect(fresh.account.state).toBe('pending');
    expect((await h.get('/api/staff/me', back)).statusCode).toBe(401);
    clock.tick();
    expect((await h.login(analyst.email, PASSWORD, h.code(analyst.secret), newClient())).statusCode).toBe(401);
    const secret = await h.enrol(fresh.enrolmentUrl.split('#')[1] as string, 'a brand new passphrase');
    clock.tick();
    expect((await h.login(analyst.email, 'a brand new passphrase', h.code(secret), newClient())).statusCode).toBe(201);

    for (const id of ['abc', '0', '-1', '1.5', '12345678901234567', '1e3']) {
      const res = await h.post(`/api/staff/accounts/${id}/disable`, {}, h.as(admin));
      expect([res.statusCode, res.json().error.code], id).toEqual([400, 'VALIDATION_FAILED']);
    }
    const missing = await h.post('/api/staff/accounts/999999/disable', {}, h.as(admin));
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);

    expect((await auditOf(analyst.id)).filter((e) => e.actor === `staff:${admin.id}`).map((e) => e.action)).toEqual(['staff.disabled', 'staff.enabled', 'staff.reset']);
  });

  it('refuses what a role does not allow, and writes the refusal to the audit log', async () => {
    const analyst = await h.member('analyst');
    const supervisor = await h.member('supervisor');
    for (const m of [analyst, supervisor]) {
      const list = await h.get('/api/staff/accounts', m);
      expect([list.statusCode, list.json().error.code]).toEqual([403, 'STAFF_PERMISSION_DENIED']);
      const add = await h.post('/api/staff/accounts', { email: uniqueEmail('x'), role: 'admin' }, h.as(m));
      expect([add.statusCode, add.json().error.code]).toEqual([403, 'STAFF_PERMISSION_DENIED']);
      const disable = await h.post(`/api/staff/accounts/${analyst.id}/disable`, {}, h.as(m));
      expect(disable.statusCode).toBe(403);
    }
    expect((await h.get('/api/staff/audit', analyst)).statusCode).toBe(403);
    expect((await h.get('/api/staff/audit', supervisor)).statusCode).toBe(200);
    const denied = (await auditOf(analyst.id)).filter((e) => e.action === 'staff.permission_denied');
    expect(denied[0]?.data).toEqual({ permission: 'staff.manage', method: 'GET', route: '/api/staff/accounts' });
    expect(denied.map((e) => e.data['permission'])).toContain('audit.read');

    for (const [method, url] of [
      ['GET', '/api/staff/me'],
      ['GET', '/api/staff/accounts'],
      ['GET', '/api/staff/audit'],
      ['POST', '/api/staff/accounts'],
      ['POST', '/api/staff/accounts/1/disable'],
      ['POST', '/api/staff/accounts/1/enable'],
      ['POST', '/api/staff/accounts/1/enrolment-link'],
      ['POST', '/api/staff/logout'],
      ['POST', '/api/staff/logout-everywhere'],
    ] as const) {
      for (const cookie of [undefined, `${STAFF_COOKIE}=forged`, `${STAFF_COOKIE}=${'A'.repeat(43)}`]) {
        const res = await t.app.inject({ method, url, ...(method === 'POST' ? { payload: {} } : {}), headers: cookie ? { cookie } : {} });
        expect([res.statusCode, res.json().error.code], `${method} ${url} ${cookie}`).toEqual([401, 'STAFF_SESSION_REQUIRED']);
      }
    }
  });

  it('pages through the audit log for supervisors: newest first, ids only, no addresses or secrets', async () => {
    const supervisor = await h.member('supervisor');
    const first = await h.get('/api/staff/audit?limit=5', supervisor);
    expect(first.statusCode).toBe(200);
    const page = AuditPage.parse(first.json());
    expect(page.entries).toHaveLength(5);
    expect(page.entries[0]).toMatchObject({ action: 'staff.login', actor: { kind: 'staff', id: supervisor.id } });
    const seqs = page.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const next = AuditPage.parse((await h.get(`/api/staff/audit?before=${page.nextBefore}&limit=5`, supervisor)).json());
    expect(next.entries[0]?.seq).toBe((page.nextBefore ?? 0) - 1);

    const everything = AuditPage.parse((await h.get('/api/staff/audit?limit=200', supervisor)).json());
    const text = JSON.stringify(everything);
    expect(text).not.toContain('@');
    expect(text).not.toContain(PASSWORD);

    for (const query of ['limit=0', 'limit=201', 'limit=abc', 'before=0', 'before=x', 'before=1&before=2', 'other=1']) {
      const res = await h.get(`/api/staff/audit?${query}`, supervisor);
      expect([res.statusCode, res.json().error.code], query).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('describes its routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/staff/enrolment/password', '/api/staff/enrolment/totp', '/api/staff/session', '/api/staff/me', '/api/staff/logout', '/api/staff/logout-everywhere', '/api/staff/accounts', '/api/staff/accounts/{id}/disable', '/api/staff/accounts/{id}/enable', '/api/staff/accounts/{id}/enrolment-link', '/api/staff/audit']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/staff/session'].post.requestBody.content['application/json'].schema.required).toEqual(['email', 'password', 'code']);
    const unknown = await t.app.inject({ method: 'GET', url: '/api/staff/nothing-here' });
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers every malformed request with a 4xx and a stable code, never a 500', async () => {
    const admin = await h.member('admin');
    const bodies: unknown[] = [
      null,
      [],
      'text',
      42,
      {},
      { unexpected: true },
      { token: 1, password: 2 },
      { token: 'A'.repeat(43), password: 'x'.repeat(257) },
      { token: 'A'.repeat(43), code: '１２３４５６' },
      { token: 'A'.repeat(43), code: '12345' },
      { email: 'not-an-address', password: PASSWORD, code: '123456' },
      { email: `${'a'.repeat(250)}@x.example`, password: PASSWORD, code: '123456' },
      { email: 'a@b.example', password: '', code: '123456' },
      { email: 'a@b.example', password: PASSWORD, code: '123456', extra: 1 },
      { email: 'a@b.example', role: 'root' },
      { email: 'a@b.example', role: 'admin', childSafety: 'yes' },
    ];
    for (const url of ['/api/staff/enrolment/password', '/api/staff/enrolment/totp', '/api/staff/session', '/api/staff/accounts']) {
      for (const body of bodies) {
        const res = await t.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...h.as(admin) }, remoteAddress: newClient() });
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${url} ${JSON.stringify(body)}`).toBeLessThan(500);
        expect(ERROR_CODES).toContain(res.json().error.code);
      }
      for (const raw of ['{', '{"email":', '\u0000']) {
        const res = await t.app.inject({ method: 'POST', url, payload: raw, headers: { 'content-type': 'application/json', ...h.as(admin) } });
        expect([res.statusCode, res.json().error.code], `${url} ${raw}`).toEqual([400, 'BAD_REQUEST']);
      }
      const big = await t.app.inject({ method: 'POST', url, payload: JSON.stringify({ password: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json', ...h.as(admin) } });
      expect([big.statusCode, big.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    }
  });
});

describe.each(BACKENDS)('staff cookies and logs on %s', (backend) => {
  const lines: string[] = [];
  const clock = testClock();
  let t: TestApp;
  const h = harness(() => t, clock);
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    t = await createTestApp(backend, createRootLogger({ level: 'trace', destination }), { now: clock.now, env: { HALTE_PUBLIC_URL: 'https://halte.example.org/' } });
  });
  afterAll(() => t.close());

  it('marks the cookie Secure when Halte is reached over https, and logs no address, password, code or token', async () => {
    const account = await h.newAccount('admin');
    const first = EnrolmentTotp.parse((await h.post('/api/staff/enrolment/password', { token: account.token, password: PASSWORD })).json());
    clock.tick();
    const confirming = h.code(first.secret);
    expect((await h.post('/api/staff/enrolment/totp', { token: account.token, code: confirming })).statusCode).toBe(200);
    clock.tick();
    const code = h.code(first.secret);
    const client = '198.51.100.23';
    const opened = await h.login(account.email, PASSWORD, code, client);
    expect(opened.statusCode).toBe(201);
    expect(String(opened.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    const session = { cookie: h.cookieOf(opened), csrf: StaffSessionOpened.parse(opened.json()).csrfToken };
    const created = EnrolmentLink.parse((await h.post('/api/staff/accounts', { email: uniqueEmail('analyst'), role: 'analyst' }, h.as(session))).json());
    expect(created.enrolmentUrl).toMatch(/^https:\/\/halte\.example\.org\/staff\/enrol#/);
    await h.login(account.email, 'a wrong passphrase here', code, client);
    await h.login('someone.else@staff.example.org', PASSWORD, code, client);
    expect((await h.post('/api/staff/logout', {}, h.as(session))).statusCode).toBe(204);

    const text = lines.join('');
    expect(text).toContain('"name":"staff"');
    for (const secret of [account.email, 'someone.else', PASSWORD, 'a wrong passphrase', first.secret, account.token, session.cookie.split('=')[1] as string, session.csrf, created.enrolmentUrl.split('#')[1] as string, client]) {
      expect(text, secret).not.toContain(secret);
    }
    // six digits can occur inside a timestamp: a code that leaked would be a string
    for (const digits of [confirming, code]) expect(text).not.toContain(`"${digits}"`);
  });
});

describe('the app as halte serve builds it (no test options)', () => {
  it('hashes staff passwords with argon2id at OWASP’s parameters', async () => {
    const database = await createTestDatabase('pglite');
    const sealer = await Sealer.create(await deriveKeys(new Uint8Array(randomBytes(32))));
    const app = buildApp(loadConfig({ HALTE_LOG_LEVEL: 'silent' }), { database, sealer, orient, logger: createRootLogger({ level: 'silent' }) });
    try {
      const issued = await createAccount({ db: database.db, now: () => new Date(), publicUrl: 'http://localhost:8080' }, { email: 'strong@staff.example.org', role: 'admin', childSafety: false }, OPERATOR);
      const res = await app.inject({ method: 'POST', url: '/api/staff/enrolment/password', payload: { token: issued.url.split('#')[1], password: PASSWORD } });
      expect(res.statusCode).toBe(200);
      const row = await database.db.selectFrom('staff').select('password_hash').where('id', '=', issued.account.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
