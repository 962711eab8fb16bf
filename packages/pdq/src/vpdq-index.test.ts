import { describe, expect, it } from 'vitest';

import { readCsv } from '../test/helpers.js';
import {
  PdqError,
  VpdqIndex,
  isVpdqMatch,
  packFrames,
  vpdqMatchPacked,
  type PackedFrames,
  type VpdqFrameHash,
  type VpdqIndexMatch,
} from './index.js';

// The 16 native-size sample videos of facebook/ThreatExchange (test/fixtures/vpdq) and the C++
// reference's brute-force matrix over every ordered pair of them.
const matrix = readCsv('vpdq/expected-brute-match-matrix.csv', true).map((r) => ({
  query: r[0] as string,
  target: r[1] as string,
  queryPercent: Number(r[4]),
  targetPercent: Number(r[5]),
}));
const files = [...new Set(matrix.map((r) => r.query))];
const framesOf = new Map<string, VpdqFrameHash[]>(
  files.map((file) => [
    file,
    readCsv(`vpdq/${file}`).map(([frame, quality, pdq, timestamp]) => ({
      frame: Number(frame),
      quality: Number(quality),
      pdq: pdq as string,
      timestamp: Number(timestamp),
    })),
  ]),
);
const packedOf = new Map<string, PackedFrames>(files.map((f) => [f, packFrames(frames(f))]));
// Ids at both ends of the range, and others spread out.
const idOf = new Map(files.map((f, i) => [f, i === 0 ? 0 : i === files.length - 1 ? 0xffffffff : 1000 + 7 * i]));
const fileOf = new Map([...idOf].map(([f, id]) => [id, f]));

function frames(file: string): VpdqFrameHash[] {
  return framesOf.get(file) as VpdqFrameHash[];
}

function id(file: string): number {
  return idOf.get(file) as number;
}

function bankAll(): VpdqIndex {
  const index = new VpdqIndex();
  for (const file of files) index.add(id(file), { frames: frames(file) });
  return index;
}

/** What a brute-force match of the query against every banked video gives, as the index reports it. */
function bruteForce(query: PackedFrames, banked: readonly string[], distance: number): VpdqIndexMatch[] {
  return banked
    .map((file) => ({ videoId: id(file), ...vpdqMatchPacked(query, packedOf.get(file) as PackedFrames, distance), exact: false }))
    .filter((m) => m.queryPercent > 0);
}

let bruteAt31: Map<string, VpdqIndexMatch[]> | undefined;

/** Brute force at distance 31 of every sample video against all 16, computed once (about 2 s). */
function bruteForceAll(file: string): VpdqIndexMatch[] {
  bruteAt31 ??= new Map(files.map((f) => [f, bruteForce(packedOf.get(f) as PackedFrames, files, 31)]));
  return bruteAt31.get(file) as VpdqIndexMatch[];
}

function byId(matches: readonly VpdqIndexMatch[]): VpdqIndexMatch[] {
  return [...matches].sort((a, b) => a.videoId - b.videoId);
}

/** Exact first, then by the higher share, then the lower, then by id. */
function expectBestFirst(matches: readonly VpdqIndexMatch[]): void {
  for (let i = 1; i < matches.length; i++) {
    const a = matches[i - 1] as VpdqIndexMatch;
    const b = matches[i] as VpdqIndexMatch;
    const key = (m: VpdqIndexMatch) => [m.exact ? 1 : 0, Math.max(m.queryPercent, m.targetPercent), Math.min(m.queryPercent, m.targetPercent), -m.videoId];
    const [ka, kb] = [key(a), key(b)];
    const order = ka.findIndex((v, k) => v !== kb[k]);
    expect(order, `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBeGreaterThanOrEqual(0);
    expect((ka[order] as number) > (kb[order] as number), `${JSON.stringify(a)} before ${JSON.stringify(b)}`).toBe(true);
  }
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

const HASH = 'e271017837246aaccddea259648fb7d62f435c89d9e99b2497763e216c8d055c';
const MD5 = '0123456789abcdef0123456789abcdef';
const SHA256 = 'ab'.repeat(32);

describe('VpdqIndex on the reference sample videos', () => {
  const index = bankAll();

  it('banks the 16 videos and their quality frames', () => {
    expect(index.size).toBe(16);
    const quality = files.reduce((n, f) => n + frames(f).filter((x) => x.quality >= 50).length, 0);
    expect(index.frameCount).toBe(quality);
    for (const file of files) expect(index.has(id(file))).toBe(true);
  });

  it.each(files)('finds %s itself and exactly the videos the reference matrix matches it with', (file) => {
    const found = index.query({ frames: frames(file) });
    expectBestFirst(found);
    expect(byId(found)).toEqual(byId(bruteForceAll(file).filter((m) => isVpdqMatch(m))));
    expect(found).toContainEqual({ videoId: id(file), queryPercent: 100, targetPercent: 100, exact: false });
    const expected = matrix.filter((r) => r.query === file && isVpdqMatch(r)).map((r) => r.target);
    expect(found.map((m) => fileOf.get(m.videoId)).sort()).toEqual(expected.sort());
    for (const m of found) {
      const row = matrix.find((r) => r.query === file && r.target === fileOf.get(m.videoId));
      expect(m.queryPercent).toBeCloseTo(row?.queryPercent ?? Number.NaN, 2);
      expect(m.targetPercent).toBeCloseTo(row?.targetPercent ?? Number.NaN, 2);
    }
  });

  // Every candidate — a banked video with one frame within the distance — is exactly a video to which
  // brute force gives a share above 0; the default results are those among them that pass isVpdqMatch.
  it('gives exactly what a brute-force match against every banked video gives, for every sample video', () => {
    for (const file of files) {
      const all = index.query({ frames: frames(file) }, { all: true });
      expectBestFirst(all);
      expect(byId(all), file).toEqual(byId(bruteForceAll(file)));
    }
  });

  it.each([0, 12, 40])('agrees with brute force at distance %d too', (distance) => {
    for (const file of ['pattern-sd-grey-bar.txt', 'doorknob-hd-no-bar.txt', 'test-padded-dimensions.txt', 'pattern-longer-no-bar.txt']) {
      const all = index.query({ frames: frames(file) }, { distance, all: true });
      expect(byId(all), file).toEqual(byId(bruteForce(packedOf.get(file) as PackedFrames, files, distance)));
    }
  });

  it('applies the percent option to the better side', () => {
    const file = 'pattern-sd-with-large-logo-bar.txt';
    const all = index.query({ frames: frames(file) }, { all: true });
    expect(all.length).toBeGreaterThan(2);
    for (const percent of [0, 10.5, 50, 95, 100]) {
      const expected = all.filter((m) => Math.max(m.queryPercent, m.targetPercent) >= percent);
      expect(index.query({ frames: frames(file) }, { percent })).toEqual(expected);
    }
  });

  it('finds the source of a clip through the query side', () => {
    const source = 'chair-orig-22-sd-bar.txt';
    const clip = frames(source).slice(300, 420);
    const hit = index.query({ frames: clip }).find((m) => m.videoId === id(source));
    expect(hit?.queryPercent).toBe(100);
    expect(hit?.targetPercent).toBeLessThan(20);
  });

  it('finds both videos of a compilation through the target side', () => {
    const first = 'chair-orig-22-sd-bar.txt';
    const second = 'pattern-hd-no-bar.txt';
    const found = index.query({ frames: [...frames(first), ...frames(second)] });
    for (const source of [first, second]) {
      const hit = found.find((m) => m.videoId === id(source));
      expect(hit?.targetPercent, source).toBe(100);
      expect(hit?.queryPercent, source).toBeLessThan(80);
    }
  });

  it('finds nothing for a query without frames of quality, and nothing for an empty query', () => {
    const poor = frames('chair-19-sd-bar.txt').map((f) => ({ ...f, quality: 49 }));
    expect(index.query({ frames: poor }, { all: true })).toEqual([]);
    expect(index.query({ frames: [] }, { all: true })).toEqual([]);
    expect(index.query({})).toEqual([]);
  });
});

describe('VpdqIndex withdrawals', () => {
  it('drops a removed video and all its frames from every result, and takes it back when re-added', () => {
    const index = bankAll();
    const gone = 'chair-orig-22-sd-bar.txt';
    const before = index.frameCount;
    expect(index.remove(id(gone))).toBe(true);
    expect(index.remove(id(gone))).toBe(false);
    expect(index.has(id(gone))).toBe(false);
    expect(index.size).toBe(15);
    expect(index.frameCount).toBe(before - 673);
    // The removed video's own frames, and the first few videos that shared a frame with it.
    const related = files.filter((f) => bruteForceAll(f).some((m) => m.videoId === id(gone)));
    expect(related.length).toBeGreaterThan(3);
    for (const file of related.slice(0, 4)) {
      const all = index.query({ frames: frames(file) }, { all: true });
      expect(byId(all), file).toEqual(byId(bruteForceAll(file).filter((m) => m.videoId !== id(gone))));
    }
    index.add(id(gone), { frames: frames(gone) });
    expect(index.frameCount).toBe(before);
    expect(index.query({ frames: frames(gone) })).toContainEqual({ videoId: id(gone), queryPercent: 100, targetPercent: 100, exact: false });
  });

  it('is empty once every video is removed', () => {
    const index = bankAll();
    for (const file of files) index.remove(id(file));
    expect(index.size).toBe(0);
    expect(index.frameCount).toBe(0);
    for (const file of files) expect(index.query({ frames: frames(file) }, { all: true })).toEqual([]);
    index.add(7, { frames: frames('doorknob-hd-no-bar.txt') });
    expect(index.query({ frames: frames('doorknob-hd-no-bar.txt') })).toEqual([{ videoId: 7, queryPercent: 100, targetPercent: 100, exact: false }]);
  });

  it('replaces the video of an id added again: the old frames no longer match', () => {
    const index = new VpdqIndex();
    index.add(5, { frames: frames('doorknob-hd-no-bar.txt'), md5: MD5 });
    index.add(5, { frames: frames('pattern-hd-no-bar.txt') });
    expect(index.size).toBe(1);
    expect(index.frameCount).toBe(205);
    expect(index.query({ frames: frames('doorknob-hd-no-bar.txt'), md5: MD5 }, { all: true })).toEqual([]);
    expect(index.query({ frames: frames('pattern-hd-no-bar.txt') })).toEqual([{ videoId: 5, queryPercent: 100, targetPercent: 100, exact: false }]);
  });
});

describe('VpdqIndex exact file digests', () => {
  const index = new VpdqIndex();
  index.add(1, { frames: frames('doorknob-hd-no-bar.txt'), md5: MD5.toUpperCase() });
  index.add(2, { frames: frames('pattern-hd-no-bar.txt'), sha256: SHA256 });
  index.add(3, { frames: [], md5: 'f'.repeat(32), sha256: 'f'.repeat(64) });
  index.add(4, { frames: [{ pdq: HASH, quality: 10 }], sha256: 'f'.repeat(64) });

  it('returns the video with the same MD5 or SHA-256 at 100/100 and exact, without frames', () => {
    expect(index.query({ md5: MD5 })).toEqual([{ videoId: 1, queryPercent: 100, targetPercent: 100, exact: true }]);
    expect(index.query({ sha256: SHA256.toUpperCase() })).toEqual([{ videoId: 2, queryPercent: 100, targetPercent: 100, exact: true }]);
    expect(index.query({ md5: '0'.repeat(32), sha256: '0'.repeat(64) })).toEqual([]);
  });

  it('finds videos that have no frame of quality, and every video that shares the digest', () => {
    expect(index.query({ sha256: 'f'.repeat(64) }).map((m) => m.videoId)).toEqual([3, 4]);
    expect(index.query({ md5: 'f'.repeat(32), sha256: 'f'.repeat(64) }).map((m) => m.videoId)).toEqual([3, 4]);
  });

  it('reports an exact video once and first, and still matches the frames against the others', () => {
    const found = index.query({ frames: frames('pattern-hd-no-bar.txt'), md5: MD5 });
    expect(found).toEqual([
      { videoId: 1, queryPercent: 100, targetPercent: 100, exact: true },
      { videoId: 2, queryPercent: 100, targetPercent: 100, exact: false },
    ]);
    expect(index.query({ frames: frames('pattern-hd-no-bar.txt'), sha256: SHA256 })).toEqual([
      { videoId: 2, queryPercent: 100, targetPercent: 100, exact: true },
    ]);
  });

  it('forgets the digests of a removed video', () => {
    const own = new VpdqIndex();
    own.add(9, { frames: [], md5: MD5, sha256: SHA256 });
    own.add(10, { frames: [], sha256: SHA256 });
    own.remove(9);
    expect(own.query({ md5: MD5 })).toEqual([]);
    expect(own.query({ sha256: SHA256 }).map((m) => m.videoId)).toEqual([10]);
  });
});

describe('VpdqIndex options', () => {
  it('banks and looks up frames down to its quality option', () => {
    const poor = frames('doorknob-hd-no-bar.txt');
    expect(new VpdqIndex().frameCount).toBe(0);
    const strict = new VpdqIndex();
    strict.add(1, { frames: poor });
    expect(strict.frameCount).toBe(60);
    const loose = new VpdqIndex({ quality: 0 });
    loose.add(1, { frames: poor });
    expect(loose.frameCount).toBe(120);
    const low = poor.filter((f) => f.quality < 50);
    expect(strict.query({ frames: low }, { all: true })).toEqual([]);
    expect(loose.query({ frames: low }, { all: true })).toEqual([{ videoId: 1, queryPercent: 100, targetPercent: 50, exact: false }]);
  });
});

describe('VpdqIndex on bad input', () => {
  const ok = { frames: [{ pdq: HASH, quality: 100 }] };

  it.each([-1, 1.5, 2 ** 32, Number.NaN, '1', null])('refuses the video id %s with INDEX_ID_INVALID', (videoId) => {
    const index = new VpdqIndex();
    expect(thrown(() => index.add(videoId as number, ok)).code).toBe('INDEX_ID_INVALID');
    expect(thrown(() => index.remove(videoId as number)).code).toBe('INDEX_ID_INVALID');
    expect(thrown(() => index.has(videoId as number)).code).toBe('INDEX_ID_INVALID');
  });

  it.each([
    ['no video', null, 'VIDEO_FRAME_INVALID'],
    ['frames not an array', { frames: 'x' }, 'VIDEO_FRAME_INVALID'],
    ['no frames', {}, 'VIDEO_FRAME_INVALID'],
    ['a frame that is not an object', { frames: [null] }, 'HASH_HEX_INVALID'],
    ['a 63-digit hash', { frames: [{ pdq: HASH.slice(1), quality: 100 }] }, 'HASH_HEX_INVALID'],
    ['a hash with a non-hex digit', { frames: [{ pdq: `g${HASH.slice(1)}`, quality: 100 }] }, 'HASH_HEX_INVALID'],
    ['a low-quality frame with a bad hash', { frames: [{ pdq: 'zz', quality: 0 }] }, 'HASH_HEX_INVALID'],
    ['a quality of NaN', { frames: [{ pdq: HASH, quality: Number.NaN }] }, 'VIDEO_FRAME_INVALID'],
    ['a quality of 101', { frames: [{ pdq: HASH, quality: 101 }] }, 'VIDEO_FRAME_INVALID'],
    ['a quality given as text', { frames: [{ pdq: HASH, quality: '100' }] }, 'VIDEO_FRAME_INVALID'],
    ['a 31-digit MD5', { ...ok, md5: MD5.slice(1) }, 'HASH_HEX_INVALID'],
    ['a SHA-256 given as an MD5', { ...ok, md5: SHA256 }, 'HASH_HEX_INVALID'],
    ['a non-hex SHA-256', { ...ok, sha256: `x${SHA256.slice(1)}` }, 'HASH_HEX_INVALID'],
    ['a SHA-256 as bytes', { ...ok, sha256: new Uint8Array(32) }, 'HASH_HEX_INVALID'],
  ])('refuses %s, leaving the index as it was', (name, video, code) => {
    const index = new VpdqIndex();
    index.add(1, ok);
    expect(thrown(() => index.add(1, video as never)).code).toBe(code);
    expect(index.size).toBe(1);
    expect(index.query(ok)).toEqual([{ videoId: 1, queryPercent: 100, targetPercent: 100, exact: false }]);
    // The same rules hold for a query, whose frames may be absent.
    if (name !== 'no frames') expect(thrown(() => index.query(video as never)).code).toBe(code);
  });

  it.each([
    [{ distance: -1 }],
    [{ distance: 257 }],
    [{ distance: 1.5 }],
    [{ distance: '31' }],
    [{ percent: -1 }],
    [{ percent: 100.5 }],
    [{ percent: Number.NaN }],
    [{ percent: '80' }],
    [{ all: 'yes' }],
  ])('refuses the query options %j with OPTION_INVALID', (options) => {
    expect(thrown(() => new VpdqIndex().query(ok, options as never)).code).toBe('OPTION_INVALID');
  });

  it.each([-1, 101, 49.5, '50'])('refuses a quality option of %s with OPTION_INVALID', (quality) => {
    expect(thrown(() => new VpdqIndex({ quality: quality as number })).code).toBe('OPTION_INVALID');
  });
});
