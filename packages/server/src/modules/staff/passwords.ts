// Staff passwords: argon2id (OWASP's recommended parameters), a minimum length, and a list of common
// passwords to refuse (decision 0014).
import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { MIN_PASSWORD_LENGTH } from '@halte/contract';

// 49,233 common passwords, most frequent first: @zxcvbn-ts/language-common 4.1.3 (MIT), see
// README.md in this folder for where it comes from and how to update it.
import commonPasswordList from './common-passwords.json' with { type: 'json' };

export interface PasswordHashing {
  /** KiB of memory per hash */
  readonly memoryCost: number;
  /** passes over the memory */
  readonly timeCost: number;
  /** lanes */
  readonly parallelism: number;
}

/**
 * OWASP Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of memory,
 * an iteration count of 2, and 1 degree of parallelism." Production always uses these (or stronger);
 * only tests pass weaker ones, through AppServices.staff.
 */
export const OWASP_ARGON2ID: PasswordHashing = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

// @node-rs/argon2 declares its Algorithm as a const enum, which isolated modules cannot read: its value.
const ARGON2ID = 2 as Algorithm;

export function hashPassword(password: string, params: PasswordHashing): Promise<string> {
  return hash(password.normalize('NFKC'), { ...params, algorithm: ARGON2ID, outputLen: 32 });
}

/** Constant-time within argon2; false (never an exception) for a hash that cannot be read. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFKC'));
  } catch {
    return false;
  }
}

/** A stored hash made with other parameters (or another algorithm) than the current ones: rehash at the next login. */
export function needsRehash(stored: string, params: PasswordHashing): boolean {
  try {
    const o = parseOptions(stored);
    return o.algorithm !== ARGON2ID || o.memoryCost !== params.memoryCost || o.timeCost !== params.timeCost || o.parallelism !== params.parallelism;
  } catch {
    return true;
  }
}

/** Lower-cased, NFKC: the list is checked case-insensitively. */
const COMMON: ReadonlySet<string> = new Set((commonPasswordList as string[]).map((p) => p.normalize('NFKC').toLowerCase()));

export const COMMON_PASSWORD_COUNT = COMMON.size;

export type PasswordProblem = 'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_COMMON';

/**
 * Why a password cannot be used, or null. Length in characters (code points, after NFKC as NIST
 * SP 800-63B advises), at least MIN_PASSWORD_LENGTH; refused when it is a common password (whatever
 * its case) or made of the account's own e-mail address.
 */
export function passwordProblem(password: string, email: string): PasswordProblem | null {
  const normalised = password.normalize('NFKC');
  if ([...normalised].length < MIN_PASSWORD_LENGTH) return 'PASSWORD_TOO_SHORT';
  const lower = normalised.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.trim())) return 'PASSWORD_TOO_COMMON';
  const local = email.split('@')[0] ?? '';
  if (lower === email || (local.length >= 4 && lower.replace(/[^\p{L}\p{N}]/gu, '') === local.replace(/[^\p{L}\p{N}]/gu, ''))) return 'PASSWORD_TOO_COMMON';
  return null;
}
