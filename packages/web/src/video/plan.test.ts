import { isPdqError } from '@halte/pdq';
import { describe, expect, it } from 'vitest';

import { DEFAULT_VIDEO_LIMITS } from './limits';
import { decodedShare, frameRate, planVideo, ProgressGate, type TrackFacts } from './plan';

const FACTS: TrackFacts = {
  codedWidth: 1280,
  codedHeight: 720,
  declaredSeconds: 60,
  packetCount: 1800,
  averagePacketRate: 30,
  underlyingFrameRate: 30,
  firstTimestamp: 0,
  endTimestamp: 60,
};

function code(run: () => unknown): string {
  try {
    run();
    return 'no error';
  } catch (error) {
    return isPdqError(error) ? error.code : String(error);
  }
}

describe('frameRate', () => {
  it('is the average rate, without division noise', () => {
    expect(frameRate(29.999999999999996, null)).toBe(30);
    expect(frameRate(30000 / 1001, 30000 / 1001)).toBe(29.97003);
    expect(frameRate(29.87, null)).toBe(29.87);
  });

  it('takes the lattice rate for coarse timestamps (WebM in milliseconds), only when close to the average', () => {
    expect(frameRate(206 / 6.866, 30)).toBe(30);
    // A variable frame rate video keeps its average.
    expect(frameRate(24.5, 30)).toBe(24.5);
  });
});

describe('planVideo', () => {
  it('samples one frame a second: 30 frames apart at 30 fps, every frame at 0', () => {
    expect(planVideo(FACTS, DEFAULT_VIDEO_LIMITS, 1)).toEqual({ fps: 30, step: 30, startSeconds: 0, durationSeconds: 60, width: 1280, height: 720, packetCount: 1800 });
    expect(planVideo(FACTS, DEFAULT_VIDEO_LIMITS, 0).step).toBe(1);
    expect(planVideo({ ...FACTS, averagePacketRate: 30000 / 1001, underlyingFrameRate: 30000 / 1001 }, DEFAULT_VIDEO_LIMITS, 1).step).toBe(29);
  });

  it('refuses too large frames and too long videos before decoding', () => {
    expect(code(() => planVideo({ ...FACTS, codedWidth: 8192, codedHeight: 4320 }, DEFAULT_VIDEO_LIMITS, 1))).toBe('VIDEO_TOO_MANY_PIXELS');
    expect(code(() => planVideo({ ...FACTS, declaredSeconds: 3601 }, DEFAULT_VIDEO_LIMITS, 1))).toBe('VIDEO_TOO_LONG');
    // A header that lies about its length: the packet table tells.
    expect(code(() => planVideo({ ...FACTS, declaredSeconds: 10, endTimestamp: 7200 }, DEFAULT_VIDEO_LIMITS, 1))).toBe('VIDEO_TOO_LONG');
    // More hashes than a video item may hold.
    expect(code(() => planVideo({ ...FACTS, packetCount: 30_000, endTimestamp: 1000 }, DEFAULT_VIDEO_LIMITS, 0))).toBe('VIDEO_TOO_LONG');
    expect(code(() => planVideo({ ...FACTS, codedWidth: 0 }, DEFAULT_VIDEO_LIMITS, 1))).toBe('VIDEO_CORRUPT');
    expect(code(() => planVideo({ ...FACTS, packetCount: 0 }, DEFAULT_VIDEO_LIMITS, 1))).toBe('VIDEO_CORRUPT');
  });

  it('hashes a single frame once, and starts the clock at the first frame shown', () => {
    const still = planVideo({ ...FACTS, packetCount: 1, averagePacketRate: 0, underlyingFrameRate: null, endTimestamp: 0.04 }, DEFAULT_VIDEO_LIMITS, 1);
    expect([still.fps, still.step]).toEqual([1, 1]);
    const late = planVideo({ ...FACTS, firstTimestamp: 2, endTimestamp: 62 }, DEFAULT_VIDEO_LIMITS, 1);
    expect([late.startSeconds, late.durationSeconds]).toEqual([2, 60]);
    expect(planVideo({ ...FACTS, firstTimestamp: -0.1 }, DEFAULT_VIDEO_LIMITS, 1).startSeconds).toBe(0);
  });
});

describe('decodedShare', () => {
  it('is the share of the duration decoded, within 0..1', () => {
    const plan = { startSeconds: 2, durationSeconds: 10 };
    expect([decodedShare(plan, 0), decodedShare(plan, 7), decodedShare(plan, 13)]).toEqual([0, 0.5, 1]);
    expect(decodedShare({ startSeconds: 0, durationSeconds: 0 }, 0)).toBe(1);
  });
});

describe('ProgressGate', () => {
  it('lets through a move of 1 %, or any move after 250 ms, and always the end', () => {
    let now = 0;
    const gate = new ProgressGate(0.01, 250, () => now);
    expect(gate.pass(0)).toBe(true);
    expect(gate.pass(0.005)).toBe(false);
    expect(gate.pass(0.011)).toBe(true);
    expect(gate.pass(0.011)).toBe(false);
    now = 300;
    expect(gate.pass(0.012)).toBe(true);
    expect(gate.pass(0.013)).toBe(false);
    expect(gate.pass(1)).toBe(true);
    expect(gate.pass(1)).toBe(false);
  });
});
