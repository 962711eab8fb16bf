// npm run bench -w @halte/pdq -- video — vPDQ of whole videos in Node (ffmpeg + pdqHash), one JSON
// report on stdout (progress on stderr). Needs ffmpeg and ffprobe on PATH.
//
// Makes 60-second H.264 videos of ffmpeg's testsrc2 at 720p and 1080p, 30 fps (libx264 -preset
// veryfast, crf 23: a phone-like bitrate, quick to make), then times vpdqHashFile at one frame a
// second and at every frame: total seconds and ms per hashed frame, decode included. Decoding alone
// and pdqHash alone are timed too, to show where the time goes. Options: --quick (10-second videos),
// --seconds=N.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { pdqHash } from '@halte/pdq';
import { decodeVideoFrames, probeVideo, vpdqHashFile } from '@halte/pdq/node';

/** The targets this benchmark checks (issue brief): every frame of 720p, and 60 s of 720p at 1 fps. */
const TARGET_EVERY_FRAME_720P_MS = 17;
const TARGET_ONE_FPS_60S_720P_SECONDS = 3;

export interface BenchVideo {
  readonly name: string;
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function makeVideo(dir: string, name: string, width: number, height: number, seconds: number): BenchVideo {
  const path = join(dir, `${name}.mp4`);
  const started = performance.now();
  execFileSync('ffmpeg', [
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=30:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '23',
    '-pix_fmt',
    'yuv420p',
    path,
  ]);
  log(`made ${name} (${width}×${height}, ${seconds} s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { name, path, width, height, seconds };
}

async function timeDecodeOnly(video: BenchVideo, secondsPerHash: number): Promise<number> {
  const info = await probeVideo(video.path);
  const started = performance.now();
  let frames = 0;
  for await (const _frame of decodeVideoFrames(video.path, { video: info, secondsPerHash })) frames++;
  if (frames === 0) throw new Error(`${video.name}: no frame decoded`);
  return (performance.now() - started) / 1000;
}

/** pdqHash of one full-resolution frame (median of 15), without decoding. */
async function timeHashOnly(video: BenchVideo): Promise<number> {
  const frames = decodeVideoFrames(video.path);
  const first = await frames.next();
  await frames.return(); // stops ffmpeg
  if (first.done) throw new Error(`${video.name}: no frame decoded`);
  const frame = first.value;
  for (let i = 0; i < 3; i++) pdqHash(frame, { downsample512: false });
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    pdqHash(frame, { downsample512: false });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[7] as number;
}

async function benchVideo(video: BenchVideo) {
  const hashOnlyMs = await timeHashOnly(video);
  const modes = [];
  for (const secondsPerHash of [1, 0]) {
    await vpdqHashFile(video.path, { secondsPerHash: 1 }); // warm-up: JIT, page cache
    const started = performance.now();
    const result = await vpdqHashFile(video.path, { secondsPerHash });
    const totalSeconds = (performance.now() - started) / 1000;
    const decodeOnlySeconds = await timeDecodeOnly(video, secondsPerHash);
    const msPerHashedFrame = (totalSeconds * 1000) / result.frames.length;
    log(
      `${video.name} ${secondsPerHash === 0 ? 'every frame' : '1 fps'}: ${result.frames.length} frames in ${totalSeconds.toFixed(2)} s ` +
        `(${msPerHashedFrame.toFixed(2)} ms per hashed frame; decoding alone ${decodeOnlySeconds.toFixed(2)} s)`,
    );
    modes.push({
      secondsPerHash,
      hashedFrames: result.frames.length,
      totalSeconds: round(totalSeconds),
      msPerHashedFrame: round(msPerHashedFrame),
      decodeOnlySeconds: round(decodeOnlySeconds),
    });
  }
  return {
    video: video.name,
    width: video.width,
    height: video.height,
    seconds: video.seconds,
    fps: 30,
    bytes: statSync(video.path).size,
    pdqHashOnlyMs: round(hashOnlyMs),
    modes,
  };
}

/**
 * The Chromium half: the same videos hashed by the web app's real video worker (mediabunny +
 * WebCodecs + @halte/pdq) in headless Chromium, through vitest (packages/web/src/video/bench.run.ts).
 */
export async function benchVideoInChromium(videos: readonly BenchVideo[]): Promise<unknown> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const out = join(mkdtempSync(join(tmpdir(), 'halte-video-bench-chromium-')), 'report.json');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'packages/web/vitest.video-bench.config.ts'], {
      cwd: root,
      env: { ...process.env, HALTE_VIDEO_BENCH_VIDEOS: JSON.stringify(videos), HALTE_VIDEO_BENCH_OUT: out },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return JSON.parse(readFileSync(out, 'utf8')) as unknown;
  } catch (error) {
    return { status: `not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    rmSync(dirname(out), { recursive: true, force: true });
  }
}

export async function runVideoBench(options: { quick: boolean; calibrationMs: number; seconds?: number }): Promise<void> {
  const seconds = options.seconds ?? (options.quick ? 10 : 60);
  const ffmpeg = execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  log(`@halte/pdq video benchmark, ${seconds}-second videos, Node ${process.version}, ${ffmpeg}`);
  const dir = mkdtempSync(join(tmpdir(), 'halte-video-bench-'));
  try {
    const videos = [makeVideo(dir, '720p', 1280, 720, seconds), makeVideo(dir, '1080p', 1920, 1080, seconds)];
    const node = [];
    for (const video of videos) node.push(await benchVideo(video));
    const chromium = await benchVideoInChromium(videos);
    const at720 = node[0]?.modes;
    const everyFrameMs = at720?.find((m) => m.secondsPerHash === 0)?.msPerHashedFrame ?? Number.NaN;
    const oneFpsSeconds = at720?.find((m) => m.secondsPerHash === 1)?.totalSeconds ?? Number.NaN;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      ffmpeg,
      calibrationMs: options.calibrationMs,
      encoder: 'libx264 -preset veryfast -crf 23, yuv420p, 30 fps, testsrc2',
      videos: node,
      chromium,
      targets: {
        everyFrame720pMsPerFrame: { target: TARGET_EVERY_FRAME_720P_MS, measured: everyFrameMs, met: everyFrameMs <= TARGET_EVERY_FRAME_720P_MS },
        // (the target is for 60 s of video: scaled when --quick or --seconds change the length)
        oneFps720pSecondsPer60s: {
          target: TARGET_ONE_FPS_60S_720P_SECONDS,
          measured: round((oneFpsSeconds * 60) / seconds),
          met: (oneFpsSeconds * 60) / seconds <= TARGET_ONE_FPS_60S_720P_SECONDS,
        },
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
