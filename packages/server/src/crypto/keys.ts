// The server's secret key: encrypts personal data at rest and keys the PIN hashes. It lives outside the
// database — HALTE_SECRET_KEY, or a key file made on first run in the data directory (owner-only) —
// so that a database dump alone reveals nothing. Losing it makes the encrypted fields unreadable.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import sodium from 'libsodium-wrappers';

const KEY_FILE = 'secret.key';

export interface SecretKeySource {
  /** base64 of 32 bytes, from HALTE_SECRET_KEY */
  readonly fromEnv: string | undefined;
  readonly dataDir: string;
}

export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** The 32-byte master key, and whether it was just generated (the operator must back it up). */
export function loadSecretKey(source: SecretKeySource): { key: Uint8Array; generatedAt: string | null } {
  if (source.fromEnv !== undefined) {
    const key = Buffer.from(source.fromEnv, 'base64');
    if (key.length !== 32 || key.toString('base64') !== source.fromEnv.trim()) {
      throw new SecretKeyError('HALTE_SECRET_KEY must be 32 bytes in base64 (44 characters); generate one with "openssl rand -base64 32"');
    }
    return { key: new Uint8Array(key), generatedAt: null };
  }
  const path = join(source.dataDir, KEY_FILE);
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new SecretKeyError(`${path} does not hold a 32-byte base64 key`);
    return { key: new Uint8Array(key), generatedAt: null };
  }
  mkdirSync(source.dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key: new Uint8Array(key), generatedAt: path };
}

/** Sub-keys derived from the master key, one per purpose (libsodium's KDF). */
export interface Keys {
  /** secretbox key for personal data at rest */
  readonly data: Uint8Array;
  /** BLAKE2b key for PIN hashes */
  readonly pin: Uint8Array;
  /** HMAC key for tokens Halte hands out and must recognise again (the bank feed's cursors) */
  readonly mac: Uint8Array;
}

export async function deriveKeys(master: Uint8Array): Promise<Keys> {
  await sodium.ready;
  return {
    data: sodium.crypto_kdf_derive_from_key(32, 1, 'halte-dt', master),
    pin: sodium.crypto_kdf_derive_from_key(32, 2, 'halte-pn', master),
    mac: sodium.crypto_kdf_derive_from_key(32, 3, 'halte-mc', master),
  };
}
