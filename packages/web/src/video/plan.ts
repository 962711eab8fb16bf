// The decisions taken before and while decoding a video, kept pure so they are tested without a
// browser: the frame rate and sampling step, the bounds, and when to tell the page about progress.
import { PdqError, vpdqSamplingStep } from '@halte/pdq';

import { MAX_VIDEO_HASHED_FRAMES, type VideoLimits } from './limits';

/** What the demuxer says about the first video track, before any frame is decoded. */
export interface TrackFacts {
  readonly codedWidth: number;
  readonly codedHeight: number;
  /** the duration the container declares, when it declares one */
  readonly declaredSeconds: number | null;
  /** packets (frames) in the track, and their average rate, from the packet table */
  readonly packetCount: number;
  readonly averagePacketRate: number;
  /** the regular lattice the first timestamps sit on (mediabunny's frame rate metrics), if any */
  readonly underlyingFrameRate: number | null;
  /** presentation time of the first and the end of the last packet, in seconds */
  readonly firstTimestamp: number;
  readonly endTimestamp: number;
}

export interface VideoPlan {
  readonly fps: number;
  readonly step: number;
  /** the part of the video that is decoded: from max(0, first timestamp) to the end */
  readonly startSeconds: number;
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  /** frames in the index: as many must come out of the decoder */
  readonly packetCount: number;
}

/**
 * The frame rate as the reference reads it: libavformat's average frame rate, frames / duration, with
 * the floating-point noise of the division removed. Where timestamps are coarse (WebM counts
 * milliseconds: 206 frames at 30 fps average 30.0015) and the frames sit on a regular lattice within
 * 0.1 % of that average, the lattice's rate, as libavformat finds for such files — so a 30 fps video
 * sampled once a second steps by 30 frames and stamps frame 30 at 1.000 s.
 */
export function frameRate(averagePacketRate: number, underlyingFrameRate: number | null): number {
  const average = Math.round(averagePacketRate * 1e6) / 1e6;
  if (underlyingFrameRate !== null && underlyingFrameRate > 0 && Math.abs(underlyingFrameRate - average) <= average * 1e-3) {
    return Math.round(underlyingFrameRate * 1e6) / 1e6;
  }
  return average;
}

/** The bounds the header alone tells: frame size and declared duration. Throws PdqError. */
export function checkHeader(facts: Pick<TrackFacts, 'codedWidth' | 'codedHeight' | 'declaredSeconds'>, limits: VideoLimits): void {
  const { codedWidth: width, codedHeight: height } = facts;
  if (!(width > 0 && height > 0)) throw new PdqError('VIDEO_CORRUPT', 'the video track declares no frame size');
  if (width * height > limits.maxFramePixels) {
    throw new PdqError('VIDEO_TOO_MANY_PIXELS', `frames of ${width}×${height} are larger than ${limits.maxFramePixels} pixels`);
  }
  if (facts.declaredSeconds !== null && facts.declaredSeconds > limits.maxDurationSeconds) {
    throw new PdqError('VIDEO_TOO_LONG', `the video lasts ${Math.round(facts.declaredSeconds)} s, more than ${limits.maxDurationSeconds} s`);
  }
}

/** Checks every bound that can be checked before decoding, and fixes the sampling. Throws PdqError. */
export function planVideo(facts: TrackFacts, limits: VideoLimits, secondsPerHash: number): VideoPlan {
  checkHeader(facts, limits);
  const { codedWidth: width, codedHeight: height } = facts;
  if (facts.packetCount === 0) throw new PdqError('VIDEO_CORRUPT', 'the video track holds no frame');
  const startSeconds = Math.max(0, facts.firstTimestamp);
  const durationSeconds = Math.max(0, facts.endTimestamp - startSeconds);
  if (durationSeconds > limits.maxDurationSeconds) {
    throw new PdqError('VIDEO_TOO_LONG', `the video lasts ${Math.round(durationSeconds)} s, more than ${limits.maxDurationSeconds} s`);
  }
  const rate = frameRate(facts.averagePacketRate, facts.underlyingFrameRate);
  // A single frame has no rate; a still "video" is hashed once.
  const fps = Number.isFinite(rate) && rate > 0 ? Math.min(rate, 1000) : 1;
  const step = vpdqSamplingStep(fps, secondsPerHash);
  if (Math.ceil(facts.packetCount / step) > MAX_VIDEO_HASHED_FRAMES) {
    throw new PdqError('VIDEO_TOO_LONG', `${facts.packetCount} frames every ${step} would give more than ${MAX_VIDEO_HASHED_FRAMES} hashes`);
  }
  return { fps, step, startSeconds, durationSeconds, width, height, packetCount: facts.packetCount };
}

/** The share (0..1) of the video decoded once the frame at `timestamp` (seconds) has been. */
export function decodedShare(plan: Pick<VideoPlan, 'startSeconds' | 'durationSeconds'>, timestamp: number): number {
  if (plan.durationSeconds <= 0) return 1;
  return Math.min(1, Math.max(0, (timestamp - plan.startSeconds) / plan.durationSeconds));
}

/**
 * Lets a progress report through when it moved by at least `minStep` or `minMs` have passed since the
 * last one, and always at 1: enough for a progress bar, without a message per frame.
 */
export class ProgressGate {
  private last = -1;
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minStep = 0.01,
    private readonly minMs = 250,
    private readonly now: () => number = () => Date.now(),
  ) {}

  pass(share: number): boolean {
    const at = this.now();
    const moved = share - this.last;
    if (moved <= 0) return false;
    if (share < 1 && moved < this.minStep && at - this.lastAt < this.minMs) return false;
    this.last = share;
    this.lastAt = at;
    return true;
  }
}
