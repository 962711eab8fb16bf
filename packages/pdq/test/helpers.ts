// Test support for @halte/pdq: fixtures, a seeded random source, a brute-force reference and a small
// PNG reader, so that the algorithm can be fed exactly the pixels a lossless file holds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixture(path: string): string {
  return FIXTURES + path;
}

/** Rows of a fixture CSV, without `#` comments and (if `header`) without the header row. */
export function readCsv(path: string, header = false): string[][] {
  const rows = readFileSync(fixture(path), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split(','));
  return header ? rows.slice(1) : rows;
}

export function readLines(path: string): string[] {
  return readFileSync(fixture(path), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** mulberry32: a small seeded generator, so that a failing property run can be replayed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export function randomHash(rnd: () => number): Uint8Array {
  const h = new Uint8Array(32);
  for (let i = 0; i < 32; i += 4) {
    const v = rnd();
    h[i] = v >>> 24;
    h[i + 1] = (v >>> 16) & 0xff;
    h[i + 2] = (v >>> 8) & 0xff;
    h[i + 3] = v & 0xff;
  }
  return h;
}

/** A copy of `hash` with exactly `bits` distinct bits flipped. */
export function flipBits(hash: Uint8Array, bits: number, rnd: () => number): Uint8Array {
  const out = hash.slice();
  const chosen = new Set<number>();
  while (chosen.size < bits) chosen.add(rnd() % 256);
  for (const b of chosen) out[b >>> 3] = (out[b >>> 3] as number) ^ (1 << (b & 7));
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function bruteDistance(a: Uint8Array, b: Uint8Array): number {
  let d = 0;
  for (let i = 0; i < 32; i++) {
    let x = (a[i] as number) ^ (b[i] as number);
    while (x) {
      d += x & 1;
      x >>>= 1;
    }
  }
  return d;
}

/** What a linear scan returns, sorted as the index sorts: by distance, then id. */
export function bruteQuery(
  bank: ReadonlyMap<number, Uint8Array>,
  query: Uint8Array,
  maxDistance: number,
): { id: number; distance: number }[] {
  const out: { id: number; distance: number }[] = [];
  for (const [id, h] of bank) {
    const distance = bruteDistance(h, query);
    if (distance <= maxDistance) out.push({ id, distance });
  }
  return out.sort((a, b) => a.distance - b.distance || a.id - b.id);
}

/**
 * Decodes a non-interlaced 8- or 16-bit PNG (grey, grey+alpha, RGB, RGBA) to its raw samples, exactly
 * as stored (16-bit reduced to the high byte). Enough for the reference images; anything else throws.
 */
export function decodePng(file: string): { data: Uint8Array; width: number; height: number; channels: number } {
  const bytes = readFileSync(file);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  let bytesPerSample = 1;
  const idat: Buffer[] = [];
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9] as number;
      const interlace = body[12];
      channels = ({ 0: 1, 4: 2, 2: 3, 6: 4 } as Record<number, number>)[colour] ?? 0;
      if ((depth !== 8 && depth !== 16) || interlace !== 0 || channels === 0) throw new Error(`unsupported PNG ${file}`);
      bytesPerSample = depth / 8;
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = channels * bytesPerSample;
  const stride = width * bpp;
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (out[y * stride + x - bpp] as number) : 0;
      const b = y > 0 ? (out[(y - 1) * stride + x] as number) : 0;
      const c = x >= bpp && y > 0 ? (out[(y - 1) * stride + x - bpp] as number) : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >>> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + x] = ((line[x] as number) + predictor) & 0xff;
    }
  }
  if (bytesPerSample === 1) return { data: out, width, height, channels };
  // 16-bit samples are big-endian: keep the high byte, as browsers and libpng's strip_16 do.
  const high = new Uint8Array(out.length / 2);
  for (let i = 0; i < high.length; i++) high[i] = out[2 * i] as number;
  return { data: high, width, height, channels };
}
