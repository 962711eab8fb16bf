import {
  MAX_IMAGE_PIXELS,
  PDQ_EMPTY_HASH,
  PDQ_MIN_HASHABLE_DIM,
  PDQ_REFERENCE_DOWNSAMPLE_DIM,
} from './constants.js';
import { PdqError } from './errors.js';
import { describe, wordsToHex } from './hash256.js';

// A port of facebook/ThreatExchange pdq/cpp (hashing/pdqhashing.cpp, downscaling/downscaling.cpp),
// bit-exact: every float operation of the reference is a float32 operation here (Math.fround or a
// Float32Array store), in the reference's order. See docs/decisions/0003-pdq-pre-resize.md and
// ../README.md for the one choice the reference leaves open (the 512 px pre-resize).

const f32 = Math.fround;

/** Decoded pixels, row-major, 8 bits per sample. `channels` defaults to data.length / (width × height). */
export interface PdqImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** 1 = grey, 3 = RGB, 4 = RGBA (alpha ignored, as the reference drops it). */
  readonly channels?: 1 | 3 | 4;
}

export interface PdqHashOptions {
  /**
   * `true` (default): like the reference command-line hasher, the C++/WASM build StopNCII-style
   * banks were filled with, an image larger than 512 px on either side is first resized to exactly
   * 512×512 by nearest neighbour. `false`: hash the full image, like the reference's core function,
   * vPDQ, the Java port and python-threatexchange (HMA). Both stay within a few bits of each other.
   */
  readonly downsample512?: boolean;
}

export interface PdqResult {
  /** 64 lower-case hex digits, the reference's word order. */
  readonly hash: string;
  /** 0..100; below {@link PDQ_QUALITY_THRESHOLD} the hash should not be shared or matched. */
  readonly quality: number;
}

/** The eight dihedral variants, in the reference's order. */
export const DIHEDRAL_NAMES = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipX',
  'flipY',
  'flipPlus1',
  'flipMinus1',
] as const;
export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

export interface PdqDihedralResult {
  readonly quality: number;
  /** The hash of each variant, keyed by name (the same order as {@link DIHEDRAL_NAMES}). */
  readonly hashes: Readonly<Record<DihedralName, string>>;
}

const LUMA_R = f32(0.299);
const LUMA_G = f32(0.587);
const LUMA_B = f32(0.114);
// fround(0.299f × v) for every 8-bit v, and likewise for G and B: the products of the reference's
// luminance, looked up instead of multiplied.
const LUMA_TABLES = (() => {
  const t = new Float32Array(3 * 256);
  for (let v = 0; v < 256; v++) {
    t[v] = LUMA_R * v;
    t[256 + v] = LUMA_G * v;
    t[512 + v] = LUMA_B * v;
  }
  return t;
})();

// Two reusable work buffers, grown to the largest image hashed so far up to REUSABLE_PIXELS (a
// 1080p video frame): hashing many images or every frame of a video then allocates nothing. Larger
// images get buffers of their own, so that a one-off 100 MP image does not stay in memory. JavaScript
// runs one hash at a time per thread, so sharing them is safe.
const REUSABLE_PIXELS = 1920 * 1088;
const reusable: Float32Array[] = [];

function workBuffer(slot: 0 | 1, pixels: number): Float32Array {
  if (pixels > REUSABLE_PIXELS) return new Float32Array(pixels);
  let buffer = reusable[slot];
  if (buffer === undefined || buffer.length < pixels) {
    buffer = new Float32Array(Math.max(pixels, PDQ_REFERENCE_DOWNSAMPLE_DIM * PDQ_REFERENCE_DOWNSAMPLE_DIM));
    reusable[slot] = buffer;
  }
  return buffer.subarray(0, pixels);
}

/** DCT-II rows 1..16 of size 64, float32 as the reference stores them. */
const DCT_MATRIX: Float32Array = (() => {
  const m = new Float32Array(16 * 64);
  const scale = f32(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      m[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return m;
})();

/**
 * Computes the PDQ hash of an image, bit-exact with Meta's reference for the same pixels.
 *
 * @example
 * ```ts
 * const { hash, quality } = pdqHash({ data: imageData.data, width: 640, height: 480, channels: 4 });
 * if (quality >= PDQ_QUALITY_THRESHOLD) share(hash);
 * ```
 */
export function pdqHash(image: PdqImage, options: PdqHashOptions = {}): PdqResult {
  const work = prepare(image, options, true);
  if (work === null) return { hash: PDQ_EMPTY_HASH, quality: 0 };
  const bits = new Uint32Array(8);
  dctToBits(work.dct, bits);
  return { hash: wordsToHex(bits), quality: work.quality };
}

/**
 * The PDQ hashes of the image's eight rotations and reflections, computed in the DCT domain from
 * one pass over the pixels (as the reference's `--pdqdih-across`), each thresholded on its own median.
 *
 * @example
 * ```ts
 * const { hashes } = pdqDihedral(image);
 * hashes.rotate90; // what pdqHash would give, within a few bits, for the image turned 90° counter-clockwise
 * ```
 */
export function pdqDihedral(image: PdqImage, options: PdqHashOptions = {}): PdqDihedralResult {
  const work = prepare(image, options, false);
  const hashes = {} as Record<DihedralName, string>;
  if (work === null) {
    for (const name of DIHEDRAL_NAMES) hashes[name] = PDQ_EMPTY_HASH;
    return { quality: 0, hashes };
  }
  const a = work.dct;
  const b = new Float32Array(256);
  const bits = new Uint32Array(8);
  for (const name of DIHEDRAL_NAMES) {
    dihedralTransform(name, a, b);
    dctToBits(b, bits);
    hashes[name] = wordsToHex(bits);
  }
  return { quality: work.quality, hashes };
}

interface Work {
  /** 16×16 DCT coefficients, row i = vertical frequency i+1. */
  readonly dct: Float32Array;
  readonly quality: number;
}

/**
 * `copy64`: the reference's plain hash (pdqHash256FromFloatLuma) takes a 64×64 image as the 64×64
 * buffer without filtering it; its dihedral path filters it like any other size.
 */
function prepare(image: PdqImage, options: PdqHashOptions, copy64: boolean): Work | null {
  const channels = validateImage(image);
  const downsample = options.downsample512 ?? true;
  if (typeof downsample !== 'boolean') {
    throw new PdqError('OPTION_INVALID', `downsample512 must be a boolean; got ${describe(downsample)}`);
  }
  let { width, height } = image;
  // As the reference CLI: resize first, then apply the minimum size (a 1200×4 strip becomes 512×512).
  const d = PDQ_REFERENCE_DOWNSAMPLE_DIM;
  const resize = downsample && (width > d || height > d);
  if (resize) {
    width = d;
    height = d;
  }
  if (height < PDQ_MIN_HASHABLE_DIM || width < PDQ_MIN_HASHABLE_DIM) return null;

  const luma = workBuffer(0, width * height);
  const scratch = workBuffer(1, width * height);
  if (resize) lumaNearest512(image.data, image.width, image.height, channels, luma);
  else lumaFull(image.data, width, height, channels, luma);
  if (copy64 && width === 64 && height === 64) {
    const buffer64 = luma.slice(0, 64 * 64);
    return { dct: dct64To16(buffer64), quality: imageDomainQuality(buffer64) };
  }
  const windowAlongRows = Math.floor((width + 127) / 128);
  const windowAlongCols = Math.floor((height + 127) / 128);
  // Two rounds of (rows, then columns): a tent-like filter (PDQ_NUM_JAROSZ_XY_PASSES = 2). The second
  // round only produces what the decimation keeps: see lastPassesAndDecimate.
  boxAlongRows(luma, scratch, height, width, windowAlongRows);
  boxAlongCols(scratch, luma, height, width, windowAlongCols);
  const buffer64 = lastPassesAndDecimate(luma, scratch, height, width, windowAlongRows, windowAlongCols);
  const quality = imageDomainQuality(buffer64);
  return { dct: dct64To16(buffer64), quality };
}

function validateImage(image: PdqImage): 1 | 3 | 4 {
  if (image === null || typeof image !== 'object') {
    throw new PdqError('IMAGE_BUFFER_INVALID', `an image is {data, width, height, channels?}; got ${describe(image)}`);
  }
  const { data, width, height } = image;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new PdqError('IMAGE_DIMENSIONS_INVALID', `${name} must be a positive integer; got ${describe(v)}`);
    }
  }
  const pixels = width * height;
  if (pixels > MAX_IMAGE_PIXELS) {
    throw new PdqError(
      'IMAGE_DIMENSIONS_INVALID',
      `${width}×${height} is ${pixels} pixels; at most ${MAX_IMAGE_PIXELS} are accepted`,
    );
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new PdqError('IMAGE_BUFFER_INVALID', `data must be a Uint8Array or Uint8ClampedArray; got ${describe(data)}`);
  }
  const channels = image.channels ?? data.length / pixels;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new PdqError(
      'IMAGE_BUFFER_INVALID',
      image.channels === undefined
        ? `data has ${data.length} bytes for ${width}×${height} pixels: not 1, 3 or 4 bytes per pixel`
        : `channels must be 1, 3 or 4; got ${describe(image.channels)}`,
    );
  }
  if (data.length !== pixels * channels) {
    throw new PdqError(
      'IMAGE_BUFFER_INVALID',
      `data has ${data.length} bytes; ${width}×${height}×${channels} needs ${pixels * channels}`,
    );
  }
  return channels;
}

function lumaFull(data: ArrayLike<number>, width: number, height: number, channels: number, luma: Float32Array): void {
  const n = width * height;
  if (channels === 1) {
    for (let i = 0; i < n; i++) luma[i] = data[i] as number;
    return;
  }
  const t = LUMA_TABLES;
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    luma[i] =
      f32((t[data[p] as number] as number) + (t[256 + (data[p + 1] as number)] as number)) +
      (t[512 + (data[p + 2] as number)] as number);
  }
}

/** The reference CLI's CImg nearest-neighbour resize to 512×512, fused with the luminance pass. */
function lumaNearest512(data: ArrayLike<number>, width: number, height: number, channels: number, luma: Float32Array): void {
  const d = PDQ_REFERENCE_DOWNSAMPLE_DIM;
  const t = LUMA_TABLES;
  const colOffset = new Int32Array(d);
  for (let x = 0; x < d; x++) colOffset[x] = Math.floor((x * width) / d) * channels;
  for (let y = 0; y < d; y++) {
    const rowStart = Math.floor((y * height) / d) * width * channels;
    const out = y * d;
    if (channels === 1) {
      for (let x = 0; x < d; x++) luma[out + x] = data[rowStart + (colOffset[x] as number)] as number;
    } else {
      for (let x = 0; x < d; x++) {
        const p = rowStart + (colOffset[x] as number);
        luma[out + x] =
          f32((t[data[p] as number] as number) + (t[256 + (data[p + 1] as number)] as number)) +
          (t[512 + (data[p + 2] as number)] as number);
      }
    }
  }
}

/**
 * 1 / count, for dividing a float32 sum by the window size with a multiplication (several times
 * cheaper; see mean()), or 0 when that could not round as the division does. For a float32 s and an
 * integer c < 2^20 whose quotient is a normal float32, fround(s · fl64(1/c)) = fround(s / c): the
 * double product is within 2^-52 (relative) of s / c, and s / c is at least 2^-27 / c (relative) away
 * from every float32 rounding midpoint M near it — s / c − M = (s − c·M) / c, where s − c·M is a
 * multiple of M's last bit (M has 25 significant bits, s 24) and not zero (s = c·M would need 25
 * bits). Below the normal range the midpoints are coarser and the argument fails (it does, measured),
 * so mean() divides there.
 */
function reciprocal(count: number): number {
  return count >= 1 && count < 1 << 20 ? 1 / count : 0;
}

/** Results smaller than this (twice the smallest normal float32) are divided, not multiplied. */
const NORMAL_QUOTIENT = 2 ** -125;

/** fround(sum / count), as the reference's division rounds, by multiplying whenever that is exact. */
function mean(sum: number, inverse: number, count: number): number {
  const q = sum * inverse;
  return q >= NORMAL_QUOTIENT || q <= -NORMAL_QUOTIENT ? q : sum / count;
}

// The reference's box1DFloat: a running float32 sum (add the incoming sample, then subtract the
// outgoing one), output i = mean of inputs i-floor((w-1)/2) .. i+floor(w/2), clipped at the edges.
// A running sum is a chain of dependent float32 operations, so four rows advance together: four
// independent chains keep the processor busy (each row still sees exactly the reference's operations).
function boxAlongRows(input: Float32Array, output: Float32Array, numRows: number, numCols: number, window: number): void {
  const half = Math.floor((window + 2) / 2);
  const p1 = half - 1;
  const p2 = window - half + 1;
  const p3 = numCols - window;
  const p4 = half - 1;
  let r = 0;
  for (; r + 4 <= numRows; r += 4) {
    const b0 = r * numCols;
    const b1 = b0 + numCols;
    const b2 = b1 + numCols;
    const b3 = b2 + numCols;
    let ri = 0;
    let li = 0;
    let oi = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let count = 0;
    for (let i = 0; i < p1; i++, ri++) {
      s0 = f32(s0 + (input[b0 + ri] as number));
      s1 = f32(s1 + (input[b1 + ri] as number));
      s2 = f32(s2 + (input[b2 + ri] as number));
      s3 = f32(s3 + (input[b3 + ri] as number));
      count++;
    }
    for (let i = 0; i < p2; i++, ri++, oi++) {
      s0 = f32(s0 + (input[b0 + ri] as number));
      s1 = f32(s1 + (input[b1 + ri] as number));
      s2 = f32(s2 + (input[b2 + ri] as number));
      s3 = f32(s3 + (input[b3 + ri] as number));
      count++;
      output[b0 + oi] = s0 / count;
      output[b1 + oi] = s1 / count;
      output[b2 + oi] = s2 / count;
      output[b3 + oi] = s3 / count;
    }
    const inverse = reciprocal(count);
    for (let i = 0; i < p3; i++, ri++, li++, oi++) {
      s0 = f32(f32(s0 + (input[b0 + ri] as number)) - (input[b0 + li] as number));
      s1 = f32(f32(s1 + (input[b1 + ri] as number)) - (input[b1 + li] as number));
      s2 = f32(f32(s2 + (input[b2 + ri] as number)) - (input[b2 + li] as number));
      s3 = f32(f32(s3 + (input[b3 + ri] as number)) - (input[b3 + li] as number));
      output[b0 + oi] = mean(s0, inverse, count);
      output[b1 + oi] = mean(s1, inverse, count);
      output[b2 + oi] = mean(s2, inverse, count);
      output[b3 + oi] = mean(s3, inverse, count);
    }
    for (let i = 0; i < p4; i++, li++, oi++) {
      s0 = f32(s0 - (input[b0 + li] as number));
      s1 = f32(s1 - (input[b1 + li] as number));
      s2 = f32(s2 - (input[b2 + li] as number));
      s3 = f32(s3 - (input[b3 + li] as number));
      count--;
      output[b0 + oi] = s0 / count;
      output[b1 + oi] = s1 / count;
      output[b2 + oi] = s2 / count;
      output[b3 + oi] = s3 / count;
    }
  }
  for (; r < numRows; r++) {
    const base = r * numCols;
    let ri = base;
    let li = base;
    let oi = base;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < p1; i++) {
      sum = f32(sum + (input[ri++] as number));
      count++;
    }
    for (let i = 0; i < p2; i++) {
      sum = f32(sum + (input[ri++] as number));
      count++;
      output[oi++] = sum / count;
    }
    for (let i = 0; i < p3; i++) {
      sum = f32(f32(sum + (input[ri++] as number)) - (input[li++] as number));
      output[oi++] = sum / count;
    }
    for (let i = 0; i < p4; i++) {
      sum = f32(sum - (input[li++] as number));
      count--;
      output[oi++] = sum / count;
    }
  }
}

// The same 1-D box down every column. To stay cache-friendly on large images every column advances
// together, one row at a time, with one float32 running sum per column: each column still sees exactly
// the reference's sequence of operations.
function boxAlongCols(input: Float32Array, output: Float32Array, numRows: number, numCols: number, window: number): void {
  const half = Math.floor((window + 2) / 2);
  const p1 = half - 1;
  const p2 = window - half + 1;
  const p3 = numRows - window;
  const p4 = half - 1;
  const sums = new Float32Array(numCols);
  let ri = 0;
  let li = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < p1; i++, ri += numCols) {
    for (let c = 0; c < numCols; c++) sums[c] = (sums[c] as number) + (input[ri + c] as number);
    count++;
  }
  for (let i = 0; i < p2; i++, ri += numCols, oi += numCols) {
    count++;
    for (let c = 0; c < numCols; c++) {
      const s = f32((sums[c] as number) + (input[ri + c] as number));
      sums[c] = s;
      output[oi + c] = s / count;
    }
  }
  const inverse = reciprocal(count);
  for (let i = 0; i < p3; i++, ri += numCols, li += numCols, oi += numCols) {
    for (let c = 0; c < numCols; c++) {
      const s = f32(f32((sums[c] as number) + (input[ri + c] as number)) - (input[li + c] as number));
      sums[c] = s;
      output[oi + c] = mean(s, inverse, count);
    }
  }
  for (let i = 0; i < p4; i++, li += numCols, oi += numCols) {
    count--;
    for (let c = 0; c < numCols; c++) {
      const s = f32((sums[c] as number) - (input[li + c] as number));
      sums[c] = s;
      output[oi + c] = s / count;
    }
  }
}

/**
 * The second round (a row pass, then a column pass) and the 64×64 decimation, fused:
 * out[i][j] = blurred[ini][inj] with ini = trunc((i + 0.5)·rows/64), inj likewise. Of the row pass
 * only the 64 kept columns are stored (gathered into a rows×64 buffer): its running sums still run
 * along every row, in the reference's order, so those values are exactly the full pass's. The
 * column pass then runs down these 64 columns only (each column is independent).
 */
function lastPassesAndDecimate(
  input: Float32Array,
  spare: Float32Array,
  numRows: number,
  numCols: number,
  windowAlongRows: number,
  windowAlongCols: number,
): Float32Array {
  const out = new Float32Array(64 * 64);
  const cols = new Int32Array(64);
  for (let j = 0; j < 64; j++) cols[j] = Math.trunc(((j + 0.5) * numCols) / 64);
  const filtered = new Float32Array(numRows * 64);
  let gathered: Float32Array;
  if (numCols >= 64) {
    // (kept columns are then strictly increasing, and the spare buffer holds rows×64 values)
    gathered = spare.subarray(0, numRows * 64);
    boxAlongRowsAt(input, gathered, numRows, numCols, windowAlongRows, cols);
  } else {
    const full = new Float32Array(numRows * numCols);
    boxAlongRows(input, full, numRows, numCols, windowAlongRows);
    gathered = new Float32Array(numRows * 64);
    for (let r = 0; r < numRows; r++) {
      for (let j = 0; j < 64; j++) gathered[r * 64 + j] = full[r * numCols + (cols[j] as number)] as number;
    }
  }
  boxAlongCols(gathered, filtered, numRows, 64, windowAlongCols);
  for (let i = 0; i < 64; i++) {
    const ini = Math.trunc(((i + 0.5) * numRows) / 64);
    out.set(filtered.subarray(ini * 64, ini * 64 + 64), i * 64);
  }
  return out;
}

/**
 * boxAlongRows, storing only the outputs at the strictly increasing columns `cols`: row r's output at
 * cols[j] goes to output[r·64 + j]. The running sums are boxAlongRows' own, operation for operation.
 */
function boxAlongRowsAt(input: Float32Array, output: Float32Array, numRows: number, numCols: number, window: number, cols: Int32Array): void {
  const half = Math.floor((window + 2) / 2);
  const p1 = half - 1;
  const p2 = window - half + 1;
  const p3 = numCols - window;
  const p4 = half - 1;
  const full = p1 + p2; // the window is whole from this sample on (until p4)
  const inverse = reciprocal(window);
  let r = 0;
  for (; r + 4 <= numRows; r += 4) {
    const b0 = r * numCols;
    const b1 = b0 + numCols;
    const b2 = b1 + numCols;
    const b3 = b2 + numCols;
    const o0 = r * 64;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let count = 0;
    let ri = 0;
    let li = 0;
    let oi = 0;
    let j = 0;
    let next = cols[0] as number;
    for (; ri < p1; ri++) {
      s0 = f32(s0 + (input[b0 + ri] as number));
      s1 = f32(s1 + (input[b1 + ri] as number));
      s2 = f32(s2 + (input[b2 + ri] as number));
      s3 = f32(s3 + (input[b3 + ri] as number));
      count++;
    }
    for (; ri < full; ri++, oi++) {
      s0 = f32(s0 + (input[b0 + ri] as number));
      s1 = f32(s1 + (input[b1 + ri] as number));
      s2 = f32(s2 + (input[b2 + ri] as number));
      s3 = f32(s3 + (input[b3 + ri] as number));
      count++;
      if (oi === next) {
        output[o0 + j] = s0 / count;
        output[o0 + 64 + j] = s1 / count;
        output[o0 + 128 + j] = s2 / count;
        output[o0 + 192 + j] = s3 / count;
        next = j < 63 ? (cols[++j] as number) : -1;
      }
    }
    // The whole-window stretch, where nearly all the time goes: between two kept columns only the
    // running sums advance.
    const end = full + p3;
    while (ri < end) {
      const stop = next >= 0 && next - oi < end - ri ? ri + (next - oi) : end;
      for (; ri < stop; ri++, li++, oi++) {
        s0 = f32(f32(s0 + (input[b0 + ri] as number)) - (input[b0 + li] as number));
        s1 = f32(f32(s1 + (input[b1 + ri] as number)) - (input[b1 + li] as number));
        s2 = f32(f32(s2 + (input[b2 + ri] as number)) - (input[b2 + li] as number));
        s3 = f32(f32(s3 + (input[b3 + ri] as number)) - (input[b3 + li] as number));
      }
      if (ri === end) break;
      s0 = f32(f32(s0 + (input[b0 + ri] as number)) - (input[b0 + li] as number));
      s1 = f32(f32(s1 + (input[b1 + ri] as number)) - (input[b1 + li] as number));
      s2 = f32(f32(s2 + (input[b2 + ri] as number)) - (input[b2 + li] as number));
      s3 = f32(f32(s3 + (input[b3 + ri] as number)) - (input[b3 + li] as number));
      output[o0 + j] = mean(s0, inverse, count);
      output[o0 + 64 + j] = mean(s1, inverse, count);
      output[o0 + 128 + j] = mean(s2, inverse, count);
      output[o0 + 192 + j] = mean(s3, inverse, count);
      next = j < 63 ? (cols[++j] as number) : -1;
      ri++;
      li++;
      oi++;
    }
    for (let i = 0; i < p4; i++, li++, oi++) {
      s0 = f32(s0 - (input[b0 + li] as number));
      s1 = f32(s1 - (input[b1 + li] as number));
      s2 = f32(s2 - (input[b2 + li] as number));
      s3 = f32(s3 - (input[b3 + li] as number));
      count--;
      if (oi === next) {
        output[o0 + j] = s0 / count;
        output[o0 + 64 + j] = s1 / count;
        output[o0 + 128 + j] = s2 / count;
        output[o0 + 192 + j] = s3 / count;
        next = j < 63 ? (cols[++j] as number) : -1;
      }
    }
  }
  for (; r < numRows; r++) {
    const base = r * numCols;
    const o = r * 64;
    let sum = 0;
    let count = 0;
    let ri = base;
    let li = base;
    let oi = 0;
    let j = 0;
    let next = cols[0] as number;
    const emit = () => {
      if (oi === next) {
        output[o + j] = sum / count;
        next = j < 63 ? (cols[++j] as number) : -1;
      }
      oi++;
    };
    for (let i = 0; i < p1; i++) {
      sum = f32(sum + (input[ri++] as number));
      count++;
    }
    for (let i = 0; i < p2; i++) {
      sum = f32(sum + (input[ri++] as number));
      count++;
      emit();
    }
    for (let i = 0; i < p3; i++) {
      sum = f32(f32(sum + (input[ri++] as number)) - (input[li++] as number));
      emit();
    }
    for (let i = 0; i < p4; i++) {
      sum = f32(sum - (input[li++] as number));
      count--;
      emit();
    }
  }
}

/** Sum of truncated vertical and horizontal gradients of the 64×64 buffer, /90, capped at 100. */
function imageDomainQuality(b: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      const u = b[i * 64 + j] as number;
      const v = b[(i + 1) * 64 + j] as number;
      gradientSum += Math.abs(Math.trunc(f32(f32(f32(u - v) * 100) / 255)));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      const u = b[i * 64 + j] as number;
      const v = b[i * 64 + j + 1] as number;
      gradientSum += Math.abs(Math.trunc(f32(f32(f32(u - v) * 100) / 255)));
    }
  }
  return Math.min(100, Math.floor(gradientSum / 90));
}

/** B = D·A·Dᵀ, summing over k in order in float32 as the reference's dct64To16. */
function dct64To16(a: Float32Array): Float32Array {
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    const di = i * 64;
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) {
        sum = f32(sum + f32((DCT_MATRIX[di + k] as number) * (a[k * 64 + j] as number)));
      }
      t[di + j] = sum;
    }
  }
  const b = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    const ti = i * 64;
    for (let j = 0; j < 16; j++) {
      const dj = j * 64;
      let sum = 0;
      for (let k = 0; k < 64; k++) {
        sum = f32(sum + f32((t[ti + k] as number) * (DCT_MATRIX[dj + k] as number)));
      }
      b[i * 16 + j] = sum;
    }
  }
  return b;
}

/**
 * Torben's median as the reference writes it, which yields the lower median: the 128th smallest of
 * the 256 coefficients. (Taking the upper median instead is the classic one-bit-off porting bug.)
 */
export function torbenMedian(m: Float32Array): number {
  const n = m.length;
  const half = Math.floor((n + 1) / 2);
  let min = m[0] as number;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = m[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let less = 0;
  let greater = 0;
  let equal = 0;
  let guess = 0;
  let maxLtGuess = 0;
  let minGtGuess = 0;
  for (;;) {
    guess = f32(f32(min + max) / 2);
    less = 0;
    greater = 0;
    equal = 0;
    maxLtGuess = min;
    minGtGuess = max;
    for (let i = 0; i < n; i++) {
      const v = m[i] as number;
      if (v < guess) {
        less++;
        if (v > maxLtGuess) maxLtGuess = v;
      } else if (v > guess) {
        greater++;
        if (v < minGtGuess) minGtGuess = v;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) break;
    if (less > greater) max = maxLtGuess;
    else min = minGtGuess;
  }
  if (less >= half) return maxLtGuess;
  if (less + equal >= half) return guess;
  return minGtGuess;
}

function dctToBits(dct: Float32Array, out: Uint32Array): void {
  const median = torbenMedian(dct);
  out.fill(0);
  for (let k = 0; k < 256; k++) {
    if ((dct[k] as number) > median) out[k >>> 5] = ((out[k >>> 5] as number) | (1 << (k & 31))) >>> 0;
  }
}

// The reference's dct16OriginalTo* sign/transpose patterns (i = row, j = column of the 16×16 DCT).
function dihedralTransform(name: DihedralName, a: Float32Array, b: Float32Array): void {
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      const v = a[i * 16 + j] as number;
      switch (name) {
        case 'original':
          b[i * 16 + j] = v;
          break;
        case 'rotate90':
          b[j * 16 + i] = j & 1 ? v : -v;
          break;
        case 'rotate180':
          b[i * 16 + j] = (i + j) & 1 ? -v : v;
          break;
        case 'rotate270':
          b[j * 16 + i] = i & 1 ? v : -v;
          break;
        case 'flipX':
          b[i * 16 + j] = i & 1 ? v : -v;
          break;
        case 'flipY':
          b[i * 16 + j] = j & 1 ? v : -v;
          break;
        case 'flipPlus1':
          b[j * 16 + i] = v;
          break;
        case 'flipMinus1':
          b[j * 16 + i] = (i + j) & 1 ? -v : v;
          break;
      }
    }
  }
}
