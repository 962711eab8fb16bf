import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';

import { decodePng, fixture, readCsv } from '../../test/helpers.js';
import { hammingDistance, pdqHash, PDQ_EMPTY_HASH } from '../index.js';
import { decodeImage, pdqDihedralFile, pdqHashFile } from './index.js';

const reference = readCsv('expected-cpp-reference.csv').map(([hash, quality, file]) => ({
  hash: hash as string,
  quality: Number(quality),
  file: file as string,
}));
const dihedral = new Map(readCsv('expected-cpp-reference-dihedral.csv').map((row) => [row[9] as string, row.slice(0, 8)]));

// The one documented divergence (docs/decisions/0004-image-decoder.md): the reference keeps the low
// byte of 16-bit samples; Halte keeps the high byte, as browsers do, so that Node and the victim's
// browser agree and the hash describes the picture.
const SIXTEEN_BIT = 'pytx-resources/I16.png';

const tmp = mkdtempSync(join(tmpdir(), 'halte-pdq-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('@halte/pdq/node against the C++ reference', () => {
  it('hashes every reference image of quality ≥ 80 within 10 bits, and reports how many are exact', async () => {
    let exact = 0;
    const far: string[] = [];
    for (const { hash, quality, file } of reference) {
      if (file === SIXTEEN_BIT) continue;
      const result = await pdqHashFile(fixture(file));
      const distance = hammingDistance(result.hash, hash);
      if (distance === 0 && result.quality === quality) exact++;
      if (quality >= 80 && distance > 10) far.push(`${file}: ${distance} bits`);
    }
    console.info(`@halte/pdq/node: ${exact} of ${reference.length - 1} reference images hash exactly as the C++ reference`);
    expect(far).toEqual([]);
    // sharp decodes JPEG, PNG and WebP to the reference's bytes: all of them are exact today.
    expect(exact).toBe(reference.length - 1);
  });

  it('reduces 16-bit samples to their high byte, as browsers do', async () => {
    const png = decodePng(fixture(SIXTEEN_BIT));
    const expected = pdqHash({ data: png.data, width: png.width, height: png.height, channels: 1 });
    expect(await pdqHashFile(fixture(SIXTEEN_BIT))).toMatchObject(expected);
  });

  it('computes the reference dihedral hashes from a file', async () => {
    for (const file of ['bridge-mods/aaa-orig.jpg', 'reg-test-input/labelme-subset/q0746.jpg', 'misc-images/wee.jpg']) {
      const { hashes } = await pdqDihedralFile(fixture(file));
      expect(Object.values(hashes)).toEqual(dihedral.get(file));
    }
  });

  it('hashes the stored pixels, without applying EXIF orientation (as the reference)', async () => {
    const six = await pdqHashFile(fixture('reg-test-input/exif-rotn/exif-rotn-6.jpg'));
    expect(six.width).toBe(4032);
    expect(six.hash).toBe(reference.find((r) => r.file === 'reg-test-input/exif-rotn/exif-rotn-6.jpg')?.hash);
  });
});

describe('@halte/pdq/node formats', () => {
  const source = fixture('reg-test-input/labelme-subset/q0746.jpg');

  it('decodes WebP, TIFF, GIF (first frame) and AVIF', async () => {
    const { data, info } = await sharp(source).raw().toBuffer({ resolveWithObject: true });
    const pixels = pdqHash({ data, width: info.width, height: info.height, channels: 3 });
    const lossless = {
      webp: await sharp(source).webp({ lossless: true }).toBuffer(),
      tiff: await sharp(source).tiff({ compression: 'lzw' }).toBuffer(),
      png: await sharp(source).png().toBuffer(),
    };
    for (const [format, bytes] of Object.entries(lossless)) {
      const decoded = await decodeImage(bytes);
      expect(decoded.format, format).toBe(format);
      expect(pdqHash(decoded), format).toEqual(pixels);
    }
    // lossy or palette formats: close, not identical
    const gif = await sharp(source).gif().toBuffer();
    const avif = await sharp(source).avif({ quality: 80 }).toBuffer();
    for (const [format, bytes] of [['gif', gif], ['heif', avif]] as const) {
      const result = await pdqHashFile(bytes);
      expect(result.format).toBe(format);
      expect(hammingDistance(result.hash, pixels.hash), format).toBeLessThanOrEqual(31);
    }
  });

  it('hashes the first frame of an animated GIF', async () => {
    const frame = (v: number) => sharp({ create: { width: 64, height: 64, channels: 3, background: { r: v, g: v, b: v } } });
    const first = await sharp(fixture('reg-test-input/labelme-subset/q0746.jpg')).resize(64, 64).raw().toBuffer();
    const second = await frame(30).raw().toBuffer();
    const animated = await sharp(Buffer.concat([first, second]), { raw: { width: 64, height: 128, channels: 3, pageHeight: 64 } as never })
      .gif({ loop: 0 })
      .toBuffer();
    const decoded = await decodeImage(animated);
    expect(decoded.height).toBe(64);
    expect(pdqHash(decoded).quality).toBeGreaterThan(0); // the photo, not the flat second frame
  });

  it('keeps grey images grey and CMYK as the reference converts it', async () => {
    expect((await decodeImage(readFileSync(fixture('misc-images/modes/L.png')))).channels).toBe(1);
    const cmyk = reference.find((r) => r.file === 'misc-images/modes/CMYK.jpg');
    expect((await pdqHashFile(fixture('misc-images/modes/CMYK.jpg'))).hash).toBe(cmyk?.hash);
  });
});

describe('@halte/pdq/node on bad input', () => {
  async function codeOf(work: Promise<unknown>): Promise<string> {
    try {
      await work;
    } catch (e) {
      return (e as { code: string }).code;
    }
    return 'no error';
  }

  it('refuses a missing file, a directory and a 0-byte file', async () => {
    const empty = join(tmp, 'empty.jpg');
    writeFileSync(empty, '');
    expect(await codeOf(pdqHashFile(join(tmp, 'missing.jpg')))).toBe('FILE_UNREADABLE');
    expect(await codeOf(pdqHashFile(tmp))).toBe('FILE_UNREADABLE');
    expect(await codeOf(pdqHashFile(empty))).toBe('FILE_EMPTY');
    expect(await codeOf(decodeImage(new Uint8Array(0)))).toBe('FILE_EMPTY');
  });

  it('refuses a file over 50 MB before reading it', async () => {
    const big = join(tmp, 'big.jpg');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024 + 1); // sparse: nothing is written, nothing must be read
    expect(await codeOf(pdqHashFile(big))).toBe('FILE_TOO_LARGE');
  });

  it('refuses files that are not images', async () => {
    expect(await codeOf(decodeImage(new TextEncoder().encode('%PDF-1.4 not an image at all')))).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(decodeImage(new Uint8Array(1000).fill(7)))).toBe('IMAGE_UNSUPPORTED_FORMAT');
    expect(await codeOf(decodeImage('a string' as unknown as Uint8Array))).toBe('IMAGE_UNSUPPORTED_FORMAT');
  });

  it('refuses truncated JPEGs and PNGs with IMAGE_CORRUPT, and a damaged header', async () => {
    const jpeg = readFileSync(fixture('bridge-mods/aaa-orig.jpg'));
    const png = readFileSync(fixture('reg-test-input/pen-and-coaster.png'));
    expect(await codeOf(decodeImage(jpeg.subarray(0, jpeg.length >> 1)))).toBe('IMAGE_CORRUPT');
    expect(await codeOf(decodeImage(png.subarray(0, png.length >> 1)))).toBe('IMAGE_CORRUPT');
    expect(await codeOf(decodeImage(jpeg.subarray(0, 600)))).toMatch(/IMAGE_CORRUPT|IMAGE_UNSUPPORTED_FORMAT/);
  });

  it('refuses a decompression bomb from its header, before decoding it', async () => {
    // A real bomb: a 12,000 × 12,000 grey PNG (144 megapixels) of a few hundred kilobytes.
    const width = 12_000;
    const height = 12_000;
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8;
    const rows = deflateSync(Buffer.alloc((width + 1) * height), { level: 9 });
    const chunk = (type: string, body: Buffer) => {
      const out = Buffer.alloc(12 + body.length);
      out.writeUInt32BE(body.length, 0);
      out.write(type, 4, 'latin1');
      body.copy(out, 8);
      return out; // CRC left at zero: the header must be refused before anything checks it
    };
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', rows),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(bomb.length).toBeLessThan(1_000_000);
    const started = performance.now();
    expect(await codeOf(decodeImage(bomb))).toBe('IMAGE_TOO_MANY_PIXELS');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await codeOf(decodeImage(bomb, { maxPixels: 1000 }))).toBe('IMAGE_TOO_MANY_PIXELS');
  });

  it('refuses bad decoding options as OPTION_INVALID, not as a damaged image', async () => {
    const jpeg = readFileSync(fixture('misc-images/wee.jpg'));
    for (const options of [{ timeoutSeconds: 0.5 }, { maxPixels: -1 }, { maxBytes: Number.NaN }]) {
      expect(await codeOf(decodeImage(jpeg, options))).toBe('OPTION_INVALID');
    }
  });

  it('hashes a tiny image to the empty hash rather than failing', async () => {
    const tiny = await sharp({ create: { width: 3, height: 3, channels: 3, background: '#808080' } }).png().toBuffer();
    expect(await pdqHashFile(tiny)).toMatchObject({ hash: PDQ_EMPTY_HASH, quality: 0 });
  });
});
