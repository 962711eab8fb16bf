// vPDQ: Meta's video fingerprint — the PDQ hash of one decoded frame every `secondsPerHash`, on the
// full frame (no 512 pre-resize) — and its brute-force matcher. Platform-free: frames come from the
// caller (ffmpeg in `@halte/pdq/node`, WebCodecs or a <video> element in a browser).
import { PDQ_QUALITY_THRESHOLD } from './constants.js';
import { PdqError } from './errors.js';
import { hexToWords, popcount32 } from './hash256.js';
import { pdqHash, type PdqImage } from './pdq.js';

/**
 * A frame counts as matched when another is within this distance, inclusive (≤ 31): the same rule as
 * PDQ images, vPDQ's README and python-threatexchange. The C++ matcher counts < 31; decision 0011.
 */
export const VPDQ_DISTANCE_THRESHOLD = 31;

/** Frames of quality below this are dropped before matching (the reference's quality tolerance). */
export const VPDQ_QUALITY_THRESHOLD = PDQ_QUALITY_THRESHOLD;

/**
 * Two videos match when at least this share (percent) of the quality frames of either one is found in
 * the other: the query side catches a clip of a banked video, the target side a compilation that
 * contains one. Decision 0011.
 */
export const VPDQ_MATCH_PERCENT = 80;

/** Default sampling: one hashed frame per second of video, as python-threatexchange (HMA). */
export const VPDQ_DEFAULT_SECONDS_PER_HASH = 1;

/** A decoded frame: pixels plus its decode index (0-based) and presentation time in seconds. */
export interface VpdqInputFrame extends PdqImage {
  readonly frameNumber: number;
  readonly timestamp: number;
}

/** One hashed frame, as the reference's output lines and the report's `video` item. */
export interface VpdqFrameHash {
  readonly frame: number;
  readonly timestamp: number;
  readonly pdq: string;
  readonly quality: number;
}

export interface VpdqHashOptions {
  /** Frames per second of the stream (average frame rate); with `secondsPerHash` gives the step. */
  readonly fps: number;
  /** Seconds between hashed frames (default 1); 0 hashes every frame. */
  readonly secondsPerHash?: number;
  /** Cancels hashing between two frames; the promise rejects with `PdqError('ABORTED')`. */
  readonly signal?: { readonly aborted: boolean };
  /** Called after each hashed frame. */
  readonly onFrame?: (hashed: VpdqFrameHash) => void;
}

/**
 * The sampling step in decoded frames: floor(secondsPerHash × fps), at least 1 (0 s = every frame).
 * A decoder may skip frames whose number is not a multiple of it before converting them.
 */
export function vpdqSamplingStep(fps: number, secondsPerHash: number = VPDQ_DEFAULT_SECONDS_PER_HASH): number {
  if (typeof fps !== 'number' || !Number.isFinite(fps) || fps <= 0 || fps > 1000) {
    throw new PdqError('OPTION_INVALID', `fps must be a number in (0, 1000], got ${String(fps)}`);
  }
  if (typeof secondsPerHash !== 'number' || !Number.isFinite(secondsPerHash) || secondsPerHash < 0 || secondsPerHash > 3600) {
    throw new PdqError('OPTION_INVALID', `secondsPerHash must be a number in [0, 3600], got ${String(secondsPerHash)}`);
  }
  return Math.max(1, Math.floor(secondsPerHash * fps));
}

/**
 * Hashes a video's frames as the reference vPDQ does: PDQ of the full frame for each frame whose
 * number is a multiple of the sampling step. Frames the decoder already skipped are simply absent.
 *
 * @example
 * ```ts
 * const hashes = await vpdqHash(decodeFrames(file), { fps: 30 }); // one frame a second
 * ```
 */
export async function vpdqHash(frames: AsyncIterable<VpdqInputFrame> | Iterable<VpdqInputFrame>, options: VpdqHashOptions): Promise<VpdqFrameHash[]> {
  const step = vpdqSamplingStep(options.fps, options.secondsPerHash);
  const out: VpdqFrameHash[] = [];
  let previous = -1;
  for await (const frame of frames) {
    if (options.signal?.aborted) throw new PdqError('ABORTED', 'video hashing was cancelled');
    const n = frame.frameNumber;
    if (!Number.isInteger(n) || n <= previous) {
      throw new PdqError('VIDEO_FRAME_INVALID', `frame numbers must be increasing integers from 0, got ${String(n)} after ${previous}`);
    }
    if (typeof frame.timestamp !== 'number' || !Number.isFinite(frame.timestamp) || frame.timestamp < 0) {
      throw new PdqError('VIDEO_FRAME_INVALID', `frame ${n} has an invalid timestamp`);
    }
    previous = n;
    if (n % step !== 0) continue;
    const { hash, quality } = pdqHash(frame, { downsample512: false });
    const hashed = { frame: n, timestamp: frame.timestamp, pdq: hash, quality };
    out.push(hashed);
    options.onFrame?.(hashed);
  }
  if (options.signal?.aborted) throw new PdqError('ABORTED', 'video hashing was cancelled');
  return out;
}

export interface VpdqMatchOptions {
  /** Maximum distance for two frames to match, inclusive (default 31). */
  readonly distance?: number;
  /** Frames under this quality are dropped on both sides (default 50). */
  readonly quality?: number;
}

/** Shares (0..100) of each side's quality frames that have a match on the other side. */
export interface VpdqMatchResult {
  readonly queryPercent: number;
  readonly targetPercent: number;
}

/** Frame hashes in the form the matcher compares: 8 words per frame, quality frames only. */
export interface PackedFrames {
  readonly count: number;
  readonly words: Uint32Array;
}

/** Keeps the frames of quality ≥ `quality` and packs their hashes for matching. */
export function packFrames(frames: readonly Pick<VpdqFrameHash, 'pdq' | 'quality'>[], quality: number = VPDQ_QUALITY_THRESHOLD): PackedFrames {
  const kept = frames.filter((f) => f.quality >= quality);
  const words = new Uint32Array(kept.length * 8);
  kept.forEach((f, i) => hexToWords(f.pdq, words, i * 8));
  return { count: kept.length, words };
}

function checkDistance(distance: number): void {
  if (!Number.isInteger(distance) || distance < 0 || distance > 256) {
    throw new PdqError('OPTION_INVALID', `distance must be an integer in 0..256, got ${String(distance)}`);
  }
}

/** For each frame of `a`, whether some frame of `b` lies within `distance`. */
function matchedCount(a: PackedFrames, b: PackedFrames, distance: number): number {
  let matched = 0;
  const wa = a.words;
  const wb = b.words;
  for (let i = 0; i < a.count; i++) {
    const p = i * 8;
    for (let j = 0; j < b.count; j++) {
      const q = j * 8;
      let d = 0;
      for (let w = 0; w < 8 && d <= distance; w++) d += popcount32((wa[p + w] as number) ^ (wb[q + w] as number));
      if (d <= distance) {
        matched++;
        break;
      }
    }
  }
  return matched;
}

/** vpdqMatch on frames already packed (the index keeps its videos packed). */
export function vpdqMatchPacked(query: PackedFrames, target: PackedFrames, distance: number = VPDQ_DISTANCE_THRESHOLD): VpdqMatchResult {
  checkDistance(distance);
  const percent = (n: number, of: number) => (of === 0 ? 0 : (n * 100) / of);
  return {
    queryPercent: percent(matchedCount(query, target, distance), query.count),
    targetPercent: percent(matchedCount(target, query, distance), target.count),
  };
}

/**
 * Brute-force vPDQ match: the share of the query's quality frames found in the target, and the
 * reverse. Frames are not de-duplicated (as the C++ reference).
 *
 * @example
 * ```ts
 * const { queryPercent, targetPercent } = vpdqMatch(uploaded, banked);
 * if (isVpdqMatch({ queryPercent, targetPercent })) block();
 * ```
 */
export function vpdqMatch(query: readonly VpdqFrameHash[], target: readonly VpdqFrameHash[], options: VpdqMatchOptions = {}): VpdqMatchResult {
  const quality = options.quality ?? VPDQ_QUALITY_THRESHOLD;
  if (!Number.isInteger(quality) || quality < 0 || quality > 100) {
    throw new PdqError('OPTION_INVALID', `quality must be an integer in 0..100, got ${String(quality)}`);
  }
  return vpdqMatchPacked(packFrames(query, quality), packFrames(target, quality), options.distance ?? VPDQ_DISTANCE_THRESHOLD);
}

/** Halte's decision on a match result: either side at or above {@link VPDQ_MATCH_PERCENT}. */
export function isVpdqMatch(result: VpdqMatchResult, percent: number = VPDQ_MATCH_PERCENT): boolean {
  return result.queryPercent >= percent || result.targetPercent >= percent;
}
