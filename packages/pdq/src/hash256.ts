import { PdqError } from './errors.js';

// A 256-bit hash is held internally as 8 little-endian 32-bit words: word w holds bits 32w..32w+31,
// where bit k is DCT coefficient (row k >> 4, column k & 15). The hex form is the reference's: the
// big-endian 256-bit number, i.e. 16-bit word 15 first. So hex digits 0..7 are word 7, 56..63 word 0.

const HEX_RE = /^[0-9a-fA-F]{64}$/;

/** Parses 64 hex digits (either case) into 8 words at `out[offset..offset+8)`. */
export function hexToWords(hex: string, out: Uint32Array = new Uint32Array(8), offset = 0): Uint32Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) {
    throw new PdqError(
      'HASH_HEX_INVALID',
      `a PDQ hash is 64 hexadecimal digits; got ${describe(hex)}`,
    );
  }
  for (let w = 0; w < 8; w++) {
    const start = (7 - w) * 8;
    out[offset + w] = Number.parseInt(hex.slice(start, start + 8), 16) >>> 0;
  }
  return out;
}

/** Formats 8 words as the reference's 64 lower-case hex digits. */
export function wordsToHex(words: ArrayLike<number>, offset = 0): string {
  let hex = '';
  for (let w = 7; w >= 0; w--) {
    hex += ((words[offset + w] ?? 0) >>> 0).toString(16).padStart(8, '0');
  }
  return hex;
}

/**
 * Converts a hex hash to its 32 bytes, big-endian (byte 0 = the first two hex digits).
 * @example hexToBytes('f'.repeat(64)).length === 32
 */
export function hexToBytes(hex: string): Uint8Array {
  const words = hexToWords(hex);
  const bytes = new Uint8Array(32);
  for (let w = 0; w < 8; w++) {
    const v = words[w] as number;
    const at = (7 - w) * 4;
    bytes[at] = v >>> 24;
    bytes[at + 1] = (v >>> 16) & 0xff;
    bytes[at + 2] = (v >>> 8) & 0xff;
    bytes[at + 3] = v & 0xff;
  }
  return bytes;
}

/** Converts 32 big-endian bytes to the 64-digit hex form. */
export function bytesToHex(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw new PdqError(
      'HASH_BYTES_INVALID',
      `a PDQ hash is 32 bytes; got ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : describe(bytes)}`,
    );
  }
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Number of set bits of a 32-bit integer. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function toWords(hash: string | Uint8Array): Uint32Array {
  return hexToWords(hash instanceof Uint8Array ? bytesToHex(hash) : hash);
}

/**
 * Hamming distance between two PDQ hashes (hex strings or 32-byte arrays): the number of differing
 * bits, 0..256. Two hashes match when it is at most {@link PDQ_MATCH_THRESHOLD}.
 * @example hammingDistance('0'.repeat(64), '0'.repeat(63) + '3') === 2
 */
export function hammingDistance(a: string | Uint8Array, b: string | Uint8Array): number {
  const wa = toWords(a);
  const wb = toWords(b);
  let d = 0;
  for (let w = 0; w < 8; w++) d += popcount32(((wa[w] as number) ^ (wb[w] as number)) >>> 0);
  return d;
}

export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
    return `a string of length ${value.length} (${JSON.stringify(shown)})`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value)})` : String(value);
}
