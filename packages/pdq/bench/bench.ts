// npm run bench -w @halte/pdq — prints one JSON report on stdout (progress on stderr).
// npm run bench -w @halte/pdq -- video — the video benchmark instead (./video-bench.ts).
//
// Images: JPEGs of 256², 1 MP, 4 MP and 12 MP made from a 12 MP reference photo; decode and hash
// timed separately (median of RUNS runs), plus dihedral and full-resolution hashing for comparison.
// Index: 1M and 10M random hashes; build time, bytes per hash, query p50/p99 at radius 31 over 1,000
// queries with planted matches, and a linear scan of the same bank in the same run (with the ratio).
// Options: --quick (fewer runs, 1M only), --sizes=1000000,10000000.
import { fileURLToPath } from 'node:url';

import { PdqIndex, pdqDihedral, pdqHash } from '@halte/pdq';
import { decodeImage } from '@halte/pdq/node';
import sharp from 'sharp';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
const INDEX_SIZES = sizesArg ? sizesArg.slice(8).split(',').map(Number) : quick ? [1_000_000] : [1_000_000, 10_000_000];
const RUNS = quick ? 5 : 11;
const QUERIES = 1000;
const RADIUS = 31;

// (compiled to dist-bench/bench.js: paths are relative to that file)
const PHOTO = fileURLToPath(new URL('../test/fixtures/reg-test-input/exif-rotn/exif-rotn-1.jpg', import.meta.url));

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function timeAsync(fn: () => Promise<unknown>, runs: number): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

function timeAll(fn: () => unknown, runs: number): number[] {
  for (let i = 0; i < 3; i++) fn(); // warm-up: the JIT's optimised code, as in a worker hashing many files
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times;
}

function time(fn: () => unknown, runs: number): number {
  return median(timeAll(fn, runs));
}

/**
 * A fixed workload (float32 running sums over 4 MB, like the box filter), timed in the same run: the
 * machines are shared, so compare the other figures against it rather than across runs.
 */
function calibration(): number {
  const a = new Float32Array(1 << 20);
  for (let i = 0; i < a.length; i++) a[i] = i % 255;
  return time(() => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s = Math.fround(s + (a[i] as number));
    return s;
  }, 21);
}

async function benchImages(): Promise<unknown[]> {
  const sizes: [string, number, number][] = [
    ['256x256', 256, 256],
    ['512x512', 512, 512],
    ['1MP', 1155, 866],
    ['4MP', 2309, 1732],
    ['12MP', 4032, 3024],
  ];
  const results = [];
  for (const [name, width, height] of sizes) {
    const jpeg = new Uint8Array(await sharp(PHOTO).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer());
    const decoded = await decodeImage(jpeg);
    const decodeMs = await timeAsync(() => decodeImage(jpeg), RUNS);
    const hashTimes = timeAll(() => pdqHash(decoded), RUNS * 2);
    const hashMs = median(hashTimes);
    const dihedralMs = time(() => pdqDihedral(decoded), RUNS);
    const fullResolutionHashMs = time(() => pdqHash(decoded, { downsample512: false }), Math.min(RUNS, 5));
    const totalMs = await timeAsync(async () => pdqHash(await decodeImage(jpeg)), RUNS);
    log(`image ${name}: decode ${decodeMs.toFixed(1)} ms, hash ${hashMs.toFixed(2)} ms, decode+hash ${totalMs.toFixed(1)} ms`);
    results.push({
      image: name,
      width,
      height,
      jpegBytes: jpeg.length,
      decodeMs: round(decodeMs, 2),
      hashMs: round(hashMs, 2),
      hashMinMs: round(Math.min(...hashTimes), 2),
      decodePlusHashMs: round(totalMs, 2),
      dihedralMs: round(dihedralMs, 2),
      fullResolutionHashMs: round(fullResolutionHashMs, 2),
    });
  }
  return results;
}

/** mulberry32 */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The baseline: every hash compared with the query (32-bit words, early exit like the index's scan). */
function linearScan(words: Uint32Array, count: number, q: Uint32Array, maxDistance: number): number[] {
  const out: number[] = [];
  for (let p = 0, b = 0; p < count; p++, b += 8) {
    let d = 0;
    for (let w = 0; w < 8; w++) d += popcount(((words[b + w] as number) ^ (q[w] as number)) >>> 0);
    if (d <= maxDistance) out.push(p);
  }
  return out;
}

function bytesToWords(bytes: Uint8Array, count: number): Uint32Array {
  const words = new Uint32Array(count * 8);
  for (let i = 0; i < count; i++) {
    for (let w = 0; w < 8; w++) {
      const p = i * 32 + (7 - w) * 4;
      words[i * 8 + w] = (((bytes[p] as number) << 24) | ((bytes[p + 1] as number) << 16) | ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number)) >>> 0;
    }
  }
  return words;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function benchIndex(count: number): unknown {
  const rnd = seeded(count);
  const ids = new Uint32Array(count);
  const hashes = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) ids[i] = i;
  for (let i = 0; i < hashes.length; i += 4) {
    const v = rnd();
    hashes[i] = v >>> 24;
    hashes[i + 1] = (v >>> 16) & 0xff;
    hashes[i + 2] = (v >>> 8) & 0xff;
    hashes[i + 3] = v & 0xff;
  }
  // Queries: banked hashes with 0..31 bits flipped, so each has at least one match.
  const queries: Uint8Array[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const at = rnd() % count;
    const q = hashes.slice(at * 32, at * 32 + 32);
    const flips = new Set<number>();
    while (flips.size < i % 32) flips.add(rnd() % 256);
    for (const b of flips) q[b >>> 3] = (q[b >>> 3] as number) ^ (1 << (b & 7));
    queries.push(q);
  }

  gc();
  const before = process.memoryUsage();
  const started = performance.now();
  const index = PdqIndex.fromBytes(ids, hashes);
  const buildSeconds = (performance.now() - started) / 1000;
  gc();
  const after = process.memoryUsage();
  log(`index ${count}: built in ${buildSeconds.toFixed(1)} s, ${JSON.stringify(index.stats().segments)}`);

  for (const q of queries.slice(0, 100)) index.query(q, RADIUS); // warm-up
  const times: number[] = [];
  let matches = 0;
  for (const q of queries) {
    const t = performance.now();
    matches += index.query(q, RADIUS).length;
    times.push(performance.now() - t);
  }

  // The linear scan over the same bank, and a check that both find the same hashes.
  const words = bytesToWords(hashes, count);
  const scanQueries = queries.slice(0, count > 2_000_000 ? 20 : 100);
  const scanTimes: number[] = [];
  let disagreements = 0;
  for (const q of scanQueries) {
    const qw = bytesToWords(q, 1);
    const t = performance.now();
    const found = linearScan(words, count, qw, RADIUS);
    scanTimes.push(performance.now() - t);
    const fromIndex = index
      .query(q, RADIUS)
      .map((m) => m.id)
      .sort((a, b) => a - b);
    if (fromIndex.join() !== found.join()) disagreements++;
  }
  const p50 = percentile(times, 50);
  const scanP50 = percentile(scanTimes, 50);
  log(`index ${count}: query p50 ${p50.toFixed(3)} ms p99 ${percentile(times, 99).toFixed(3)} ms; scan p50 ${scanP50.toFixed(1)} ms`);
  return {
    hashes: count,
    buildSeconds: round(buildSeconds, 2),
    bytesPerHash: round(index.byteLength / count, 1),
    measuredArrayBufferBytesPerHash: round((after.arrayBuffers - before.arrayBuffers) / count, 1),
    layout: index.stats().segments.map((s) => ({ hashes: s.count, slots: s.slots })),
    radius: RADIUS,
    queries: QUERIES,
    matchesFound: matches,
    queryP50Ms: round(p50),
    queryP99Ms: round(percentile(times, 99)),
    queryMeanMs: round(times.reduce((a, b) => a + b, 0) / times.length),
    linearScanQueries: scanQueries.length,
    linearScanP50Ms: round(scanP50, 2),
    speedupOverLinearScan: round(scanP50 / p50, 1),
    indexAgreesWithScan: disagreements === 0,
  };
}

async function main(): Promise<void> {
  log(`@halte/pdq benchmark (${quick ? 'quick' : 'full'}), Node ${process.version}`);
  const calibrationMs = round(calibration(), 2);
  log(`calibration (float32 running sum over 1M values): ${calibrationMs} ms`);
  const images = await benchImages();
  const index = [];
  for (const count of INDEX_SIZES) {
    index.push(benchIndex(count));
    gc();
  }
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, calibrationMs, images, index }, null, 2)}\n`);
}

if (args.has('video')) {
  const { runVideoBench } = await import('./video-bench.js');
  const secondsArg = process.argv.find((a) => a.startsWith('--seconds='));
  await runVideoBench({
    quick,
    calibrationMs: round(calibration(), 2),
    ...(secondsArg ? { seconds: Number(secondsArg.slice(10)) } : {}),
  });
} else {
  await main();
}
