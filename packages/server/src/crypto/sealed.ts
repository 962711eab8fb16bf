// Personal data at rest: XSalsa20-Poly1305 (libsodium secretbox), a random nonce per value, stored as
// nonce ‖ ciphertext. Any change to the stored bytes makes decryption fail rather than return garbage.
import { createHmac } from 'node:crypto';

import sodium from 'libsodium-wrappers';

import type { Keys } from './keys.js';

export class Sealer {
  readonly #keys: Keys;

  private constructor(keys: Keys) {
    this.#keys = keys;
  }

  static async create(keys: Keys): Promise<Sealer> {
    await sodium.ready;
    return new Sealer(keys);
  }

  seal(value: unknown): Uint8Array {
    const nonce = sodium.randombytes_buf(sodium.crypto_secretbox_NONCEBYTES);
    const box = sodium.crypto_secretbox_easy(new TextEncoder().encode(JSON.stringify(value)), nonce, this.#keys.data);
    const out = new Uint8Array(nonce.length + box.length);
    out.set(nonce, 0);
    out.set(box, nonce.length);
    return out;
  }

  open<T>(sealed: Uint8Array): T {
    const n = sodium.crypto_secretbox_NONCEBYTES;
    const plain = sodium.crypto_secretbox_open_easy(sealed.subarray(n), sealed.subarray(0, n), this.#keys.data);
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  }

  /** Keyed BLAKE2b of a PIN bound to its case reference: equal only for the same PIN of the same case. */
  pinHash(reference: string, pin: string): Uint8Array {
    return sodium.crypto_generichash(32, `${reference}\u0000${pin}`, this.#keys.pin);
  }

  /** HMAC-SHA-256 of `data` for one purpose: a token Halte issued, recognised when it comes back unaltered. */
  mac(purpose: string, data: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#keys.mac).update(`${purpose}\u0000${data}`).digest());
  }

  /** Constant-time comparison of two hashes. */
  static equal(a: Uint8Array, b: Uint8Array): boolean {
    return a.length === b.length && sodium.memcmp(a, b);
  }
}
