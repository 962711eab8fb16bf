import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodePng, fixture, readCsv } from '../test/helpers.js';
import { oraclePdq } from '../test/oracle.js';
import { PDQ_EMPTY_HASH, PdqError, hammingDistance, pdqDihedral, pdqHash, type PdqImage } from './index.js';
import { torbenMedian } from './pdq.js';

const reference = new Map(readCsv('expected-cpp-reference.csv').map(([hash, quality, file]) => [file as string, { hash: hash as string, quality: Number(quality) }]));
const dihedral = new Map(readCsv('expected-cpp-reference-dihedral.csv').map((row) => [row[9] as string, row.slice(0, 8)]));

// 8-bit, non-interlaced PNGs: what the file stores is exactly what the reference's decoder handed the
// C++ hasher (ImageMagick drops the alpha channel; so does the hash).
const LOSSLESS = [
  'misc-images/c.png',
  'misc-images/modes/L.png',
  'misc-images/modes/LA.png',
  'misc-images/modes/RGBA.png',
  'pytx-resources/LA.png',
  'reg-test-input/pen-and-coaster.png',
];

function losslessImage(file: string): PdqImage {
  const png = decodePng(fixture(file));
  if (png.channels === 2) {
    // grey + alpha: keep the grey samples
    const grey = new Uint8Array(png.width * png.height);
    for (let i = 0; i < grey.length; i++) grey[i] = png.data[2 * i] as number;
    return { data: grey, width: png.width, height: png.height, channels: 1 };
  }
  return { data: png.data, width: png.width, height: png.height, channels: png.channels as 1 | 3 | 4 };
}

describe('pdqHash against the C++ reference', () => {
  it.each(LOSSLESS)('gives the reference hash and quality, bit for bit, for %s', (file) => {
    const expected = reference.get(file);
    expect(expected).toBeDefined();
    expect(pdqHash(losslessImage(file))).toEqual(expected);
  });

  it.each(LOSSLESS)('gives the reference dihedral hashes for %s', (file) => {
    const { hashes, quality } = pdqDihedral(losslessImage(file));
    expect(Object.values(hashes)).toEqual(dihedral.get(file));
    expect(quality).toBe(reference.get(file)?.quality);
  });

  // Vectors computed by the C++ reference (facebook/ThreatExchange pdq/cpp at baefb4ed, built here) on
  // the generated pixels below: its CLI path (512 resize, then the size check) and its plain hash of a
  // 64×64 image, which uses the pixels unfiltered while the dihedral path filters them.
  it('resizes before the minimum-size check, as the reference CLI: a 1200×4 strip gets a real hash', () => {
    const w = 1200;
    const h = 4;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = (x * 7 + y * 60) % 256;
        data.set([v, (v * 3) % 256, 255 - v], (y * w + x) * 3);
      }
    }
    expect(pdqHash({ data, width: w, height: h, channels: 3 })).toEqual({
      hash: '9c1a9d5ea4f0b60849b749f75b0f62a19c1a9d5ea4f0b60849b749f75b0f62a1',
      quality: 100,
    });
    expect(pdqHash({ data, width: w, height: h, channels: 3 }, { downsample512: false })).toEqual({ hash: PDQ_EMPTY_HASH, quality: 0 });
  });

  it('hashes a 64×64 image unfiltered, and filters it for the dihedral variants, as the reference', () => {
    let seed = 99;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const data = new Uint8Array(64 * 64 * 3);
    for (let y = 0; y < 64; y++) {
      const colour = [(rnd() * 256) | 0, (rnd() * 256) | 0, (rnd() * 256) | 0];
      for (let x = 0; x < 64; x++) data.set(colour, (y * 64 + x) * 3);
    }
    const image = { data, width: 64, height: 64, channels: 3 as const };
    expect(pdqHash(image)).toEqual({ hash: '01c1ec2175844414c0206baa5471dd61142c981c063517b93201146316058d03', quality: 100 });
    expect(pdqDihedral(image).hashes.original).toBe('01ae44017584030351c60e35e16fc2aa088e542b6564046032012050a8d4584a');
  });

  it('returns the all-zero hash with quality 0 under 5 pixels on a side, as the reference', () => {
    for (const [width, height] of [[4, 100], [100, 4], [1, 1]] as const) {
      const data = new Uint8Array(width * height * 3).fill(200);
      expect(pdqHash({ data, width, height })).toEqual({ hash: PDQ_EMPTY_HASH, quality: 0 });
      expect(Object.values(pdqDihedral({ data, width, height }).hashes)).toEqual(Array(8).fill(PDQ_EMPTY_HASH));
    }
  });

  it('sets at most 128 bits (lower median, strict >), exactly 128 on a noise image', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 300 }), fc.integer({ min: 5, max: 300 }), fc.integer(), (w, h, seed) => {
        const data = new Uint8Array(w * h);
        let s = seed >>> 0;
        for (let i = 0; i < data.length; i++) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          data[i] = s >>> 24;
        }
        const { hash } = pdqHash({ data, width: w, height: h, channels: 1 });
        const ones = hammingDistance(hash, PDQ_EMPTY_HASH);
        expect(ones).toBeLessThanOrEqual(128);
        // From 64 px on a side, noise gives 256 distinct coefficients: exactly half lie above the median.
        if (w >= 64 && h >= 64) expect(ones).toBe(128);
      }),
      { numRuns: 60 },
    );
  });

  it('equals a plain transcription of the reference on random images of every shape', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 700 }), fc.constant(64)),
        fc.oneof(fc.integer({ min: 1, max: 700 }), fc.constant(64)),
        fc.constantFrom<1 | 3>(1, 3),
        fc.boolean(),
        fc.integer(),
        (width, height, channels, downsample, seed) => {
          // smooth random blobs, so that filtering and decimation have structure to preserve
          const data = new Uint8Array(width * height * channels);
          let s = seed >>> 0;
          const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
          const fx = 1 + next() * 6;
          const fy = 1 + next() * 6;
          for (let y = 0; y < height; y++) {
            for (let x = 0; x < width; x++) {
              for (let c = 0; c < channels; c++) {
                const v = 127 + 100 * Math.sin((fx * x) / width + c) * Math.cos((fy * y) / height) + 25 * next();
                data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
              }
            }
          }
          expect(pdqHash({ data, width, height, channels }, { downsample512: downsample })).toEqual(
            oraclePdq(data, width, height, channels, downsample),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('infers channels from the buffer length and ignores alpha', () => {
    const rgba = losslessImage('reg-test-input/pen-and-coaster.png');
    const { channels: _channels, ...withoutChannels } = rgba;
    expect(pdqHash(withoutChannels)).toEqual(pdqHash(rgba));
    const rgb = new Uint8Array((rgba.data.length / 4) * 3);
    for (let i = 0, j = 0; i < rgba.data.length; i += 4, j += 3) rgb.set(rgba.data.subarray(i, i + 3), j);
    expect(pdqHash({ data: rgb, width: rgba.width, height: rgba.height })).toEqual(pdqHash(rgba));
  });

  it('accepts a browser ImageData buffer (Uint8ClampedArray)', () => {
    const rgba = losslessImage('reg-test-input/pen-and-coaster.png');
    const clamped = new Uint8ClampedArray(rgba.data.buffer, rgba.data.byteOffset, rgba.data.length);
    expect(pdqHash({ ...rgba, data: clamped })).toEqual(pdqHash(rgba));
  });

  it('pre-resizes only above 512 px and only when asked', () => {
    const big = losslessImage('reg-test-input/pen-and-coaster.png'); // 924×735
    const reduced = pdqHash(big);
    const full = pdqHash(big, { downsample512: false });
    expect(reduced).toEqual(reference.get('reg-test-input/pen-and-coaster.png'));
    expect(full.hash).not.toBe(reduced.hash);
    expect(hammingDistance(full.hash, reduced.hash)).toBeLessThanOrEqual(16);
    const small = losslessImage('pytx-resources/LA.png'); // 256×256
    expect(pdqHash(small, { downsample512: false })).toEqual(pdqHash(small));
  });
});

describe('torbenMedian', () => {
  it('is the lower median (the 128th smallest of 256), whatever the values and ties', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1000, max: 1000 }), { minLength: 256, maxLength: 256 }), fc.boolean(), (values, ties) => {
        const m = Float32Array.from(ties ? values.map((v) => Math.round(v / 100)) : values);
        const sorted = Float32Array.from(m).sort();
        // == rather than Object.is: -0 and +0 are the same coefficient
        expect(torbenMedian(m) === sorted[127]).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pdqHash on bad input', () => {
  const ok = new Uint8Array(10 * 10 * 3);
  const cases: [string, unknown, string][] = [
    ['zero width', { data: new Uint8Array(0), width: 0, height: 10 }, 'IMAGE_DIMENSIONS_INVALID'],
    ['negative height', { data: ok, width: 10, height: -10 }, 'IMAGE_DIMENSIONS_INVALID'],
    ['fractional width', { data: ok, width: 10.5, height: 10 }, 'IMAGE_DIMENSIONS_INVALID'],
    ['NaN height', { data: ok, width: 10, height: Number.NaN }, 'IMAGE_DIMENSIONS_INVALID'],
    ['string width', { data: ok, width: '10', height: 10 }, 'IMAGE_DIMENSIONS_INVALID'],
    ['over 100 megapixels', { data: ok, width: 20000, height: 20000 }, 'IMAGE_DIMENSIONS_INVALID'],
    ['short buffer', { data: new Uint8Array(299), width: 10, height: 10, channels: 3 }, 'IMAGE_BUFFER_INVALID'],
    ['long buffer', { data: new Uint8Array(301), width: 10, height: 10, channels: 3 }, 'IMAGE_BUFFER_INVALID'],
    ['2 bytes a pixel', { data: new Uint8Array(200), width: 10, height: 10 }, 'IMAGE_BUFFER_INVALID'],
    ['channels 2', { data: new Uint8Array(200), width: 10, height: 10, channels: 2 }, 'IMAGE_BUFFER_INVALID'],
    ['a plain array', { data: Array(300).fill(0), width: 10, height: 10 }, 'IMAGE_BUFFER_INVALID'],
    ['a Float32Array', { data: new Float32Array(300), width: 10, height: 10 }, 'IMAGE_BUFFER_INVALID'],
    ['no image', null, 'IMAGE_BUFFER_INVALID'],
  ];
  it.each(cases)('%s → %s', (_name, image, code) => {
    expect(() => pdqHash(image as PdqImage)).toThrow(PdqError);
    try {
      pdqHash(image as PdqImage);
    } catch (e) {
      expect((e as PdqError).code).toBe(code);
    }
  });

  it('refuses a non-boolean downsample512 option', () => {
    expect(() => pdqHash({ data: ok, width: 10, height: 10 }, { downsample512: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID' }),
    );
  });
});
