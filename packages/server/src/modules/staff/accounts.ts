// Staff accounts: created with a one-time enrolment link (by `halte staff add` or an admin), listed,
// disabled (every session ends at once), re-enabled, and reset (a new link; password and authenticator
// forgotten). Every change is written to the audit log in the same transaction.
import { createHash, randomBytes } from 'node:crypto';

import type { StaffAccount, StaffRole } from '@halte/contract';
import type { Kysely, Selectable } from 'kysely';

import type { Sealer } from '../../crypto/sealed.js';
import type { Database } from '../../db/schema/index.js';
import type { StaffTable } from '../../db/schema/staff.js';
import { ApiRefusal } from '../../http/errors.js';
import { appendAudit, type AuditActor } from '../audit/log.js';
import type { PasswordHashing } from './passwords.js';

/** An enrolment link works for 72 hours (time to reach the person, not so long that it lies around). */
export const ENROLMENT_HOURS = 72;
/** Where the staff web area takes the person; the token is in the fragment, which browsers never send. */
export const ENROLMENT_PATH = '/staff/enrol';

export interface StaffDeps {
  readonly db: Kysely<Database>;
  /** seals TOTP secrets (the command line, which never handles them, has none) */
  readonly sealer?: Sealer;
  readonly hashing: PasswordHashing;
  readonly now: () => Date;
  /** HALTE_PUBLIC_URL, no trailing slash */
  readonly publicUrl: string;
}

export type AccountDeps = Pick<StaffDeps, 'db' | 'now' | 'publicUrl'>;

/** A refusal the caller words with its stable code (HTTP status, or the command's message). */
export class StaffError extends ApiRefusal {
  override readonly name = 'StaffError';
}

export type StaffRow = Selectable<StaffTable>;

export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();
/** 32 random bytes, base64url (43 characters): session, CSRF and enrolment tokens. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export function accountState(row: Pick<StaffRow, 'enrolled_at' | 'disabled_at'>): StaffAccount['state'] {
  if (row.disabled_at !== null) return 'disabled';
  return row.enrolled_at === null ? 'pending' : 'active';
}

/** The only path from a staff row to what admins see: never a hash, a secret or a counter. */
export function presentAccount(row: StaffRow, now: Date): StaffAccount {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    childSafety: row.child_safety,
    state: accountState(row),
    createdAt: row.created_at.toISOString(),
    enrolledAt: row.enrolled_at?.toISOString() ?? null,
    disabledAt: row.disabled_at?.toISOString() ?? null,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until.toISOString() : null,
  };
}

export interface IssuedLink {
  readonly account: StaffAccount;
  readonly url: string;
  readonly expiresAt: Date;
}

async function issueLink(deps: AccountDeps, trx: Kysely<Database>, staffId: number, now: Date): Promise<{ url: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ENROLMENT_HOURS * 3600_000);
  await trx.insertInto('staff_enrolment').values({ token_hash: sha256(token), staff_id: staffId, expires_at: expiresAt }).execute();
  return { url: `${deps.publicUrl}${ENROLMENT_PATH}#${token}`, expiresAt };
}

export async function createAccount(
  deps: AccountDeps,
  input: { readonly email: string; readonly role: StaffRole; readonly childSafety: boolean },
  actor: AuditActor,
): Promise<IssuedLink> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('staff')
      .values({ email: input.email, role: input.role, child_safety: input.childSafety, password_hash: null, totp_secret_enc: null, totp_last_step: null, enrolled_at: null, disabled_at: null, locked_until: null, last_login_at: null })
      .onConflict((c) => c.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new StaffError('STAFF_ACCOUNT_EXISTS', 409, 'an account with this e-mail address exists');
    const link = await issueLink(deps, trx, row.id, now);
    await appendAudit(trx, { actor, action: 'staff.created', target: { kind: 'staff', id: row.id }, data: { role: input.role, childSafety: input.childSafety } }, now);
    return { account: presentAccount(row, now), ...link };
  });
}

export async function listAccounts(deps: Pick<AccountDeps, 'db' | 'now'>): Promise<StaffAccount[]> {
  const now = deps.now();
  return (await deps.db.selectFrom('staff').selectAll().orderBy('id').execute()).map((r) => presentAccount(r, now));
}

export async function accountIdByEmail(db: Kysely<Database>, email: string): Promise<number | null> {
  return (await db.selectFrom('staff').select('id').where('email', '=', email).executeTakeFirst())?.id ?? null;
}

const notFound = () => new StaffError('NOT_FOUND', 404, 'no such staff account');

/** Disables the account and ends its sessions at once; its unused enrolment links stop working. */
export async function disableAccount(deps: AccountDeps, id: number, actor: AuditActor): Promise<StaffAccount> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('staff').select('disabled_at').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) throw notFound();
    const row = await trx
      .updateTable('staff')
      .set({ disabled_at: current.disabled_at ?? now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const ended = await trx.deleteFrom('staff_session').where('staff_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('staff_enrolment').where('staff_id', '=', id).where('used_at', 'is', null).execute();
    await appendAudit(
      trx,
      { actor, action: 'staff.disabled', target: { kind: 'staff', id }, data: { sessionsEnded: Number(ended.numDeletedRows), wasDisabled: current.disabled_at !== null } },
      now,
    );
    return presentAccount(row, now);
  });
}

/** Re-enables a disabled account (and lifts a login lock). A pending account needs a new link too. */
export async function enableAccount(deps: AccountDeps, id: number, actor: AuditActor): Promise<StaffAccount> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('staff').set({ disabled_at: null, failed_logins: 0, locked_until: null }).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound();
    await appendAudit(trx, { actor, action: 'staff.enabled', target: { kind: 'staff', id } }, now);
    return presentAccount(row, now);
  });
}

/**
 * A new enrolment link (lost phone, forgotten password, suspected compromise): the password and the
 * authenticator are forgotten at once, every session ends, older links stop working. The account
 * stays pending until the person has enrolled again (and disabled, if it was).
 */
export async function resetAccount(deps: AccountDeps, id: number, actor: AuditActor): Promise<IssuedLink> {
  const now = deps.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('staff')
      .set({ password_hash: null, totp_secret_enc: null, totp_last_step: null, enrolled_at: null, failed_logins: 0, locked_until: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound();
    const ended = await trx.deleteFrom('staff_session').where('staff_id', '=', id).executeTakeFirst();
    await trx.deleteFrom('staff_enrolment').where('staff_id', '=', id).execute();
    const link = await issueLink(deps, trx, id, now);
    await appendAudit(trx, { actor, action: 'staff.reset', target: { kind: 'staff', id }, data: { sessionsEnded: Number(ended.numDeletedRows) } }, now);
    return { account: presentAccount(row, now), ...link };
  });
}
