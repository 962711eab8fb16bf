import { describe, expect, it } from 'vitest';

import { flipBits, randomHash, readCsv, seededRandom, toHex } from '../test/helpers.js';
import {
  PdqError,
  VPDQ_DISTANCE_THRESHOLD,
  VPDQ_MATCH_PERCENT,
  VPDQ_QUALITY_THRESHOLD,
  hammingDistance,
  isVpdqMatch,
  packFrames,
  pdqHash,
  vpdqHash,
  vpdqMatch,
  vpdqMatchPacked,
  vpdqSamplingStep,
  type PackedFrames,
  type VpdqFrameHash,
  type VpdqInputFrame,
} from './index.js';

/** A frame whose pixels are seeded noise over a gradient, so that every frame number hashes differently. */
function frame(frameNumber: number, fps = 10, size = 32): VpdqInputFrame {
  const rnd = seededRandom(0xf4a3e + frameNumber);
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) data[i] = ((i % size) * 4 + (rnd() & 63)) & 0xff;
  return { data, width: size, height: size, channels: 1, frameNumber, timestamp: frameNumber / fps };
}

function frames(numbers: readonly number[], fps = 10): VpdqInputFrame[] {
  return numbers.map((n) => frame(n, fps));
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_x, i) => i);
}

async function rejection(promise: Promise<unknown>): Promise<PdqError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(PdqError);
    return e as PdqError;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): PdqError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PdqError);
    return e as PdqError;
  }
  throw new Error('expected a throw');
}

describe('vpdqSamplingStep', () => {
  it.each([
    [30, 1, 30],
    [29.97, 1, 29],
    [25, 2.5, 62],
    [30, 0, 1],
    [0.5, 1, 1],
    [24, 0.01, 1],
  ])('fps %d, %d s per hash → one frame in %d', (fps, seconds, step) => {
    expect(vpdqSamplingStep(fps, seconds)).toBe(step);
  });

  it('defaults to one hash a second', () => {
    expect(vpdqSamplingStep(30)).toBe(30);
  });

  it.each([0, -30, Number.NaN, Number.POSITIVE_INFINITY, 1001, '30'])('refuses fps %s with OPTION_INVALID', (fps) => {
    expect(thrown(() => vpdqSamplingStep(fps as number, 1)).code).toBe('OPTION_INVALID');
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, 3601, '1'])('refuses secondsPerHash %s with OPTION_INVALID', (seconds) => {
    expect(thrown(() => vpdqSamplingStep(30, seconds as number)).code).toBe('OPTION_INVALID');
  });
});

describe('vpdqHash sampling', () => {
  it('hashes the frames whose number is a multiple of floor(secondsPerHash × fps), keeping number and time', async () => {
    const hashed = await vpdqHash(frames(range(23)), { fps: 10, secondsPerHash: 0.5 });
    expect(hashed.map((h) => h.frame)).toEqual([0, 5, 10, 15, 20]);
    expect(hashed.map((h) => h.timestamp)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('defaults to one frame a second', async () => {
    const hashed = await vpdqHash(frames(range(9), 4), { fps: 4 });
    expect(hashed.map((h) => h.frame)).toEqual([0, 4, 8]);
  });

  it('hashes every frame at 0 seconds per hash', async () => {
    const hashed = await vpdqHash(frames(range(7)), { fps: 10, secondsPerHash: 0 });
    expect(hashed.map((h) => h.frame)).toEqual(range(7));
    expect(new Set(hashed.map((h) => h.pdq)).size).toBe(7);
  });

  it('keeps its step when the decoder already skipped frames: absent frames are not hashed, nor renumbered', async () => {
    // A decoder that skips what it will not need still hands over the sampled frames.
    const skipped = await vpdqHash(frames([0, 7, 10, 14, 20, 29, 30]), { fps: 10 });
    expect(skipped.map((h) => h.frame)).toEqual([0, 10, 20, 30]);
    // A frame that falls on the step but is missing is simply missing.
    const holes = await vpdqHash(frames([0, 1, 2, 3, 5, 6, 9]), { fps: 3 });
    expect(holes.map((h) => h.frame)).toEqual([0, 3, 6, 9]);
  });

  it('takes an async iterable (a decoder stream) and gives the same hashes as an array', async () => {
    async function* decode(): AsyncGenerator<VpdqInputFrame> {
      for (const n of range(12)) {
        await Promise.resolve();
        yield frame(n);
      }
    }
    const options = { fps: 10, secondsPerHash: 0.3 };
    expect(await vpdqHash(decode(), options)).toEqual(await vpdqHash(frames(range(12)), options));
  });

  it('gives nothing for no frames', async () => {
    expect(await vpdqHash([], { fps: 30 })).toEqual([]);
  });

  it('calls onFrame after each hashed frame, in order', async () => {
    const seen: VpdqFrameHash[] = [];
    const hashed = await vpdqHash(frames(range(10)), { fps: 10, secondsPerHash: 0.4, onFrame: (h) => seen.push(h) });
    expect(seen).toEqual(hashed);
    expect(seen.map((h) => h.frame)).toEqual([0, 4, 8]);
  });

  it.each([
    ['a repeated number', [0, 1, 1]],
    ['a decreasing number', [0, 5, 4]],
    ['a fractional number', [0, 1.5]],
    ['a negative first number', [-1, 0]],
    ['NaN', [0, Number.NaN]],
  ])('refuses %s with VIDEO_FRAME_INVALID', async (_name, numbers) => {
    const list = numbers.map((n) => ({ ...frame(0), frameNumber: n }));
    expect((await rejection(vpdqHash(list, { fps: 10, secondsPerHash: 0 }))).code).toBe('VIDEO_FRAME_INVALID');
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '0'])('refuses a timestamp of %s with VIDEO_FRAME_INVALID', async (timestamp) => {
    const list = [{ ...frame(0), timestamp: timestamp as number }];
    expect((await rejection(vpdqHash(list, { fps: 10 }))).code).toBe('VIDEO_FRAME_INVALID');
  });

  it.each([
    [{ fps: 0 }],
    [{ fps: Number.NaN }],
    [{ fps: 30, secondsPerHash: -1 }],
    [{ fps: 30, secondsPerHash: Number.NaN }],
  ])('refuses options %j with OPTION_INVALID before reading a frame', async (options) => {
    let read = 0;
    function* decode(): Generator<VpdqInputFrame> {
      read++;
      yield frame(0);
    }
    expect((await rejection(vpdqHash(decode(), options))).code).toBe('OPTION_INVALID');
    expect(read).toBe(0);
  });
});

describe('vpdqHash cancellation', () => {
  it('stops between two frames once the signal is aborted', async () => {
    const controller = new AbortController();
    let read = 0;
    function* decode(): Generator<VpdqInputFrame> {
      for (const n of range(50)) {
        read++;
        yield frame(n);
      }
    }
    const options = {
      fps: 10,
      secondsPerHash: 0,
      signal: controller.signal,
      onFrame: (h: VpdqFrameHash) => {
        if (h.frame === 2) controller.abort();
      },
    };
    expect((await rejection(vpdqHash(decode(), options))).code).toBe('ABORTED');
    expect(read).toBe(4); // the frame after the abort is read, then dropped
  });

  it('hashes nothing with a signal aborted beforehand', async () => {
    const controller = new AbortController();
    controller.abort();
    let hashed = 0;
    const error = await rejection(vpdqHash(frames(range(5)), { fps: 10, signal: controller.signal, onFrame: () => hashed++ }));
    expect(error.code).toBe('ABORTED');
    expect(hashed).toBe(0);
  });

  it('rejects when the signal is aborted after the last frame (a result the caller no longer wants)', async () => {
    const controller = new AbortController();
    function* decode(): Generator<VpdqInputFrame> {
      yield frame(0);
      controller.abort();
    }
    expect((await rejection(vpdqHash(decode(), { fps: 10, signal: controller.signal }))).code).toBe('ABORTED');
  });
});

describe('vpdqHash hashes the full frame', () => {
  it('equals pdqHash without the 512 pre-resize on a frame larger than 512 px, not the default downsampled hash', async () => {
    const width = 700;
    const height = 530;
    const rnd = seededRandom(0x51de);
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // Pixel-level noise: nearest-neighbour resizing to 512 keeps only some pixels, so the hashes differ.
        data.set([rnd() & 0xff, (x + y) & 0xff, (x * 3) & 0xff], (y * width + x) * 3);
      }
    }
    const big: VpdqInputFrame = { data, width, height, channels: 3, frameNumber: 0, timestamp: 0 };
    const [hashed] = await vpdqHash([big], { fps: 30 });
    const full = pdqHash(big, { downsample512: false });
    expect(hashed).toEqual({ frame: 0, timestamp: 0, pdq: full.hash, quality: full.quality });
    expect(hammingDistance(full.hash, pdqHash(big).hash)).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Matching against the C++ reference (test/fixtures/vpdq, facebook/ThreatExchange sample hashes)

interface MatrixRow {
  readonly query: string;
  readonly target: string;
  readonly queryPercent: number;
  readonly targetPercent: number;
}

const matrix: MatrixRow[] = readCsv('vpdq/expected-brute-match-matrix.csv', true).map((r) => ({
  query: r[0] as string,
  target: r[1] as string,
  queryPercent: Number(r[4]),
  targetPercent: Number(r[5]),
}));
const files = [...new Set(matrix.map((r) => r.query))];

function sampleFrames(file: string): VpdqFrameHash[] {
  return readCsv(`vpdq/${file}`).map(([frameNumber, quality, pdq, timestamp]) => ({
    frame: Number(frameNumber),
    quality: Number(quality),
    pdq: pdq as string,
    timestamp: Number(timestamp),
  }));
}

describe('vpdqMatch against the C++ reference matrix', () => {
  it('has 16 files and every ordered pair', () => {
    expect(files).toHaveLength(16);
    expect(matrix).toHaveLength(256);
    for (const row of matrix) {
      expect(files).toContain(row.target);
    }
  });

  it('gives each side within 5 points of the reference on all 256 pairs, and the same decision away from 80 %', () => {
    const packed = new Map<string, PackedFrames>(files.map((f) => [f, packFrames(sampleFrames(f))]));
    let exact = 0;
    let decided = 0;
    for (const row of matrix) {
      const ours = vpdqMatchPacked(packed.get(row.query) as PackedFrames, packed.get(row.target) as PackedFrames);
      expect(Math.abs(ours.queryPercent - row.queryPercent), `${row.query} → ${row.target}`).toBeLessThanOrEqual(5);
      expect(Math.abs(ours.targetPercent - row.targetPercent), `${row.query} → ${row.target}`).toBeLessThanOrEqual(5);
      if (ours.queryPercent.toFixed(2) === row.queryPercent.toFixed(2) && ours.targetPercent.toFixed(2) === row.targetPercent.toFixed(2)) {
        exact++;
      }
      if (Math.abs(row.queryPercent - VPDQ_MATCH_PERCENT) > 5 && Math.abs(row.targetPercent - VPDQ_MATCH_PERCENT) > 5) {
        decided++;
        const reference = row.queryPercent >= VPDQ_MATCH_PERCENT || row.targetPercent >= VPDQ_MATCH_PERCENT;
        expect(isVpdqMatch(ours), `${row.query} → ${row.target}`).toBe(reference);
      }
    }
    // Measured: all 256 pairs agree with the reference to 2 decimals (with ≤ 31 as here and with < 31 as
    // the C++ matcher); 248 pairs lie more than 5 points from 80 % on both sides.
    expect(exact).toBe(256);
    expect(decided).toBe(248);
  });

  it('gives the same percentages through vpdqMatch as through packed frames', () => {
    const query = sampleFrames('doorknob-hd-no-bar.txt');
    const target = sampleFrames('pattern-hd-no-bar.txt');
    expect(vpdqMatch(query, query)).toEqual({ queryPercent: 100, targetPercent: 100 });
    expect(vpdqMatch(query, target)).toEqual(vpdqMatchPacked(packFrames(query), packFrames(target)));
  });
});

describe('vpdqMatch rules', () => {
  const rnd = seededRandom(0xabc);
  const a = randomHash(rnd);
  const b = randomHash(rnd);
  const c = randomHash(rnd);
  const at = (hash: Uint8Array, quality = 100): VpdqFrameHash => ({ frame: 0, timestamp: 0, pdq: toHex(hash), quality });

  it('gives 0 % to both sides when either side has no frame, or no frame of quality', () => {
    const some = [at(a), at(b)];
    const poor = [at(a, 49), at(b, 10)];
    expect(vpdqMatch([], some)).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch(some, [])).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch([], [])).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch(poor, poor)).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch(some, poor)).toEqual({ queryPercent: 0, targetPercent: 0 });
  });

  it('drops frames below the quality threshold (50) on both sides, and keeps those at it', () => {
    expect(VPDQ_QUALITY_THRESHOLD).toBe(50);
    const query = [at(a), at(b, 49), at(c, 50)];
    const target = [at(a), at(b), at(c)];
    expect(vpdqMatch(query, target)).toEqual({ queryPercent: 100, targetPercent: (2 * 100) / 3 });
    expect(vpdqMatch(query, target, { quality: 0 })).toEqual({ queryPercent: 100, targetPercent: 100 });
    expect(vpdqMatch(query, target, { quality: 51 })).toEqual({ queryPercent: 100, targetPercent: 100 / 3 });
    expect(vpdqMatch(query, target, { quality: 100 })).toEqual({ queryPercent: 100, targetPercent: 100 / 3 });
  });

  it('counts every frame, duplicates included (no de-duplication, as the C++ reference)', () => {
    expect(vpdqMatch([at(a), at(a), at(a), at(b)], [at(a), at(c)])).toEqual({ queryPercent: 75, targetPercent: 50 });
  });

  it('matches frames within 31 bits, inclusive, by default; the distance option moves the bound', () => {
    expect(VPDQ_DISTANCE_THRESHOLD).toBe(31);
    const r = seededRandom(7);
    const at31 = [at(flipBits(a, 31, r))];
    const at32 = [at(flipBits(a, 32, r))];
    expect(vpdqMatch([at(a)], at31)).toEqual({ queryPercent: 100, targetPercent: 100 });
    expect(vpdqMatch([at(a)], at32)).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch([at(a)], at31, { distance: 30 })).toEqual({ queryPercent: 0, targetPercent: 0 });
    expect(vpdqMatch([at(a)], at32, { distance: 32 })).toEqual({ queryPercent: 100, targetPercent: 100 });
    expect(vpdqMatch([at(a)], [at(a)], { distance: 0 })).toEqual({ queryPercent: 100, targetPercent: 100 });
    expect(vpdqMatchPacked(packFrames([at(a)]), packFrames(at32), 256)).toEqual({ queryPercent: 100, targetPercent: 100 });
  });

  it('decides a match when either side reaches 80 %', () => {
    expect(VPDQ_MATCH_PERCENT).toBe(80);
    expect(isVpdqMatch({ queryPercent: 80, targetPercent: 0 })).toBe(true);
    expect(isVpdqMatch({ queryPercent: 0, targetPercent: 80 })).toBe(true);
    expect(isVpdqMatch({ queryPercent: 79.99, targetPercent: 79.99 })).toBe(false);
    expect(isVpdqMatch({ queryPercent: 60, targetPercent: 0 }, 50)).toBe(true);
  });

  it.each([
    [{ distance: -1 }],
    [{ distance: 257 }],
    [{ distance: 1.5 }],
    [{ distance: Number.NaN }],
    [{ distance: '31' }],
    [{ quality: -1 }],
    [{ quality: 101 }],
    [{ quality: 49.5 }],
    [{ quality: '50' }],
  ])('refuses options %j with OPTION_INVALID', (options) => {
    expect(thrown(() => vpdqMatch([at(a)], [at(a)], options as never)).code).toBe('OPTION_INVALID');
  });

  it('refuses a bad distance in vpdqMatchPacked and a malformed hash in a frame', () => {
    expect(thrown(() => vpdqMatchPacked(packFrames([at(a)]), packFrames([at(a)]), -1)).code).toBe('OPTION_INVALID');
    expect(thrown(() => vpdqMatch([{ ...at(a), pdq: 'xyz' }], [at(a)])).code).toBe('HASH_HEX_INVALID');
  });
});
