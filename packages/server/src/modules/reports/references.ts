// Case references and PINs. A reference is what a person keeps and may say on the phone: 12 symbols of
// Crockford's base32 (no I, L, O, U: nothing to confuse), 60 random bits, so cases cannot be guessed or
// enumerated. The PIN is 8 random digits, shown once; with per-case lockout it cannot be brute-forced.
import { randomBytes, randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const REFERENCE_PATTERN = /^HLT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newReference(): string {
  const bytes = randomBytes(12);
  let symbols = '';
  // 12 symbols × 5 bits = 60 bits: the low 5 bits of each random byte (uniform over 32 symbols)
  for (const b of bytes) symbols += ALPHABET[b & 31];
  return `HLT-${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8, 12)}`;
}

export function newPin(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}

/** What people type: lower case, spaces, O for 0, I/L for 1 — read as the reference it means. */
export function normaliseReference(input: string): string {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const body = (compact.startsWith('HLT') ? compact.slice(3) : compact).replace(/O/g, '0').replace(/[IL]/g, '1');
  return body.length === 12 ? `HLT-${body.slice(0, 4)}-${body.slice(4, 8)}-${body.slice(8, 12)}` : input;
}
