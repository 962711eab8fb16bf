// Staff accounts: enrolment (one-time link → password → TOTP), login (email + password + TOTP code →
// session cookie + CSRF token), the account's own view, the admin's list, and the audit log's pages.
import { z } from 'zod';

export const STAFF_ROLES = ['analyst', 'supervisor', 'admin'] as const;
export const StaffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRole>;

/**
 * What staff may do. Case actions are also decided per case (a minor's case needs the child-safety
 * permission; an analyst works unassigned cases and their own): the server's `can(actor, action, facts)`.
 */
export const STAFF_ACTIONS = [
  /** see the queue of cases */
  'cases.queue',
  /** open a case (what the person sent is decrypted: each read is audited) */
  'cases.read',
  /** take an unassigned case */
  'cases.claim',
  /** qualify, note, answer, move through the workflow */
  'cases.work',
  /** give a case to someone else, or take it from them */
  'cases.reassign',
  /** reopen a closed case */
  'cases.reopen',
  'statistics.read',
  'audit.read',
  /** staff accounts: add, disable, re-enable, new enrolment link */
  'staff.manage',
  'partners.manage',
  'settings.manage',
  /** review hashes partners reported as false positives (the bank's quarantine): restore or reject */
  'bank.review',
  /** the host directory of takedown notices: add and edit hosts and their notice channels */
  'hosts.manage',
  /** live chat: go on duty, take the next chat, write in one's chats */
  'chat.counsel',
] as const;
export const StaffAction = z.enum(STAFF_ACTIONS);
export type StaffAction = z.infer<typeof StaffAction>;

/** NIST SP 800-63B asks for at least 8 characters when the password is one of two factors; staff open victims' cases: 12. */
export const MIN_PASSWORD_LENGTH = 12;
/** Long passphrases are welcome; the bound keeps the hashing cost bounded. */
export const MAX_PASSWORD_LENGTH = 256;

/** An e-mail address, compared and stored lower-case. */
export const StaffEmail = z.string().trim().max(254).toLowerCase().pipe(z.email('must be an e-mail address'));

/** A 6-digit TOTP code; the space authenticator apps show in the middle ("123 456") is accepted. */
export const TotpCode = z
  .string()
  .max(20)
  .transform((v) => v.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'the code has 6 digits'));

/** The random part of an enrolment link: 32 bytes, base64url. */
export const EnrolmentToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an enrolment token');

/** The password is checked for length and against common passwords by the server (stable error codes). */
const Password = z.string().min(1).max(MAX_PASSWORD_LENGTH);

/** POST /api/staff/enrolment/password: the link's token and the chosen password. */
export const EnrolmentPasswordRequest = z.strictObject({ token: EnrolmentToken, password: Password });
export type EnrolmentPasswordRequest = z.infer<typeof EnrolmentPasswordRequest>;

/** The TOTP secret, given once: to scan (otpauth:// URI, as a QR code) or to type (base32). */
export const EnrolmentTotp = z.object({
  otpauthUri: z.string(),
  secret: z.string(),
  issuer: z.string(),
  label: z.string(),
  algorithm: z.literal('SHA1'),
  digits: z.literal(6),
  period: z.literal(30),
});
export type EnrolmentTotp = z.infer<typeof EnrolmentTotp>;

/** POST /api/staff/enrolment/totp: a code from the authenticator proves the secret was saved. */
export const EnrolmentTotpRequest = z.strictObject({ token: EnrolmentToken, code: TotpCode });
export const EnrolmentDone = z.object({ status: z.literal('active') });

/** POST /api/staff/session */
export const StaffLoginRequest = z.strictObject({
  email: StaffEmail,
  password: Password,
  code: TotpCode,
});
export type StaffLoginRequest = z.infer<typeof StaffLoginRequest>;

/** GET /api/staff/me: who is logged in, and what their role lets them do. */
export const StaffMe = z.object({
  id: z.number(),
  email: z.string(),
  role: StaffRole,
  childSafety: z.boolean(),
  permissions: z.array(StaffAction),
});
export type StaffMe = z.infer<typeof StaffMe>;

/**
 * POST /api/staff/session: the cookie `halte_staff` is set; `csrfToken` goes in the `x-csrf-token`
 * header of every state-changing staff request (it is given only here: keep it for the session).
 */
export const StaffSessionOpened = z.object({
  csrfToken: z.string(),
  /** the session ends then at the latest */
  expiresAt: z.string(),
  /** and earlier after this long without a request */
  idleTimeoutMinutes: z.number(),
  staff: StaffMe,
});
export type StaffSessionOpened = z.infer<typeof StaffSessionOpened>;

export const STAFF_ACCOUNT_STATES = ['pending', 'active', 'disabled'] as const;

/** An account as admins see it. */
export const StaffAccount = z.object({
  id: z.number(),
  email: z.string(),
  role: StaffRole,
  childSafety: z.boolean(),
  /** pending: enrolment not finished; disabled: cannot log in, sessions ended */
  state: z.enum(STAFF_ACCOUNT_STATES),
  createdAt: z.string(),
  enrolledAt: z.string().nullable(),
  disabledAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** logins refused until then (too many failures) */
  lockedUntil: z.string().nullable(),
});
export type StaffAccount = z.infer<typeof StaffAccount>;

/** /api/staff/accounts/:id/… */
export const StaffAccountParams = z.strictObject({
  id: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an account number')
    .transform(Number),
});

/** POST /api/staff/accounts/:id/disable and …/enable */
export const StaffAccountChanged = z.object({ account: StaffAccount });

/** GET /api/staff/accounts */
export const StaffAccountList = z.object({ accounts: z.array(StaffAccount) });

/** POST /api/staff/accounts */
export const CreateStaffRequest = z.strictObject({
  email: StaffEmail,
  role: StaffRole,
  childSafety: z.boolean().default(false),
});
export type CreateStaffRequest = z.infer<typeof CreateStaffRequest>;

/** POST /api/staff/accounts and …/:id/enrolment-link: the one-time link to hand to the person. */
export const EnrolmentLink = z.object({ account: StaffAccount, enrolmentUrl: z.string(), expiresAt: z.string() });

/** One entry of the audit log: ids only, never a victim's personal data. */
export const AuditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ kind: z.enum(['staff', 'operator', 'anonymous', 'system']), id: z.number().nullable() }),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  /** SHA-256 of this entry (hex), chained to the previous one's */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const MAX_AUDIT_PAGE = 200;

/** GET /api/staff/audit?before=SEQ&limit=N: newest first. */
export const AuditQuery = z.strictObject({
  before: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'must be an entry number')
    .transform(Number)
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n <= MAX_AUDIT_PAGE, `at most ${MAX_AUDIT_PAGE}`)
    .optional(),
});

export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  /** pass as `before` for the next (older) page; null at the first entry */
  nextBefore: z.number().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;
