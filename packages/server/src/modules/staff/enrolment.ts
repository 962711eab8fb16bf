// Enrolment through the one-time link, in two steps:
//   1. token + password → the password is checked and hashed, a TOTP secret is made and sealed, and the
//      otpauth:// URI is given — once: the link then only confirms (a second step 1 is refused);
//   2. token + a code from the authenticator → the account is active and the link spent.
// A few wrong codes at step 2 spend the link too (a new one comes from an admin).
import type { EnrolmentTotp } from '@halte/contract';

import { appendAudit, type AuditActor } from '../audit/log.js';
import { sha256, StaffError, type StaffDeps } from './accounts.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { newTotpSecret, TOTP_ALGORITHM, TOTP_DIGITS, TOTP_ISSUER, TOTP_PERIOD_SECONDS, totpStep, totpUri } from './totp.js';

/** Wrong codes a link survives at step 2. */
export const MAX_ENROLMENT_CODE_FAILURES = 5;

const anonymous = (staffId: number): AuditActor => ({ kind: 'anonymous', id: staffId });

async function openLink(deps: StaffDeps, token: string, now: Date) {
  const row = await deps.db
    .selectFrom('staff_enrolment as e')
    .innerJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.staff_id', 'e.expires_at', 'e.password_set_at', 'e.used_at', 'e.failed_codes', 's.email', 's.disabled_at', 's.totp_secret_enc'])
    .where('e.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.disabled_at !== null) throw new StaffError('ENROLMENT_TOKEN_INVALID', 400, 'this enrolment link is not valid');
  if (row.used_at !== null || row.failed_codes >= MAX_ENROLMENT_CODE_FAILURES) {
    throw new StaffError('ENROLMENT_TOKEN_USED', 410, 'this enrolment link was already used: ask an administrator for a new one');
  }
  if (row.expires_at <= now) throw new StaffError('ENROLMENT_TOKEN_EXPIRED', 410, 'this enrolment link has expired: ask an administrator for a new one');
  return row;
}

function sealer(deps: StaffDeps) {
  if (!deps.sealer) throw new Error('@NOTE enrolment needs the sealer (TOTP secrets are sealed at rest)');
  return deps.sealer;
}

/** Step 1: the password; answers the authenticator's secret, once. */
export async function choosePassword(deps: StaffDeps, token: string, password: string): Promise<EnrolmentTotp> {
  const now = deps.now();
  const link = await openLink(deps, token, now);
  if (link.password_set_at !== null) {
    throw new StaffError('ENROLMENT_STEP_INVALID', 409, 'the password is already chosen: confirm the code of your authenticator app, or ask for a new link');
  }
  const problem = passwordProblem(password, link.email);
  if (problem === 'PASSWORD_TOO_SHORT') throw new StaffError(problem, 400, 'the password is too short: at least 12 characters');
  if (problem === 'PASSWORD_TOO_COMMON') throw new StaffError(problem, 400, 'this password is too common or too close to the e-mail address: choose another');
  // hashing takes tens of milliseconds: before the transaction, not inside it
  const passwordHash = await hashPassword(password, deps.hashing);
  const secret = newTotpSecret();
  await deps.db.transaction().execute(async (trx) => {
    // conditional: of two concurrent first steps, one wins; the other is refused
    const claimed = await trx
      .updateTable('staff_enrolment')
      .set({ password_set_at: now })
      .where('token_hash', '=', sha256(token))
      .where('password_set_at', 'is', null)
      .where('used_at', 'is', null)
      .returning('staff_id')
      .executeTakeFirst();
    if (!claimed) throw new StaffError('ENROLMENT_STEP_INVALID', 409, 'the password is already chosen: confirm the code of your authenticator app, or ask for a new link');
    await trx
      .updateTable('staff')
      .set({ password_hash: passwordHash, totp_secret_enc: sealer(deps).seal(secret), totp_last_step: null, enrolled_at: null })
      .where('id', '=', link.staff_id)
      .execute();
    await appendAudit(trx, { actor: anonymous(link.staff_id), action: 'staff.enrolment_password_set', target: { kind: 'staff', id: link.staff_id } }, now);
  });
  return {
    otpauthUri: totpUri(secret, link.email),
    secret,
    issuer: TOTP_ISSUER,
    label: link.email,
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  };
}

/** Step 2: a code from the authenticator; the account becomes active. */
export async function confirmAuthenticator(deps: StaffDeps, token: string, code: string): Promise<void> {
  const now = deps.now();
  const link = await openLink(deps, token, now);
  if (link.password_set_at === null || link.totp_secret_enc === null) {
    throw new StaffError('ENROLMENT_STEP_INVALID', 409, 'choose a password first');
  }
  const step = totpStep(sealer(deps).open<string>(new Uint8Array(link.totp_secret_enc)), code, now);
  await deps.db.transaction().execute(async (trx) => {
    if (step === null) {
      const failed = await trx
        .updateTable('staff_enrolment')
        .set((eb) => ({ failed_codes: eb('failed_codes', '+', 1) }))
        .where('token_hash', '=', sha256(token))
        .returning('failed_codes')
        .executeTakeFirstOrThrow();
      await appendAudit(
        trx,
        { actor: anonymous(link.staff_id), action: 'staff.enrolment_code_rejected', target: { kind: 'staff', id: link.staff_id }, data: { linkSpent: failed.failed_codes >= MAX_ENROLMENT_CODE_FAILURES } },
        now,
      );
      return;
    }
    const spent = await trx
      .updateTable('staff_enrolment')
      .set({ used_at: now })
      .where('token_hash', '=', sha256(token))
      .where('used_at', 'is', null)
      .returning('staff_id')
      .executeTakeFirst();
    if (!spent) throw new StaffError('ENROLMENT_TOKEN_USED', 410, 'this enrolment link was already used');
    // the confirming code counts as used: it cannot open a session afterwards
    await trx.updateTable('staff').set({ enrolled_at: now, totp_last_step: step, failed_logins: 0, locked_until: null }).where('id', '=', link.staff_id).execute();
    await trx.deleteFrom('staff_enrolment').where('staff_id', '=', link.staff_id).where('used_at', 'is', null).execute();
    await appendAudit(trx, { actor: { kind: 'staff', id: link.staff_id }, action: 'staff.enrolled', target: { kind: 'staff', id: link.staff_id } }, now);
  });
  if (step === null) throw new StaffError('TOTP_CODE_INVALID', 400, 'this code is not the one the authenticator app shows now');
}
