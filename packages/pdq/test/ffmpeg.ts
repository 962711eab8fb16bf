// FFmpeg for the video tests: Debian's ffmpeg/ffprobe (HALTE_FFMPEG_PATH / HALTE_FFPROBE_PATH to use
// others). Where they are missing the video tests are skipped with a visible reason, except under
// CI=true, where a missing FFmpeg fails the run (as test/chromium.ts does for Chromium).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export const FFMPEG_PATH = process.env['HALTE_FFMPEG_PATH'] ?? 'ffmpeg';
export const FFPROBE_PATH = process.env['HALTE_FFPROBE_PATH'] ?? 'ffprobe';

/** Why video tests cannot run here, or null when they can. Throws under CI=true. */
export function ffmpegUnavailable(): string | null {
  const missing = [FFMPEG_PATH, FFPROBE_PATH].filter((program) => spawnSync(program, ['-version'], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return null;
  const reason = `${missing.join(' and ')} not found (apt-get install ffmpeg, or set HALTE_FFMPEG_PATH / HALTE_FFPROBE_PATH)`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}: required under CI=true`);
  console.warn(`SKIPPED video tests: ${reason}`);
  return reason;
}

/** Runs ffmpeg quietly to make a test input (throws with its log on failure). */
export function ffmpeg(args: readonly string[]): void {
  execFileSync(FFMPEG_PATH, ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * The ffmpeg and ffprobe processes whose parent is this process, zombies included (Linux /proc):
 * after a video has been hashed, cancelled or abandoned there must be none.
 */
export function childDecoders(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid …; comm may hold spaces, so split after the last ')'
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === process.pid && /^ff(mpeg|probe)$/.test(name)) found.push(`${entry} ${name} ${state ?? '?'}`);
  }
  return found;
}
