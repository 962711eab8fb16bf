// Matching videos at scale, as python-threatexchange (HMA) does: every quality frame hash of every
// banked video sits in one PdqIndex; a query collects the videos owning a neighbour of any of its
// frames, then runs the brute-force matcher on those candidates only. Decision 0011.
import { PdqError } from './errors.js';
import { describe } from './hash256.js';
import { PdqIndex } from './pdq-index.js';
import {
  VPDQ_DISTANCE_THRESHOLD,
  VPDQ_MATCH_PERCENT,
  VPDQ_QUALITY_THRESHOLD,
  isVpdqMatch,
  packFrames,
  vpdqMatchPacked,
  type PackedFrames,
  type VpdqFrameHash,
} from './vpdq.js';

/** A video to bank or to look up: its frame hashes (as `vpdqHash` gives them) and its file digests. */
export interface VpdqVideo {
  /** Frame hashes; those below the index's quality threshold are ignored. */
  readonly frames: readonly Pick<VpdqFrameHash, 'pdq' | 'quality'>[];
  /** MD5 of the file's bytes (32 hex digits): the same file matches at once, without frame work. */
  readonly md5?: string | undefined;
  /** SHA-256 of the file's bytes (64 hex digits): the same file matches at once, without frame work. */
  readonly sha256?: string | undefined;
}

/** A query may carry only digests: checking them first spares decoding a file already banked. */
export interface VpdqIndexQuery extends Omit<VpdqVideo, 'frames'> {
  readonly frames?: VpdqVideo['frames'] | undefined;
}

export interface VpdqIndexOptions {
  /** Frames under this quality are not banked, nor looked up (default 50). */
  readonly quality?: number;
}

export interface VpdqIndexQueryOptions {
  /** Maximum distance for two frames to match, inclusive (default 31). */
  readonly distance?: number;
  /** A video is reported when either side reaches this share, in percent (default 80). */
  readonly percent?: number;
  /** Report every candidate video — one frame within `distance` — with its shares, match or not. */
  readonly all?: boolean;
}

/** A banked video found by a query, with the shares `vpdqMatch` gives (100/100 for an identical file). */
export interface VpdqIndexMatch {
  readonly videoId: number;
  readonly queryPercent: number;
  readonly targetPercent: number;
  /** True when the file itself is banked (same MD5 or SHA-256); the shares are then 100/100 by fiat. */
  readonly exact: boolean;
}

interface Banked {
  readonly frames: PackedFrames;
  /** First frame entry id; the video's distinct hashes have ids first..first + entries − 1. */
  readonly first: number;
  readonly entries: number;
  readonly md5: string | undefined;
  readonly sha256: string | undefined;
}

const MAX_ID = 0xffffffff;
const MD5_RE = /^[0-9a-f]{32}$/i;
const SHA256_RE = /^[0-9a-f]{64}$/i;
const HEX64_RE = /^[0-9a-f]{64}$/i;

/**
 * Banked videos, matched the vPDQ way: frame neighbours from a {@link PdqIndex} give the candidate
 * videos, the brute-force matcher ({@link vpdqMatchPacked}) gives their shares. A query's results
 * are exactly those of `vpdqMatch` against every banked video (a video with no frame within the
 * distance cannot reach a share above 0).
 *
 * Video ids are integers from 0 to 2^32 − 1 (a bank entry's number); adding an id that is there
 * replaces the video. Frame entries in the inner index are numbered from a counter that never goes
 * back, a video's distinct quality hashes taking consecutive numbers: one index can therefore bank
 * 2^32 distinct frame hashes over its life (re-adding a video counts again), about 136 years of
 * video at one hash a second. Past that, `add` throws `INDEX_ID_INVALID`: build a new index from
 * the bank (a restart does).
 *
 * @example
 * ```ts
 * const index = new VpdqIndex();
 * index.add(12, { frames: await vpdqHash(decode(banked), { fps: 30 }), sha256: bankedSha256 });
 *
 * const hits = index.query({ sha256: uploadSha256 }); // an identical file: no decoding needed
 * const matches = hits.length > 0 ? hits : index.query({ frames: await vpdqHash(decode(upload), { fps: 25 }) });
 * // → [{ videoId: 12, queryPercent: 100, targetPercent: 31.5, exact: false }]: a clip of video 12
 * ```
 */
export class VpdqIndex {
  readonly #quality: number;
  readonly #videos = new Map<number, Banked>();
  readonly #frameIndex = new PdqIndex();
  // The first entry id of each video with entries, ascending, and that video's id: an entry belongs
  // to the video with the greatest first id not above it. Memory follows videos, not frames.
  readonly #firsts: number[] = [];
  readonly #owners: number[] = [];
  readonly #byMd5 = new Map<string, Set<number>>();
  readonly #bySha256 = new Map<string, Set<number>>();
  #nextEntry = 0;
  #frameCount = 0;

  constructor(options: VpdqIndexOptions = {}) {
    const quality = options.quality ?? VPDQ_QUALITY_THRESHOLD;
    if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
      throw new PdqError('OPTION_INVALID', `quality is an integer from 0 to 100; got ${describe(quality)}`);
    }
    this.#quality = quality;
  }

  /** Number of banked videos. */
  get size(): number {
    return this.#videos.size;
  }

  /** Number of banked frame hashes of quality (duplicates within a video included). */
  get frameCount(): number {
    return this.#frameCount;
  }

  /** Banks a video under `videoId`, replacing any video that id had. */
  add(videoId: number, video: VpdqVideo): void {
    checkVideoId(videoId);
    if (typeof video !== 'object' || video === null) {
      throw new PdqError('VIDEO_FRAME_INVALID', `a banked video is { frames, md5?, sha256? }; got ${describe(video)}`);
    }
    checkFrames(video.frames);
    const md5 = digest(video.md5, MD5_RE, 'md5', 32);
    const sha256 = digest(video.sha256, SHA256_RE, 'sha256', 64);
    const frames = packFrames(video.frames, this.#quality);
    const distinct = distinctHashes(video.frames, this.#quality);
    if (this.#nextEntry + distinct.length - 1 > MAX_ID) {
      throw new PdqError('INDEX_ID_INVALID', 'this index has used all 2^32 frame entry ids; build a new index from the bank');
    }
    this.remove(videoId);
    const first = this.#nextEntry;
    distinct.forEach((hash, i) => this.#frameIndex.add(first + i, hash));
    this.#nextEntry += distinct.length;
    if (distinct.length > 0) {
      this.#firsts.push(first);
      this.#owners.push(videoId);
    }
    this.#videos.set(videoId, { frames, first, entries: distinct.length, md5, sha256 });
    this.#frameCount += frames.count;
    if (md5 !== undefined) addTo(this.#byMd5, md5, videoId);
    if (sha256 !== undefined) addTo(this.#bySha256, sha256, videoId);
  }

  /** Withdraws a video: it and all its frames leave the results at once. Returns whether it was there. */
  remove(videoId: number): boolean {
    checkVideoId(videoId);
    const banked = this.#videos.get(videoId);
    if (banked === undefined) return false;
    for (let i = 0; i < banked.entries; i++) this.#frameIndex.remove(banked.first + i);
    if (banked.entries > 0) {
      const at = this.#ownerPosition(banked.first);
      this.#firsts.splice(at, 1);
      this.#owners.splice(at, 1);
    }
    if (banked.md5 !== undefined) removeFrom(this.#byMd5, banked.md5, videoId);
    if (banked.sha256 !== undefined) removeFrom(this.#bySha256, banked.sha256, videoId);
    this.#frameCount -= banked.frames.count;
    this.#videos.delete(videoId);
    return true;
  }

  /** Whether a video is banked under `videoId`. */
  has(videoId: number): boolean {
    checkVideoId(videoId);
    return this.#videos.has(videoId);
  }

  /**
   * The banked videos that match `video`: first those whose file digest it carries (`exact`), then,
   * if it carries frames, those where either side's share of matched quality frames reaches
   * `percent` (or every candidate, with `all`). Best first: exact, then by the higher share, then
   * the lower, then by id.
   */
  query(video: VpdqIndexQuery, options: VpdqIndexQueryOptions = {}): VpdqIndexMatch[] {
    const { distance = VPDQ_DISTANCE_THRESHOLD, percent = VPDQ_MATCH_PERCENT, all = false } = options;
    if (!Number.isInteger(distance) || distance < 0 || distance > 256) {
      throw new PdqError('OPTION_INVALID', `distance is an integer from 0 to 256; got ${describe(distance)}`);
    }
    if (typeof percent !== 'number' || !(percent >= 0 && percent <= 100)) {
      throw new PdqError('OPTION_INVALID', `percent is a number from 0 to 100; got ${describe(percent)}`);
    }
    if (typeof all !== 'boolean') throw new PdqError('OPTION_INVALID', `all is a boolean; got ${describe(all)}`);
    if (typeof video !== 'object' || video === null) {
      throw new PdqError('VIDEO_FRAME_INVALID', `a query is { frames?, md5?, sha256? }; got ${describe(video)}`);
    }
    if (video.frames !== undefined) checkFrames(video.frames);
    const md5 = digest(video.md5, MD5_RE, 'md5', 32);
    const sha256 = digest(video.sha256, SHA256_RE, 'sha256', 64);

    const found = new Map<number, VpdqIndexMatch>();
    const sameFile = [...(md5 === undefined ? [] : (this.#byMd5.get(md5) ?? [])), ...(sha256 === undefined ? [] : (this.#bySha256.get(sha256) ?? []))];
    for (const id of sameFile) found.set(id, { videoId: id, queryPercent: 100, targetPercent: 100, exact: true });
    if (video.frames !== undefined) {
      const query = packFrames(video.frames, this.#quality);
      const candidates = new Set<number>();
      for (const hash of distinctHashes(video.frames, this.#quality)) {
        for (const { id } of this.#frameIndex.query(hash, distance)) candidates.add(this.#owners[this.#ownerPosition(id)] as number);
      }
      for (const id of candidates) {
        if (found.has(id)) continue;
        const shares = vpdqMatchPacked(query, (this.#videos.get(id) as Banked).frames, distance);
        if (all || isVpdqMatch(shares, percent)) found.set(id, { videoId: id, ...shares, exact: false });
      }
    }
    return [...found.values()].sort(bestFirst);
  }

  /** Position in #firsts of the video owning frame entry `entry` (the last first id ≤ entry). */
  #ownerPosition(entry: number): number {
    const firsts = this.#firsts;
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((firsts[mid] as number) <= entry) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function bestFirst(a: VpdqIndexMatch, b: VpdqIndexMatch): number {
  if (a.exact !== b.exact) return a.exact ? -1 : 1;
  const high = Math.max(b.queryPercent, b.targetPercent) - Math.max(a.queryPercent, a.targetPercent);
  const low = Math.min(b.queryPercent, b.targetPercent) - Math.min(a.queryPercent, a.targetPercent);
  return high || low || a.videoId - b.videoId;
}

function checkVideoId(id: unknown): void {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
    throw new PdqError('INDEX_ID_INVALID', `a video id is an integer from 0 to ${MAX_ID}; got ${describe(id)}`);
  }
}

// Checked in full before the index changes, so that a bad frame leaves the index as it was.
function checkFrames(frames: unknown): void {
  if (!Array.isArray(frames)) throw new PdqError('VIDEO_FRAME_INVALID', `frames is an array of { pdq, quality }; got ${describe(frames)}`);
  frames.forEach((f: unknown, i) => {
    const { pdq, quality } = (typeof f === 'object' && f !== null ? f : {}) as { pdq?: unknown; quality?: unknown };
    if (typeof pdq !== 'string' || !HEX64_RE.test(pdq)) {
      throw new PdqError('HASH_HEX_INVALID', `frame ${i}: a PDQ hash is 64 hexadecimal digits; got ${describe(pdq)}`);
    }
    if (typeof quality !== 'number' || !(quality >= 0 && quality <= 100)) {
      throw new PdqError('VIDEO_FRAME_INVALID', `frame ${i}: quality is a number from 0 to 100; got ${describe(quality)}`);
    }
  });
}

function digest(value: unknown, re: RegExp, name: string, digits: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !re.test(value)) {
    throw new PdqError('HASH_HEX_INVALID', `${name} is ${digits} hexadecimal digits; got ${describe(value)}`);
  }
  return value.toLowerCase();
}

// The inner index needs each hash once per video: a still scene repeats its hash frame after frame.
function distinctHashes(frames: readonly Pick<VpdqFrameHash, 'pdq' | 'quality'>[], quality: number): string[] {
  const seen = new Set<string>();
  for (const f of frames) if (f.quality >= quality) seen.add(f.pdq.toLowerCase());
  return [...seen];
}

function addTo(map: Map<string, Set<number>>, key: string, id: number): void {
  const ids = map.get(key);
  if (ids === undefined) map.set(key, new Set([id]));
  else ids.add(id);
}

function removeFrom(map: Map<string, Set<number>>, key: string, id: number): void {
  const ids = map.get(key);
  if (ids === undefined) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}
