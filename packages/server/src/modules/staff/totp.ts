// TOTP (RFC 6238) with otpauth: the parameters every authenticator app reads (SHA-1, 6 digits,
// 30 seconds), a 160-bit secret made on the server, one step of clock drift either way.
import { Secret, TOTP } from 'otpauth';

export const TOTP_ISSUER = 'Halte';
export const TOTP_ALGORITHM = 'SHA1';
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** RFC 4226 § 4 (R6): at least 128 bits, 160 recommended. */
export const TOTP_SECRET_BYTES = 20;
/** Steps accepted either side of now: RFC 6238 § 5.2 recommends at most one for network delay and drift. */
export const TOTP_WINDOW = 1;

function totp(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random secret, base32 (what is sealed in the database and typed by hand if need be). */
export function newTotpSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

/** The otpauth:// URI an authenticator app scans (as a QR code). */
export function totpUri(secretBase32: string, label: string): string {
  return totp(secretBase32, label).toString();
}

/**
 * The time step the code belongs to (now, or one step either side), or null when it matches none.
 * The caller refuses a step it has already accepted once: each code works once.
 */
export function totpStep(secretBase32: string, code: string, now: Date): number | null {
  const t = totp(secretBase32, '');
  const delta = t.validate({ token: code, timestamp: now.getTime(), window: TOTP_WINDOW });
  return delta === null ? null : t.counter({ timestamp: now.getTime() }) + delta;
}

/** The code for a moment (tests, and nothing else, need this). */
export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32, '').generate({ timestamp: at.getTime() });
}
