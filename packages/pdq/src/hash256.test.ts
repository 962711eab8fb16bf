import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { bruteDistance, toHex } from '../test/helpers.js';
import { PDQ_MATCH_THRESHOLD, PDQ_QUALITY_THRESHOLD, bytesToHex, hammingDistance, hexToBytes } from './index.js';

describe('hex ⇄ bytes', () => {
  it('round-trips any 32 bytes, big-endian, lower case', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const hex = bytesToHex(bytes);
        expect(hex).toBe(toHex(bytes));
        expect(hex).toMatch(/^[0-9a-f]{64}$/);
        expect(hexToBytes(hex)).toEqual(bytes);
        expect(hexToBytes(hex.toUpperCase())).toEqual(bytes);
      }),
    );
  });

  it('puts 16-bit word 15 first, as the reference prints it', () => {
    // bit 0 (DCT coefficient [0][0]) is the last hex digit's lowest bit
    expect(hammingDistance('0'.repeat(63) + '1', '0'.repeat(64))).toBe(1);
    expect(hexToBytes('0'.repeat(63) + '1')[31]).toBe(1);
  });

  const badHex: [string, unknown][] = [
    ['63 digits', 'a'.repeat(63)],
    ['65 digits', 'a'.repeat(65)],
    ['a non-hex digit', 'g' + 'a'.repeat(63)],
    ['spaces', ' ' + 'a'.repeat(62) + ' '],
    ['0x prefix', '0x' + 'a'.repeat(62)],
    ['empty', ''],
    ['a number', 12345],
    ['null', null],
    ['unicode digits', '٠'.repeat(64)],
  ];
  it.each(badHex)('refuses %s with HASH_HEX_INVALID', (_name, value) => {
    expect(() => hexToBytes(value as string)).toThrow(expect.objectContaining({ code: 'HASH_HEX_INVALID' }));
    expect(() => hammingDistance(value as string, 'a'.repeat(64))).toThrow(expect.objectContaining({ code: 'HASH_HEX_INVALID' }));
  });

  it.each([[new Uint8Array(31)], [new Uint8Array(33)], [[1, 2, 3]], ['x']])('refuses %j as bytes with HASH_BYTES_INVALID', (value) => {
    expect(() => bytesToHex(value as Uint8Array)).toThrow(expect.objectContaining({ code: 'HASH_BYTES_INVALID' }));
  });
});

describe('hammingDistance', () => {
  it('counts differing bits, on hex and on bytes alike', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const expected = bruteDistance(a, b);
        expect(hammingDistance(a, b)).toBe(expected);
        expect(hammingDistance(bytesToHex(a), bytesToHex(b))).toBe(expected);
      }),
    );
  });

  it('names the thresholds of the reference', () => {
    expect(PDQ_MATCH_THRESHOLD).toBe(31);
    expect(PDQ_QUALITY_THRESHOLD).toBe(50);
  });
});
