// The Chromium half of the video benchmark (`npm run bench -w @halte/pdq -- video` makes the videos
// and times the Node path): the same files hashed by the app's real video worker in headless
// Chromium — mediabunny + WebCodecs' software decoder + @halte/pdq — at one frame a second and at
// every frame. Node-side code (Vite, Playwright): load it through Vite or vitest, as the browser tests
// do, since it imports TypeScript sources. Target: 60 s of 720p at 1 fps in ≤ 10 s.
import { readdirSync, readFileSync, statSync } from 'node:fs';

import { startHarness } from './harness/driver';

/** The same shape as packages/pdq/bench/video-bench.ts's BenchVideo. */
export interface BenchVideo {
  readonly name: string;
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
}

export interface ChromiumBenchMode {
  readonly secondsPerHash: number;
  readonly hashedFrames: number;
  readonly decodedFrames: number;
  /** wall clock in the worker: demuxing, decoding every frame, converting and hashing the sampled ones, MD5 + SHA-256 */
  readonly totalSeconds: number;
  readonly msPerHashedFrame: number;
  /**
   * The most memory (PSS) all of Chromium's processes held together while hashing, and before it
   * (Linux only, else null). The page holds the whole video as a Blob (fetched from the harness).
   */
  readonly peakMiB: number | null;
  readonly idleMiB: number | null;
}

export interface ChromiumBenchVideo {
  readonly video: string;
  readonly width: number;
  readonly height: number;
  readonly seconds: number;
  readonly fps: number;
  readonly bytes: number;
  readonly codec: string;
  readonly modes: readonly ChromiumBenchMode[];
}

export interface ChromiumBenchReport {
  readonly chromium: string;
  readonly videos: readonly ChromiumBenchVideo[];
  readonly target: { readonly oneFps720pSecondsPer60s: { readonly target: number; readonly measured: number | null; readonly met: boolean | null } };
}

const TARGET_ONE_FPS_60S_720P_SECONDS = 10;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Proportional set size (bytes: shared pages split between their sharers, so a sum means something)
 * of every descendant of this process whose name says Chromium; null off Linux.
 */
function chromiumMemory(): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const names = new Map<number, string>();
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      parent.set(Number(pid), Number(stat.slice(close + 2).split(' ')[1]));
      names.set(Number(pid), stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // the process ended meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, name] of names) {
    if (!/chrom/i.test(name) || !descends(pid)) continue;
    try {
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      total += Number(pss?.[1] ?? 0) * 1024;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * Hashes each video in headless Chromium, picked from the disk as in the app, at one frame a second and at every frame (after one warm-up
 * run) and returns the figures. `log` gets one line per measurement.
 */
export async function benchVideoInChromium(videos: readonly BenchVideo[], log: (line: string) => void = () => undefined): Promise<ChromiumBenchReport> {
  const harness = await startHarness({});
  try {
    const chromium = await harness.page.evaluate(() => navigator.userAgent);
    const results: ChromiumBenchVideo[] = [];
    for (const video of videos) {
      const warm = await harness.hashFile(video.path, { secondsPerHash: 1 });
      if (!warm.ok) throw new Error(`${video.name}: ${warm.error} (${warm.detail})`);
      const modes: ChromiumBenchMode[] = [];
      for (const secondsPerHash of [1, 0]) {
        const idle = chromiumMemory();
        let peak: number | null = null;
        const sampler = setInterval(() => {
          const now = chromiumMemory();
          if (now !== null) peak = Math.max(peak ?? 0, now);
        }, 100);
        const result = await harness.hashFile(video.path, { secondsPerHash }).finally(() => clearInterval(sampler));
        if (!result.ok) throw new Error(`${video.name}: ${result.error} (${result.detail})`);
        const totalSeconds = result.elapsedMs / 1000;
        const mode: ChromiumBenchMode = {
          secondsPerHash,
          hashedFrames: result.vpdq.length,
          decodedFrames: result.decodedFrames,
          totalSeconds: round(totalSeconds),
          msPerHashedFrame: round(result.elapsedMs / result.vpdq.length),
          peakMiB: peak === null ? null : Math.round(peak / (1024 * 1024)),
          idleMiB: idle === null ? null : Math.round(idle / (1024 * 1024)),
        };
        log(`chromium ${video.name} ${secondsPerHash === 0 ? 'every frame' : '1 fps'}: ${mode.hashedFrames} frames in ${mode.totalSeconds} s (${mode.msPerHashedFrame} ms per hashed frame, memory ${mode.idleMiB ?? '?'} → ${mode.peakMiB ?? '?'} MiB)`);
        modes.push(mode);
      }
      results.push({ video: video.name, width: video.width, height: video.height, seconds: video.seconds, fps: warm.fps, bytes: statSync(video.path).size, codec: warm.codec, modes });
    }
    const at720 = results.find((r) => r.height === 720)?.modes.find((m) => m.secondsPerHash === 1);
    const measured = at720 === undefined ? null : round((at720.totalSeconds * 60) / (results.find((r) => r.height === 720)?.seconds ?? 60));
    return {
      chromium,
      videos: results,
      target: { oneFps720pSecondsPer60s: { target: TARGET_ONE_FPS_60S_720P_SECONDS, measured, met: measured === null ? null : measured <= TARGET_ONE_FPS_60S_720P_SECONDS } },
    };
  } finally {
    await harness.close();
  }
}
