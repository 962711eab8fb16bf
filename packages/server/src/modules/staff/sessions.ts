// Staff login and sessions (decision 0014).
//
// Login takes e-mail + password + TOTP code and answers the same for an unknown address, a wrong
// password, a wrong or replayed code, a pending or a disabled account — at the same cost (an unknown
// address is checked against a decoy hash). Failures lock the account with a growing delay; unknown
// addresses get the same delays from memory, so that a lock does not tell an address exists.
// A session is a random cookie token and a random CSRF token; only their SHA-256 are stored. It ends
// after 30 minutes without a request, 12 hours after login, at logout, and when the account is
// disabled or reset.
import { randomBytes, timingSafeEqual } from 'node:crypto';

import { appendAudit } from '../audit/log.js';
import { newToken, sha256, type StaffDeps } from './accounts.js';
import { hashPassword, needsRehash, verifyPassword, type PasswordHashing } from './passwords.js';
import type { Actor } from './permissions.js';
import { totpStep } from './totp.js';

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_ABSOLUTE_HOURS = 12;
/** Failed logins in a row before the delays start; then 1, 2, 4 … minutes, at most MAX_LOCK_MINUTES. */
export const FREE_LOGIN_ATTEMPTS = 5;
/** Bounded: a lock is also what someone who knows an address can inflict on its owner. */
export const MAX_LOCK_MINUTES = 60;

export function lockMinutes(failures: number): number {
  return failures < FREE_LOGIN_ATTEMPTS ? 0 : Math.min(2 ** (failures - FREE_LOGIN_ATTEMPTS), MAX_LOCK_MINUTES);
}

export interface SessionActor extends Actor {
  readonly email: string;
  /** SHA-256 of the session's cookie token */
  readonly tokenHash: Uint8Array;
  readonly csrfHash: Uint8Array;
  readonly expiresAt: Date;
}

/**
 * The growing delays of unknown addresses, in memory only (never stored, never logged; keys are
 * SHA-256 of the address). Forgotten a day after their last failure.
 */
export class UnknownAccountDelays {
  readonly #entries = new Map<string, { failures: number; lockedUntil: number; last: number }>();

  /** Seconds until the address may be tried again, or 0. */
  retryAfter(email: string, now: Date): number {
    const entry = this.#entries.get(sha256(email).toString('hex'));
    return entry && entry.lockedUntil > now.getTime() ? Math.ceil((entry.lockedUntil - now.getTime()) / 1000) : 0;
  }

  /** Counts a failure; the delay it sets, in minutes (0 = none). */
  fail(email: string, now: Date): number {
    const key = sha256(email).toString('hex');
    const t = now.getTime();
    const entry = this.#entries.get(key);
    const failures = entry && entry.last > t - 24 * 3600_000 ? entry.failures + 1 : 1;
    const minutes = lockMinutes(failures);
    this.#entries.delete(key); // re-inserted last: the map stays in order of last failure
    this.#entries.set(key, { failures, lockedUntil: t + minutes * 60_000, last: t });
    if (this.#entries.size > 100_000) {
      for (const [k, e] of this.#entries) {
        if (e.last > t - 24 * 3600_000 && this.#entries.size <= 100_000) break;
        this.#entries.delete(k);
      }
    }
    return minutes;
  }
}

// Hash of a random password with the current parameters: what an unknown address is verified against.
const decoys = new Map<string, Promise<string>>();
function decoyHash(params: PasswordHashing): Promise<string> {
  const key = `${params.memoryCost}/${params.timeCost}/${params.parallelism}`;
  let decoy = decoys.get(key);
  if (!decoy) {
    decoy = hashPassword(randomBytes(32).toString('base64'), params);
    decoys.set(key, decoy);
  }
  return decoy;
}

/** Why a login failed, for the audit log only: the answer is the same for all. */
export type LoginFailure = 'unknown_account' | 'wrong_password' | 'not_enrolled' | 'disabled' | 'wrong_code' | 'replayed_code' | 'locked';

export type LoginOutcome =
  | { readonly ok: true; readonly token: string; readonly csrfToken: string; readonly actor: SessionActor }
  | { readonly ok: false; readonly locked: false; readonly reason: LoginFailure }
  | { readonly ok: false; readonly locked: true; readonly retryAfterSeconds: number; readonly justLocked: boolean; readonly reason: LoginFailure };

export async function login(deps: StaffDeps, delays: UnknownAccountDelays, email: string, password: string, code: string): Promise<LoginOutcome> {
  const now = deps.now();
  const row = await deps.db.selectFrom('staff').selectAll().where('email', '=', email).executeTakeFirst();

  if (!row) {
    const wait = delays.retryAfter(email, now);
    if (wait > 0) {
      await appendAudit(deps.db, { actor: { kind: 'anonymous', id: null }, action: 'staff.login_failed', data: { reason: 'locked' } }, now);
      return { ok: false, locked: true, retryAfterSeconds: wait, justLocked: false, reason: 'locked' };
    }
    await verifyPassword(await decoyHash(deps.hashing), password);
    const minutes = delays.fail(email, now);
    await appendAudit(deps.db, { actor: { kind: 'anonymous', id: null }, action: 'staff.login_failed', data: { reason: 'unknown_account', lockedMinutes: minutes } }, now);
    return minutes > 0 ? { ok: false, locked: true, retryAfterSeconds: minutes * 60, justLocked: true, reason: 'unknown_account' } : { ok: false, locked: false, reason: 'unknown_account' };
  }

  const target = { kind: 'staff', id: row.id } as const;
  const someone = { kind: 'anonymous', id: row.id } as const;
  if (row.locked_until !== null && row.locked_until > now) {
    await appendAudit(deps.db, { actor: someone, action: 'staff.login_failed', target, data: { reason: 'locked' } }, now);
    return { ok: false, locked: true, retryAfterSeconds: Math.ceil((row.locked_until.getTime() - now.getTime()) / 1000), justLocked: false, reason: 'locked' };
  }

  const passwordOk = await verifyPassword(row.password_hash ?? (await decoyHash(deps.hashing)), password);
  let failure: LoginFailure | null = null;
  let step: number | null = null;
  if (!passwordOk || row.password_hash === null) failure = 'wrong_password';
  else if (row.enrolled_at === null || row.totp_secret_enc === null) failure = 'not_enrolled';
  else if (row.disabled_at !== null) failure = 'disabled';
  else {
    if (!deps.sealer) throw new Error('@NOTE login needs the sealer (TOTP secrets are sealed at rest)');
    step = totpStep(deps.sealer.open<string>(new Uint8Array(row.totp_secret_enc)), code, now);
    if (step === null) failure = 'wrong_code';
  }
  // parameters raised since this password was hashed: hash it again now that it is known
  const rehashed = failure === null && row.password_hash !== null && needsRehash(row.password_hash, deps.hashing) ? await hashPassword(password, deps.hashing) : null;

  return deps.db.transaction().execute(async (trx): Promise<LoginOutcome> => {
    if (failure === null && step !== null) {
      // conditional: a code is accepted once, even by two logins at the same moment
      const claimed = await trx
        .updateTable('staff')
        .set({ totp_last_step: step, failed_logins: 0, locked_until: null, last_login_at: now, ...(rehashed ? { password_hash: rehashed } : {}) })
        .where('id', '=', row.id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .returning('id')
        .executeTakeFirst();
      if (!claimed) failure = 'replayed_code';
    }
    if (failure !== null) {
      const counted = await trx
        .updateTable('staff')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('id', '=', row.id)
        .returning('failed_logins')
        .executeTakeFirstOrThrow();
      const minutes = lockMinutes(counted.failed_logins);
      if (minutes > 0) await trx.updateTable('staff').set({ locked_until: new Date(now.getTime() + minutes * 60_000) }).where('id', '=', row.id).execute();
      await appendAudit(trx, { actor: someone, action: 'staff.login_failed', target, data: { reason: failure, failures: counted.failed_logins, lockedMinutes: minutes } }, now);
      return minutes > 0 ? { ok: false, locked: true, retryAfterSeconds: minutes * 60, justLocked: true, reason: failure } : { ok: false, locked: false, reason: failure };
    }
    const token = newToken();
    const csrfToken = newToken();
    const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_HOURS * 3600_000);
    await trx
      .deleteFrom('staff_session')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000))]))
      .execute();
    await trx
      .insertInto('staff_session')
      .values({ token_hash: sha256(token), staff_id: row.id, csrf_hash: sha256(csrfToken), created_at: now, last_seen_at: now, expires_at: expiresAt })
      .execute();
    await appendAudit(trx, { actor: { kind: 'staff', id: row.id }, action: 'staff.login', target, data: { rehashed: rehashed !== null } }, now);
    return {
      ok: true,
      token,
      csrfToken,
      actor: { id: row.id, email: row.email, role: row.role, childSafety: row.child_safety, tokenHash: sha256(token), csrfHash: sha256(csrfToken), expiresAt },
    };
  });
}

/**
 * The account behind a session token, and the session kept alive — or null when the session is
 * unknown, idle too long, past its end, or its account is disabled or no longer enrolled. One statement.
 */
/**
 * A session's last-seen time is moved at most once a minute: a staff read is then read-only (no row
 * lock, no commit to wait for), and the idle timeout is exact to within that minute.
 */
export const TOUCH_INTERVAL_SECONDS = 60;

export async function touchSession(deps: Pick<StaffDeps, 'db' | 'now'>, token: string): Promise<SessionActor | null> {
  const now = deps.now();
  const tokenHash = sha256(token);
  const row = await deps.db
    .selectFrom('staff_session')
    .innerJoin('staff', 'staff.id', 'staff_session.staff_id')
    .select(['staff.id', 'staff.email', 'staff.role', 'staff.child_safety', 'staff_session.csrf_hash', 'staff_session.expires_at', 'staff_session.last_seen_at'])
    .where('staff_session.token_hash', '=', tokenHash)
    .where('staff_session.expires_at', '>', now)
    .where('staff_session.last_seen_at', '>', new Date(now.getTime() - SESSION_IDLE_MINUTES * 60_000))
    .where('staff.disabled_at', 'is', null)
    .where('staff.enrolled_at', 'is not', null)
    .executeTakeFirst();
  if (!row) return null;
  if (row.last_seen_at.getTime() < now.getTime() - TOUCH_INTERVAL_SECONDS * 1000) {
    await deps.db.updateTable('staff_session').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).where('last_seen_at', '<', now).execute();
  }
  return { id: row.id, email: row.email, role: row.role, childSafety: row.child_safety, tokenHash, csrfHash: new Uint8Array(row.csrf_hash), expiresAt: row.expires_at };
}

/** Whether the header's CSRF token is the session's (constant time). */
export function csrfMatches(actor: SessionActor, header: string | undefined): boolean {
  if (header === undefined || !/^[A-Za-z0-9_-]{43}$/.test(header)) return false;
  const candidate = sha256(header);
  return candidate.length === actor.csrfHash.length && timingSafeEqual(candidate, actor.csrfHash);
}

export async function logout(deps: Pick<StaffDeps, 'db' | 'now'>, actor: SessionActor): Promise<void> {
  const now = deps.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('staff_session').where('token_hash', '=', actor.tokenHash).execute();
    await appendAudit(trx, { actor: { kind: 'staff', id: actor.id }, action: 'staff.logout', target: { kind: 'staff', id: actor.id } }, now);
  });
}

/** Ends every session of the account (this one included). */
export async function logoutEverywhere(deps: Pick<StaffDeps, 'db' | 'now'>, actor: SessionActor): Promise<number> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const ended = await trx.deleteFrom('staff_session').where('staff_id', '=', actor.id).executeTakeFirst();
    const count = Number(ended.numDeletedRows);
    await appendAudit(trx, { actor: { kind: 'staff', id: actor.id }, action: 'staff.logout_everywhere', target: { kind: 'staff', id: actor.id }, data: { sessionsEnded: count } }, now);
    return count;
  });
}
