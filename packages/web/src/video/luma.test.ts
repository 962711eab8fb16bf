import { pdqHash } from '@halte/pdq';
import { describe, expect, it } from 'vitest';

import { lumaImage, lumaTable, readsFormat } from './luma';

/** What swscale's BT.601 RGB gives PDQ as luminance for a grey (U = V = 128) limited-range pixel. */
function referenceLuma(y: number): number {
  const c = Math.min(255, Math.max(0, Math.round(((y - 16) * 255) / 219)));
  return 0.299 * c + 0.587 * c + 0.114 * c;
}

describe('lumaTable', () => {
  it('expands limited range as swscale does, clipping below 16 and above 235', () => {
    const table = lumaTable(8, false);
    expect([table[0], table[16], table[126], table[235], table[255]]).toEqual([0, 0, 128, 255, 255]);
    for (let y = 0; y < 256; y++) expect(Math.abs((table[y] as number) - referenceLuma(y))).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it('keeps full range as it is, and scales 10- and 12-bit samples to 8 bits', () => {
    const full = lumaTable(8, true);
    for (let y = 0; y < 256; y++) expect(full[y]).toBe(y);
    expect([lumaTable(10, false)[64], lumaTable(10, false)[502], lumaTable(10, false)[940]]).toEqual([0, 128, 255]);
    expect([lumaTable(12, true)[0], lumaTable(12, true)[4095]]).toEqual([0, 255]);
  });
});

describe('lumaImage', () => {
  it('reads the luma plane with its offset and stride, and ignores the chroma planes', () => {
    // 3×2 visible pixels in rows of 4 bytes after a 2-byte offset, then chroma.
    const data = new Uint8Array([9, 9, 16, 126, 235, 7, 16, 16, 16, 7, 128, 128, 128, 128]);
    const image = lumaImage({ format: 'I420', data, planes: [{ offset: 2, stride: 4 }, { offset: 10, stride: 2 }, { offset: 12, stride: 2 }], width: 3, height: 2, fullRange: null });
    expect(image.channels).toBe(1);
    expect([...image.data]).toEqual([0, 128, 255, 0, 0, 0]);
    expect(lumaImage({ format: 'NV12', data, planes: [{ offset: 2, stride: 4 }], width: 3, height: 2, fullRange: true }).data[1]).toBe(126);
  });

  it('reads little-endian 10-bit samples', () => {
    const data = new Uint8Array([64, 0, 0xac, 0x03]); // 64 and 940
    expect([...lumaImage({ format: 'I420P10', data, planes: [{ offset: 0, stride: 4 }], width: 2, height: 1, fullRange: false }).data]).toEqual([0, 255]);
  });

  it('gives RGB formats to PDQ as RGBA, in RGB order', () => {
    const bgra = new Uint8Array([1, 2, 3, 0, 4, 5, 6, 0]);
    const image = lumaImage({ format: 'BGRX', data: bgra, planes: [{ offset: 0, stride: 8 }], width: 2, height: 1, fullRange: null });
    expect(image.channels).toBe(4);
    expect([...image.data]).toEqual([3, 2, 1, 255, 6, 5, 4, 255]);
    const rgba = lumaImage({ format: 'RGBA', data: bgra, planes: [{ offset: 0, stride: 8 }], width: 2, height: 1, fullRange: null });
    expect([...rgba.data]).toEqual([...bgra]);
  });

  it('writes into the buffer it is given when it is large enough', () => {
    const out = new Uint8Array(100);
    const image = lumaImage({ format: 'I420', data: new Uint8Array(64).fill(126), planes: [{ offset: 0, stride: 8 }], width: 8, height: 8, fullRange: false }, out);
    expect(image.data.buffer).toBe(out.buffer);
    expect(image.data.length).toBe(64);
  });

  it('hashes the luma of a grey frame as PDQ hashes the RGB swscale would give', () => {
    // A 64×64 ramp pattern in limited range, and the RGB a BT.601 conversion makes of it (U = V = 128).
    const width = 64;
    const height = 64;
    const y = new Uint8Array(width * height);
    for (let i = 0; i < y.length; i++) y[i] = 16 + (((i % width) * 7 + Math.floor(i / width) * 13) % 220);
    const rgb = new Uint8Array(width * height * 3);
    const table = lumaTable(8, false);
    for (let i = 0; i < y.length; i++) rgb.fill(table[y[i] as number] as number, i * 3, i * 3 + 3);
    const fromLuma = pdqHash(lumaImage({ format: 'I420', data: y, planes: [{ offset: 0, stride: width }], width, height, fullRange: false }));
    expect(fromLuma).toEqual(pdqHash({ data: rgb, width, height, channels: 3 }));
  });

  it('says which formats it reads', () => {
    expect(['I420', 'NV12', 'I420P10', 'I444', 'RGBA', 'BGRX'].every(readsFormat)).toBe(true);
    expect(readsFormat(null)).toBe(false);
    expect(readsFormat('XYZ')).toBe(false);
    expect(() => lumaImage({ format: 'XYZ', data: new Uint8Array(4), planes: [{ offset: 0, stride: 4 }], width: 1, height: 1, fullRange: null })).toThrow(RangeError);
  });
});
