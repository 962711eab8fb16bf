import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { childDecoders, ffmpeg, ffmpegUnavailable, FFMPEG_PATH, FFPROBE_PATH } from '../../test/ffmpeg.js';
import { fixture, readLines } from '../../test/helpers.js';
import { hammingDistance, isPdqError, pdqHash, type PdqErrorCode } from '../index.js';
import {
  decodeVideoFrames,
  looksLikeVideoFile,
  probeVideo,
  sniffVideoContainer,
  vpdqHashFile,
  type VideoDecodeOptions,
} from './index.js';

// The reference's own regression rule (vpdq/cpp match-hashes-byline): line by line, frames of quality
// ≥ 50, distance < 31.
const BYLINE_DISTANCE = 31;
const BYLINE_QUALITY = 50;
const BYLINE_SHARE = 0.95;

const VIDEOS = ['chair-19-sd-bar', 'pattern-sd-grey-bar', 'doorknob-hd-no-bar', 'test-padded-dimensions'] as const;
const video = (name: string) => fixture(`vpdq/videos/${name}.mp4`);
const tools: VideoDecodeOptions = { ffmpegPath: FFMPEG_PATH, ffprobePath: FFPROBE_PATH };

/** The reference's lines for a fixture video: every frame, hashed by vpdq-hash-video -r 0. */
function referenceLines(name: string) {
  return readLines(`vpdq/${name}.txt`).map((line) => {
    const [frame, quality, pdq, timestamp] = line.split(',');
    return { frame: Number(frame), quality: Number(quality), pdq: pdq as string, timestamp: timestamp as string };
  });
}

async function codeOf(promise: Promise<unknown>): Promise<PdqErrorCode | string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return isPdqError(error) ? error.code : `not a PdqError: ${String(error)}`;
  }
}

const unavailable = ffmpegUnavailable();
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'halte-video-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(unavailable !== null)('vpdqHashFile against the reference vPDQ', () => {
  it.each(VIDEOS)('hashes every frame of %s as the reference does, within its regression rule', async (name) => {
    const reference = referenceLines(name);
    const result = await vpdqHashFile(video(name), { ...tools, secondsPerHash: 0 });
    expect(result.frames).toHaveLength(reference.length);
    // frame numbers are the decode index, timestamps frame / fps, as the reference writes them
    expect(result.frames.map((f) => `${f.frame},${f.timestamp.toFixed(3)}`)).toEqual(reference.map((r) => `${r.frame},${r.timestamp}`));
    let exact = 0;
    let judged = 0;
    let within = 0;
    reference.forEach((r, i) => {
      const ours = result.frames[i];
      if (!ours) return;
      const distance = hammingDistance(ours.pdq, r.pdq);
      if (distance === 0 && ours.quality === r.quality) exact++;
      if (r.quality >= BYLINE_QUALITY) {
        judged++;
        if (distance < BYLINE_DISTANCE) within++;
      }
    });
    const percent = (n: number, of: number) => ((100 * n) / of).toFixed(1);
    console.info(
      `vPDQ ${name}: ${exact}/${reference.length} lines identical to the reference (${percent(exact, reference.length)} %), ` +
        `${within}/${judged} quality frames within distance < ${BYLINE_DISTANCE} (${percent(within, judged)} %)`,
    );
    expect(within / judged).toBeGreaterThanOrEqual(BYLINE_SHARE);

    const bytes = readFileSync(video(name));
    expect(result.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(result.fps).toBe(30);
    expect(result.durationSeconds).toBeCloseTo(reference.length / 30, 1);
  });

  it('samples one frame a second by default: exactly frames floor(fps)·k, hashed as when every frame is', async () => {
    for (const name of ['pattern-sd-grey-bar', 'doorknob-hd-no-bar'] as const) {
      const every = await vpdqHashFile(video(name), { ...tools, secondsPerHash: 0 });
      const sampled = await vpdqHashFile(video(name), tools);
      expect(sampled.frames.map((f) => f.frame)).toEqual(every.frames.map((f) => f.frame).filter((n) => n % 30 === 0));
      expect(sampled.frames).toEqual(every.frames.filter((f) => f.frame % 30 === 0));
      const half = await vpdqHashFile(video(name), { ...tools, secondsPerHash: 0.5 });
      expect(half.frames).toEqual(every.frames.filter((f) => f.frame % 15 === 0));
    }
  });

  it('probes size, frame rate, duration, codec and rotation', async () => {
    expect(await probeVideo(video('doorknob-hd-no-bar'), tools)).toMatchObject({
      width: 1280,
      height: 720,
      fps: 30,
      durationSeconds: 4,
      rotation: 0,
      codec: 'h264',
      pixelFormat: 'yuv420p',
      bytes: readFileSync(video('doorknob-hd-no-bar')).length,
    });
  });

  it('hashes the stored picture of a video with rotation metadata, as the reference (no autorotate)', async () => {
    const rotated = join(tmp, 'rotated.mp4');
    ffmpeg(['-i', video('doorknob-hd-no-bar'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', rotated]);
    const info = await probeVideo(rotated, tools);
    expect([90, 270]).toContain(info.rotation);
    expect({ width: info.width, height: info.height }).toEqual({ width: 1280, height: 720 });
    const original = await vpdqHashFile(video('doorknob-hd-no-bar'), tools);
    expect((await vpdqHashFile(rotated, tools)).frames).toEqual(original.frames);
  });

  it('converts with BT.601 whatever the colour tags say, as the reference (swscale defaults)', async () => {
    const tagged = join(tmp, 'bt709.mp4');
    const bsf = 'h264_metadata=matrix_coefficients=1:colour_primaries=1:transfer_characteristics=1';
    ffmpeg(['-i', video('doorknob-hd-no-bar'), '-c', 'copy', '-an', '-bsf:v', bsf, tagged]);
    const original = await vpdqHashFile(video('doorknob-hd-no-bar'), tools);
    expect((await vpdqHashFile(tagged, tools)).frames).toEqual(original.frames);
  });
});

describe.skipIf(unavailable !== null)('decodeVideoFrames', () => {
  it('yields RGB frames at the stored size with their decode index and time', async () => {
    const info = await probeVideo(video('test-padded-dimensions'), tools);
    const frames = [];
    for await (const frame of decodeVideoFrames(video('test-padded-dimensions'), { ...tools, video: info })) {
      expect(frame.data).toHaveLength(1080 * 1080 * 3);
      frames.push({ frame: frame.frameNumber, timestamp: frame.timestamp, ...pdqHash(frame, { downsample512: false }) });
    }
    expect(frames.map((f) => f.frame)).toEqual([0, 30, 60, 90, 120]);
    expect(frames.map((f) => f.timestamp)).toEqual([0, 1, 2, 3, 4]);
    const reference = referenceLines('test-padded-dimensions').filter((r) => r.frame % 30 === 0);
    frames.forEach((f, i) => expect(hammingDistance(f.hash, reference[i]?.pdq ?? '')).toBeLessThan(BYLINE_DISTANCE));
    expect(childDecoders()).toEqual([]);
  });

  it('kills ffmpeg when the loop is left early, and leaves no process behind', async () => {
    let seen = 0;
    for await (const frame of decodeVideoFrames(video('chair-19-sd-bar'), { ...tools, secondsPerHash: 0 })) {
      expect(frame.frameNumber).toBe(seen);
      // (the check below is not vacuous: while frames come, ffmpeg is a child of this process)
      if (seen === 0) expect(childDecoders()).toEqual([expect.stringMatching(/ ffmpeg [RSD]$/)]);
      if (++seen === 3) break;
    }
    expect(childDecoders()).toEqual([]);
  });

  it('refuses bad options at once, before any process starts', () => {
    const path = video('doorknob-hd-no-bar');
    for (const options of [
      { secondsPerHash: -1 },
      { secondsPerHash: Number.NaN },
      { maxBytes: 0 },
      { maxFramePixels: 1.5 },
      { timeoutSeconds: -1 },
      { maxDurationSeconds: Number.POSITIVE_INFINITY },
      { threads: 65 },
      { ffmpegPath: '' },
    ]) {
      expect(() => decodeVideoFrames(path, options), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
    }
  });

  it('stops with VIDEO_TOO_LONG when the frames go past the limit although the header declared no duration', async () => {
    const info = await probeVideo(video('pattern-sd-grey-bar'), tools);
    const frames = decodeVideoFrames(video('pattern-sd-grey-bar'), {
      ...tools,
      video: { ...info, durationSeconds: null },
      maxDurationSeconds: 2,
      secondsPerHash: 0,
    });
    let last = -1;
    const code = await codeOf(
      (async () => {
        for await (const frame of frames) last = frame.frameNumber;
      })(),
    );
    expect(code).toBe('VIDEO_TOO_LONG');
    expect(last).toBe(60); // 2 s × 30 fps is the last frame accepted
    expect(childDecoders()).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)('bad inputs each give their own code', () => {
  let files: Record<string, string>;
  beforeAll(() => {
    const at = (name: string) => join(tmp, name);
    files = {
      empty: at('empty.mp4'),
      text: at('notes.mp4'),
      audio: at('audio-only.m4a'),
      wav: at('audio.wav'),
      truncated: at('truncated.mp4'),
      truncatedMoovAtEnd: at('truncated-moov-at-end.mp4'),
      garbled: at('garbled.mp4'),
      huge: at('huge.mp4'),
      jpeg: at('photo.jpg'),
    };
    writeFileSync(files['empty'] as string, '');
    writeFileSync(files['text'] as string, 'not a video at all\n');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', files['audio'] as string]);
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', files['wav'] as string]);
    // first half: this clip keeps its index (moov) first, so ffprobe reads it and decoding runs off the end
    const chair = readFileSync(video('chair-19-sd-bar'));
    writeFileSync(files['truncated'] as string, chair.subarray(0, chair.length / 2));
    // this one keeps its index last: the first half has none
    const padded = readFileSync(video('test-padded-dimensions'));
    writeFileSync(files['truncatedMoovAtEnd'] as string, padded.subarray(0, padded.length / 2));
    // 20 kB of noise in the middle of the picture data
    const garbled = Buffer.from(readFileSync(video('pattern-sd-grey-bar')));
    let seed = 1;
    for (let i = 400_000; i < 420_000; i++) garbled[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    writeFileSync(files['garbled'] as string, garbled);
    // 4112×4112 declared (one black frame): over the 4096×4096 limit
    ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=4112x4112:rate=1', '-frames:v', '1', '-c:v', 'libx264', '-preset', 'ultrafast', files['huge'] as string]);
    copyFileSync(fixture('bridge-mods/aaa-orig.jpg'), files['jpeg'] as string);
  });

  it.each([
    ['missing', 'FILE_UNREADABLE'],
    ['empty', 'FILE_EMPTY'],
    ['text', 'VIDEO_NO_STREAM'],
    ['audio', 'VIDEO_NO_STREAM'],
    ['wav', 'VIDEO_NO_STREAM'],
    ['jpeg', 'VIDEO_NO_STREAM'],
    ['truncated', 'VIDEO_CORRUPT'],
    ['truncatedMoovAtEnd', 'VIDEO_CORRUPT'],
    ['garbled', 'VIDEO_CORRUPT'],
    ['huge', 'VIDEO_TOO_MANY_PIXELS'],
  ])('%s → %s', async (which, expected) => {
    const path = files[which] ?? join(tmp, 'does-not-exist.mp4');
    expect(await codeOf(vpdqHashFile(path, tools))).toBe(expected);
    expect(childDecoders()).toEqual([]);
  });

  it('refuses over-large and over-long files from their size and header', async () => {
    const path = video('pattern-sd-grey-bar');
    expect(await codeOf(vpdqHashFile(path, { ...tools, maxBytes: 1000 }))).toBe('FILE_TOO_LARGE');
    expect(await codeOf(vpdqHashFile(path, { ...tools, maxDurationSeconds: 5 }))).toBe('VIDEO_TOO_LONG');
    expect(await codeOf(vpdqHashFile(path, { ...tools, maxFramePixels: 480 * 720 - 1 }))).toBe('VIDEO_TOO_MANY_PIXELS');
  });

  it('says how to install ffmpeg or ffprobe when they are missing', async () => {
    const path = video('pattern-sd-grey-bar');
    for (const options of [{ ffprobePath: join(tmp, 'no-ffprobe') }, { ...tools, ffmpegPath: join(tmp, 'no-ffmpeg') }]) {
      const error = await vpdqHashFile(path, options).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'VIDEO_DECODER_UNAVAILABLE', message: expect.stringContaining('apt-get install ffmpeg') });
    }
    expect(childDecoders()).toEqual([]);
  });

  it('says so when ffmpeg is too old for its options', async () => {
    // what FFmpeg 4.4 answers to -fps_mode
    const old = join(tmp, 'ffmpeg-4.4');
    writeFileSync(old, `#!/bin/sh\necho "Unrecognized option 'fps_mode'." >&2\necho "Error splitting the argument list: Option not found" >&2\nexit 1\n`, { mode: 0o755 });
    const error = await vpdqHashFile(video('pattern-sd-grey-bar'), { ...tools, ffmpegPath: old }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VIDEO_DECODER_UNAVAILABLE', message: expect.stringContaining('FFmpeg 5.1 or later') });
  });
});

describe.skipIf(unavailable !== null)('cancelling', () => {
  it('kills ffmpeg on abort: ABORTED, and no process is left', async () => {
    const controller = new AbortController();
    let hashed = 0;
    const started = Date.now();
    const code = await codeOf(
      vpdqHashFile(video('chair-19-sd-bar'), {
        ...tools,
        secondsPerHash: 0,
        signal: controller.signal,
        onFrame: () => {
          if (++hashed === 5) controller.abort();
        },
      }),
    );
    expect(code).toBe('ABORTED');
    expect(hashed).toBeLessThan(10);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(childDecoders()).toEqual([]);
  });

  it('does not start on an already aborted signal', async () => {
    const signal = AbortSignal.abort();
    expect(await codeOf(vpdqHashFile(video('doorknob-hd-no-bar'), { ...tools, signal }))).toBe('ABORTED');
    expect(childDecoders()).toEqual([]);
  });

  it('kills ffmpeg at the time limit: VIDEO_TIMEOUT, and no process is left', async () => {
    const started = Date.now();
    const code = await codeOf(vpdqHashFile(video('chair-19-sd-bar'), { ...tools, secondsPerHash: 0, timeoutSeconds: 0.5 }));
    expect(code).toBe('VIDEO_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(childDecoders()).toEqual([]);
  });
});

describe('recognising video files', () => {
  it('knows video containers by their first bytes, and HEIC/AVIF as images', async () => {
    const bytes = (text: string) => new TextEncoder().encode(text);
    expect(sniffVideoContainer(bytes('\0\0\0\x20ftypisom\0\0\0\0'))).toBe('mov');
    expect(sniffVideoContainer(bytes('\0\0\0\x18ftypheic\0\0\0\0'))).toBeNull();
    expect(sniffVideoContainer(bytes('\0\0\0\x1cftypavif\0\0\0\0'))).toBeNull();
    expect(sniffVideoContainer(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe('matroska');
    expect(sniffVideoContainer(bytes('RIFF\0\0\0\0AVI LIST'))).toBe('avi');
    expect(sniffVideoContainer(bytes('RIFF\0\0\0\0WEBPVP8 '))).toBeNull();
    expect(sniffVideoContainer(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBeNull();
    expect(await looksLikeVideoFile(video('doorknob-hd-no-bar'))).toBe(true);
    expect(await looksLikeVideoFile(fixture('bridge-mods/aaa-orig.jpg'))).toBe(false);
    expect(await looksLikeVideoFile(join(tmpdir(), 'missing-clip.MKV'))).toBe(true); // by its name
    expect(await looksLikeVideoFile(join(tmpdir(), 'missing-photo.jpg'))).toBe(false);
  });
});
