// Videos in Node: ffprobe reads the header, one ffmpeg process decodes the sampled frames to RGB24
// through a pipe, and vpdqHash hashes them. See docs/decisions/0012-video-decoding-node.md.
//
// The pixels are made to equal what the reference vPDQ (facebook/ThreatExchange vpdq/cpp, libavcodec +
// libswscale) hands its hasher: the first video stream, frames numbered in decode order, every sampled
// frame converted to RGB24 at its stored size with SWS_AREA and swscale's default BT.601 matrix (the
// reference never reads colour tags), and the rotation metadata NOT applied (the reference has no
// autorotate; `-noautorotate` here). Frame n has timestamp n / fps, as the reference writes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Readable } from 'node:stream';

import { MAX_VIDEO_FILE_BYTES, MAX_VIDEO_FRAME_PIXELS } from '../constants.js';
import { PdqError } from '../errors.js';
import {
  VPDQ_DEFAULT_SECONDS_PER_HASH,
  vpdqHash,
  vpdqSamplingStep,
  type VpdqFrameHash,
  type VpdqInputFrame,
} from '../vpdq.js';


/** The file and frame bounds, shared with the browser (`@halte/pdq` constants). */
export { MAX_VIDEO_FILE_BYTES, MAX_VIDEO_FRAME_PIXELS };

/** Longer videos are refused: from the header when it says so, or when decoding goes past it. */
export const MAX_VIDEO_DURATION_SECONDS = 4 * 60 * 60;


/** Probing, decoding and hashing one video stops after this many seconds of wall-clock time. */
export const VIDEO_TIMEOUT_SECONDS = 10 * 60;

/** File names that are treated as videos whatever their first bytes say. */
export const VIDEO_FILE_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi'] as const;

/**
 * The only demuxers ffmpeg may use. Untrusted uploads must not reach playlist or reference formats
 * (HLS, concat, image sequences…), which can pull other local files or URLs into the "video".
 * (`mov` covers MP4, MOV, M4V and 3GP; `matroska` covers MKV and WebM.)
 */
const DEMUXERS = 'mov,matroska,avi,mpegts,mpeg,flv,ogg,asf';

export interface VideoDecodeOptions {
  /** The ffmpeg executable (default `ffmpeg`, looked up on PATH). */
  readonly ffmpegPath?: string;
  /** The ffprobe executable (default `ffprobe`, looked up on PATH). */
  readonly ffprobePath?: string;
  /** Refuse files larger than this many bytes (default 2 GiB). */
  readonly maxBytes?: number;
  /** Refuse videos longer than this (default 4 hours). */
  readonly maxDurationSeconds?: number;
  /** Refuse frames of more pixels than this, from the declared size (default 4096 × 4096). */
  readonly maxFramePixels?: number;
  /** Stop after this many seconds of wall-clock time: `VIDEO_TIMEOUT` (default 600). */
  readonly timeoutSeconds?: number;
  /** Cancels the work and kills ffmpeg: `ABORTED`. */
  readonly signal?: AbortSignal;
  /** ffmpeg's decoding threads; 0 lets ffmpeg choose (default). */
  readonly threads?: number;
}

/** What ffprobe declares about the first video stream. */
export interface VideoInfo {
  /** Stored frame size (before any rotation a player would apply). */
  readonly width: number;
  readonly height: number;
  /** Average frame rate, or the nominal one when the container gives no average (as the reference). */
  readonly fps: number;
  /** From the stream, else the container; null when neither says. */
  readonly durationSeconds: number | null;
  /** Degrees a player turns the picture clockwise for display (0, 90, 180, 270). Not applied. */
  readonly rotation: 0 | 90 | 180 | 270;
  /** ffmpeg's codec name: h264, hevc, vp9, av1… */
  readonly codec: string;
  /** The container as ffmpeg names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  readonly container: string;
  /** ffmpeg's index of the stream that is decoded. */
  readonly streamIndex: number;
  /** The decoder's pixel format (yuv420p, yuvj420p, yuv420p10le…). */
  readonly pixelFormat: string;
  readonly bytes: number;
}

export interface DecodeVideoFramesOptions extends VideoDecodeOptions {
  /** Seconds between decoded frames (default 1; 0 = every frame), as `vpdqHash` samples them. */
  readonly secondsPerHash?: number;
  /** The result of {@link probeVideo} for this file, to avoid probing it twice. */
  readonly video?: VideoInfo;
}

/** A decoded frame: RGB24 pixels at the stored size, with its decode index and time. */
export interface DecodedVideoFrame extends VpdqInputFrame {
  readonly data: Uint8Array;
  readonly channels: 3;
}

export interface VpdqHashFileOptions extends VideoDecodeOptions {
  /** Seconds between hashed frames (default 1, as python-threatexchange); 0 hashes every frame. */
  readonly secondsPerHash?: number;
  /** Called after each hashed frame (progress). */
  readonly onFrame?: (hashed: VpdqFrameHash) => void;
}

export interface VideoHashResult {
  /** Digests of the file's bytes. */
  readonly md5: string;
  readonly sha256: string;
  /** Declared duration; when the file declares none, the time of the last hashed frame plus one frame. */
  readonly durationSeconds: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly frames: VpdqFrameHash[];
}

interface Limits {
  readonly ffmpeg: string;
  readonly ffprobe: string;
  readonly maxBytes: number;
  readonly maxDurationSeconds: number;
  readonly maxFramePixels: number;
  readonly timeoutSeconds: number;
  readonly threads: number;
}

function checkOptions(options: VideoDecodeOptions): Limits {
  if (options === null || typeof options !== 'object') {
    throw new PdqError('OPTION_INVALID', 'options must be an object');
  }
  const integers = [
    ['maxBytes', options.maxBytes ?? MAX_VIDEO_FILE_BYTES],
    ['maxFramePixels', options.maxFramePixels ?? MAX_VIDEO_FRAME_PIXELS],
  ] as const;
  for (const [name, value] of integers) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new PdqError('OPTION_INVALID', `${name} must be a positive integer; got ${String(value)}`);
    }
  }
  const seconds = [
    ['maxDurationSeconds', options.maxDurationSeconds ?? MAX_VIDEO_DURATION_SECONDS],
    ['timeoutSeconds', options.timeoutSeconds ?? VIDEO_TIMEOUT_SECONDS],
  ] as const;
  for (const [name, value] of seconds) {
    // (setTimeout cannot wait longer than 2^31 - 1 ms)
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 2_000_000) {
      throw new PdqError('OPTION_INVALID', `${name} must be a number of seconds in (0, 2000000]; got ${String(value)}`);
    }
  }
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) {
    throw new PdqError('OPTION_INVALID', `threads must be an integer in 0..64; got ${String(threads)}`);
  }
  const programs = [
    ['ffmpegPath', options.ffmpegPath ?? 'ffmpeg'],
    ['ffprobePath', options.ffprobePath ?? 'ffprobe'],
  ] as const;
  for (const [name, value] of programs) {
    if (typeof value !== 'string' || value === '' || value.includes('\0')) {
      throw new PdqError('OPTION_INVALID', `${name} must be a non-empty path; got ${String(value)}`);
    }
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new PdqError('OPTION_INVALID', 'signal must be an AbortSignal');
  }
  return {
    ffmpeg: programs[0][1],
    ffprobe: programs[1][1],
    maxBytes: integers[0][1],
    maxFramePixels: integers[1][1],
    maxDurationSeconds: seconds[0][1],
    timeoutSeconds: seconds[1][1],
    threads,
  };
}

/**
 * One signal for the caller's AbortSignal and the wall-clock limit; its reason is the PdqError to
 * throw (`ABORTED` or `VIDEO_TIMEOUT`). `dispose` stops the clock and also aborts whatever still
 * listens (a digest still reading when decoding failed).
 */
function deadline(outer: AbortSignal | undefined, seconds: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(new PdqError('ABORTED', 'video hashing was cancelled'));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    controller.abort(new PdqError('VIDEO_TIMEOUT', `the video was not hashed within ${seconds} s and was stopped`));
  }, seconds * 1000);
  timer.unref();
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      if (!controller.signal.aborted) controller.abort(new PdqError('ABORTED', 'finished'));
    },
  };
}

function abortError(signal: AbortSignal): PdqError {
  const reason: unknown = signal.reason;
  return reason instanceof PdqError ? reason : new PdqError('ABORTED', 'video hashing was cancelled');
}

/**
 * Bytes that start a container ffmpeg may read here, or null. ISO files whose brand is an image
 * (HEIC, AVIF) are images, not videos.
 */
export function sniffVideoContainer(head: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head.length >= 12 && ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    return /^(heic|heix|heim|heis|hevc|hevx|hevm|hevs|mif1|msf1|avif|avis)$/.test(brand) ? null : 'mov';
  }
  if (head.length >= 8 && /^(moov|mdat|wide|free|skip|pnot)$/.test(ascii(4, 8))) return 'mov';
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return 'matroska';
  if (head.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'avi';
  if (head.length >= 189 && head[0] === 0x47 && head[188] === 0x47) return 'mpegts';
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba) return 'mpeg';
  if (head.length >= 3 && ascii(0, 3) === 'FLV') return 'flv';
  if (head.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (head.length >= 8 && [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11].every((b, i) => head[i] === b)) return 'asf';
  return null;
}

const HEAD_BYTES = 512;

/**
 * Whether `halte hash` and similar callers should take this file as a video: a video file name
 * (.mp4 .mov .m4v .webm .mkv .avi) or the first bytes of a video container. Never throws: a file that
 * cannot be read is left to the decoder to report.
 */
export async function looksLikeVideoFile(path: string): Promise<boolean> {
  if ((VIDEO_FILE_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())) return true;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const head = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return sniffVideoContainer(head.subarray(0, bytesRead)) !== null;
  } catch {
    return false;
  } finally {
    await handle?.close();
  }
}

/** Stats the file (missing, empty, too large are refused here) and reads its first bytes. */
async function statVideo(path: string, maxBytes: number): Promise<{ bytes: number; head: Uint8Array }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new PdqError('FILE_UNREADABLE', 'not a regular file');
    checkSize(info.size, maxBytes);
    const head = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return { bytes: info.size, head: head.subarray(0, bytesRead) };
  } catch (cause) {
    if (cause instanceof PdqError) throw cause;
    throw new PdqError('FILE_UNREADABLE', `cannot read the file (${errnoOf(cause)})`, { cause });
  } finally {
    await handle?.close();
  }
}

function checkSize(size: number, maxBytes: number): void {
  if (size === 0) throw new PdqError('FILE_EMPTY', 'the file is empty (0 bytes)');
  if (size > maxBytes) {
    throw new PdqError('FILE_TOO_LARGE', `the file has ${size} bytes; at most ${maxBytes} are accepted`);
  }
}

/** The input as ffmpeg must see it: an absolute path on the file protocol, never a URL or an option. */
function inputArgs(path: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', DEMUXERS, '-i', `file:${resolve(path)}`];
}

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly spawnError: Error | undefined;
}

/** Spawns a tool with stdin closed; `finished` resolves once the process has exited and been reaped. */
function launch(program: string, args: string[]): { child: ChildProcess; finished: Promise<Finished>; stderr: () => string } {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
  let spawnError: Error | undefined;
  // Only the end of ffmpeg's error log is kept: a damaged file can make it write megabytes.
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    log = (log + text).slice(-16_384);
  });
  const finished = new Promise<Finished>((resolveFinished) => {
    child.once('error', (error) => {
      spawnError = error;
      // a process that never started emits no 'close' of its own once its pipes are gone
      if (child.pid === undefined) resolveFinished({ code: null, signal: null, spawnError });
    });
    child.once('close', (code, signal) => resolveFinished({ code, signal, spawnError }));
  });
  return { child, finished, stderr: () => log };
}

function unavailable(program: string, name: 'ffmpeg' | 'ffprobe', cause: unknown): PdqError {
  return new PdqError(
    'VIDEO_DECODER_UNAVAILABLE',
    `${name} was not found or cannot run (${program}, ${errnoOf(cause)}): install FFmpeg (apt-get install ffmpeg) or pass ${name}Path`,
    { cause },
  );
}

/** The last line ffmpeg logged, without the file's path (which may be a temporary name). */
function lastLogLine(log: string, path: string): string {
  const lines = log.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const line = lines[lines.length - 1] ?? '';
  return line.split(`file:${resolve(path)}`).join('the file').slice(0, 300);
}

interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

/**
 * Reads what the file declares about its first video stream with ffprobe, after refusing missing,
 * empty and over-large files, and refuses what is beyond the limits (size of a frame, duration).
 *
 * @example
 * ```ts
 * const { width, height, fps, durationSeconds, rotation } = await probeVideo('clip.mp4');
 * ```
 */
export async function probeVideo(path: string, options: VideoDecodeOptions = {}): Promise<VideoInfo> {
  const limits = checkOptions(options);
  const { signal, dispose } = deadline(options.signal, limits.timeoutSeconds);
  try {
    return await probe(path, limits, signal);
  } finally {
    dispose();
  }
}

async function probe(path: string, limits: Limits, signal: AbortSignal): Promise<VideoInfo> {
  if (typeof path !== 'string' || path === '') throw new PdqError('OPTION_INVALID', 'path must be a non-empty string');
  const { bytes, head } = await statVideo(path, limits.maxBytes);
  if (signal.aborted) throw abortError(signal);
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', ...inputArgs(path)];
  const { child, finished, stderr } = launch(limits.ffprobe, args);
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  let json = '';
  let tooMuch = false;
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    json += text;
    // a sane file's description is a few kB; thousands of streams are not a video to hash
    if (json.length > 1_000_000 && !tooMuch) {
      tooMuch = true;
      kill();
    }
  });
  const { code, spawnError } = await finished;
  signal.removeEventListener('abort', kill);
  if (spawnError) throw unavailable(limits.ffprobe, 'ffprobe', spawnError);
  if (signal.aborted) throw abortError(signal);
  if (tooMuch) throw new PdqError('VIDEO_CORRUPT', 'the file declares too many streams to be a video');
  if (code !== 0) {
    const log = stderr();
    const reason = lastLogLine(log, path);
    if (/not on whitelist/i.test(log) || sniffVideoContainer(head) === null) {
      throw new PdqError('VIDEO_NO_STREAM', `not a video file in a format Halte reads (${reason || `ffprobe exit code ${code}`})`);
    }
    throw new PdqError('VIDEO_CORRUPT', `the video is damaged or truncated and cannot be read (${reason || `ffprobe exit code ${code}`})`);
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(json) as FfprobeOutput;
  } catch (cause) {
    throw new PdqError('VIDEO_CORRUPT', 'ffprobe described the file in a form that cannot be read', { cause });
  }
  // The reference decodes the first video stream; cover art (an attached picture) is not a video.
  const stream = parsed.streams?.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!stream) throw new PdqError('VIDEO_NO_STREAM', 'the file has no video stream (audio only, or another kind of file)');
  return describeStream(stream, parsed.format, bytes, limits);
}

function describeStream(stream: FfprobeStream, format: FfprobeOutput['format'], bytes: number, limits: Limits): VideoInfo {
  const { width, height } = stream;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || (width as number) < 1 || (height as number) < 1) {
    throw new PdqError('VIDEO_CORRUPT', 'the video stream declares no frame size');
  }
  const w = width as number;
  const h = height as number;
  if (w * h > limits.maxFramePixels) {
    throw new PdqError('VIDEO_TOO_MANY_PIXELS', `frames of ${w}×${h} are ${w * h} pixels; at most ${limits.maxFramePixels} are accepted`);
  }
  const fps = rate(stream.avg_frame_rate) ?? rate(stream.r_frame_rate);
  // (vpdqSamplingStep accepts up to 1000 fps: beyond is a broken time base, not a real frame rate)
  if (fps === null || fps > 1000) throw new PdqError('VIDEO_CORRUPT', 'the video stream declares no usable frame rate');
  const durationSeconds = seconds(stream.duration) ?? seconds(format?.duration);
  if (durationSeconds !== null && durationSeconds > limits.maxDurationSeconds) {
    throw new PdqError('VIDEO_TOO_LONG', `the video lasts ${Math.round(durationSeconds)} s; at most ${limits.maxDurationSeconds} s are accepted`);
  }
  return {
    width: w,
    height: h,
    fps,
    durationSeconds,
    rotation: rotationOf(stream),
    codec: stream.codec_name ?? 'unknown',
    container: format?.format_name ?? 'unknown',
    streamIndex: stream.index ?? 0,
    pixelFormat: stream.pix_fmt ?? 'unknown',
    bytes,
  };
}

/** "30000/1001" → 29.97…; null for "0/0", absent or nonsense. */
function rate(value: string | undefined): number | null {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return null;
  const fps = Number(match[1]) / Number(match[2]);
  return Number.isFinite(fps) && fps > 0 ? fps : null;
}

function seconds(value: string | undefined): number | null {
  if (value === undefined || value === '' || value === 'N/A') return null;
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? s : null;
}

/**
 * ffprobe gives the display matrix's angle counter-clockwise (av_display_rotation_get); old builds
 * gave a `rotate` tag, clockwise. Both become the clockwise turn a player applies.
 */
function rotationOf(stream: FfprobeStream): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const clockwise = matrix !== undefined ? -matrix : Number(stream.tags?.rotate ?? 0);
  const quarter = Math.round((Number.isFinite(clockwise) ? clockwise : 0) / 90);
  return ((((quarter % 4) + 4) % 4) * 90) as 0 | 90 | 180 | 270;
}

/**
 * Decodes a video's sampled frames (every `secondsPerHash`, default 1 s; 0 = every frame) to RGB24
 * at the stored size, with one ffmpeg process and a pipe: frames that are not sampled are decoded
 * but never converted, and at most a couple of frames are in memory. Each frame's pixels are its own
 * (a fresh buffer). Breaking out of the loop, an abort or the time limit kill ffmpeg, and the
 * iterator settles only once it has exited.
 *
 * Options are checked at once (`OPTION_INVALID` is thrown by this call); everything else
 * (missing file, no video stream, corrupt data…) rejects the first or a later `next()`.
 *
 * @example
 * ```ts
 * const video = await probeVideo('clip.mp4');
 * for await (const frame of decodeVideoFrames('clip.mp4', { video, secondsPerHash: 1 })) {
 *   console.log(frame.frameNumber, frame.timestamp, pdqHash(frame, { downsample512: false }).hash);
 * }
 * ```
 */
export function decodeVideoFrames(path: string, options: DecodeVideoFramesOptions = {}): AsyncGenerator<DecodedVideoFrame, void, undefined> {
  const limits = checkOptions(options);
  const secondsPerHash = options.secondsPerHash ?? VPDQ_DEFAULT_SECONDS_PER_HASH;
  if (options.video !== undefined) vpdqSamplingStep(options.video.fps, secondsPerHash);
  else vpdqSamplingStep(30, secondsPerHash); // checks secondsPerHash now; the step needs the probe
  return (async function* () {
    const { signal, dispose } = deadline(options.signal, limits.timeoutSeconds);
    try {
      const video = options.video ?? (await probe(path, limits, signal));
      yield* decode(path, video, vpdqSamplingStep(video.fps, secondsPerHash), limits, signal);
    } finally {
      dispose();
    }
  })();
}

/**
 * Lines of ffmpeg's error log that mean the frames are not the whole video: the demuxer found the
 * file cut short, or the decoder rejected a packet (where the reference stops with an error too).
 */
const CORRUPT_LOG = /partial file|Error while decoding stream|Invalid data found|corrupt input packet/i;

async function* decode(path: string, video: VideoInfo, step: number, limits: Limits, signal: AbortSignal): AsyncGenerator<DecodedVideoFrame, void, undefined> {
  if (signal.aborted) throw abortError(signal);
  const { width, height, fps } = video;
  const frameBytes = width * height * 3;
  // select: keep frame n when n % step = 0, n counting every decoded frame (the reference's numbering);
  // frames it drops are never converted. scale: RGB24 at the stored size, as the reference's swscale
  // context (SWS_AREA, BT.601 whatever the tags say, full range only for yuvj formats); fixing the
  // size also keeps every frame in the pipe the same length if a stream changes size mid-way.
  const range = video.pixelFormat.startsWith('yuvj') ? 'pc' : 'tv';
  const filters = [
    ...(step > 1 ? [`select=not(mod(n\\,${step}))`] : []),
    `scale=w=${width}:h=${height}:in_color_matrix=bt601:in_range=${range}:flags=area`,
  ];
  const args = [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-loglevel',
    'error',
    '-noautorotate', // the reference hashes the stored picture; decision 0012
    '-reinit_filter',
    '0', // keeps `n` counting across a mid-stream change of size
    '-threads',
    String(limits.threads),
    ...inputArgs(path),
    '-map',
    `0:${video.streamIndex}`,
    '-an',
    '-sn',
    '-dn',
    '-vf',
    filters.join(','),
    '-fps_mode',
    'passthrough', // one output frame per selected decoded frame: none dropped or duplicated
    '-pix_fmt',
    'rgb24',
    '-f',
    'rawvideo',
    'pipe:1',
  ];
  const { child, finished, stderr } = launch(limits.ffmpeg, args);
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  let frame = Buffer.allocUnsafe(frameBytes);
  let filled = 0;
  let index = 0;
  try {
    // Async iteration reads the pipe only as frames are consumed: ffmpeg blocks on a full pipe.
    for await (const chunk of child.stdout as Readable) {
      const bytes = chunk as Buffer;
      let at = 0;
      while (at < bytes.length) {
        const n = Math.min(bytes.length - at, frameBytes - filled);
        bytes.copy(frame, filled, at, at + n);
        filled += n;
        at += n;
        if (filled < frameBytes) continue;
        const frameNumber = index * step;
        const timestamp = frameNumber / fps;
        if (timestamp > limits.maxDurationSeconds) {
          throw new PdqError('VIDEO_TOO_LONG', `the video goes on past ${limits.maxDurationSeconds} s, the longest accepted`);
        }
        yield { data: frame, width, height, channels: 3, frameNumber, timestamp };
        if (signal.aborted) throw abortError(signal);
        index++;
        frame = Buffer.allocUnsafe(frameBytes);
        filled = 0;
      }
    }
    const { code, signal: killedBy, spawnError } = await finished;
    if (spawnError) throw unavailable(limits.ffmpeg, 'ffmpeg', spawnError);
    if (signal.aborted) throw abortError(signal);
    const log = stderr();
    if (code !== 0 && /Unrecognized option|Option not found/i.test(log)) {
      // (-fps_mode came with FFmpeg 5.1; Debian 12 and Ubuntu 24.04 have 5.1 and 6.1)
      throw new PdqError('VIDEO_DECODER_UNAVAILABLE', `this ffmpeg is too old: FFmpeg 5.1 or later is needed (${lastLogLine(log, path)})`);
    }
    if (code !== 0 || killedBy !== null || CORRUPT_LOG.test(log)) {
      const reason = lastLogLine(log, path) || (killedBy ? `ffmpeg stopped by ${killedBy}` : `ffmpeg exit code ${String(code)}`);
      throw new PdqError('VIDEO_CORRUPT', `the video is damaged or truncated and cannot be decoded (${reason})`);
    }
    if (filled !== 0) throw new PdqError('VIDEO_CORRUPT', 'the decoder stopped in the middle of a frame');
    if (index === 0) throw new PdqError('VIDEO_CORRUPT', 'no frame of the video could be decoded');
  } finally {
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
    await finished; // exited and reaped: no zombie is left behind, whatever ended the loop
  }
}

/** MD5 and SHA-256 of a file, read once in 1 MiB pieces, never more than maxBytes (the file may grow). */
async function digestFile(path: string, maxBytes: number, signal: AbortSignal): Promise<{ md5: string; sha256: string }> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const buffer = new Uint8Array(1024 * 1024);
    let total = 0;
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) checkSize(total, maxBytes);
      const piece = buffer.subarray(0, bytesRead);
      md5.update(piece);
      sha256.update(piece);
    }
    checkSize(total, maxBytes);
    return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
  } catch (cause) {
    if (cause instanceof PdqError) throw cause;
    throw new PdqError('FILE_UNREADABLE', `cannot read the file (${errnoOf(cause)})`, { cause });
  } finally {
    await handle?.close();
  }
}

/**
 * Probes, decodes and vPDQ-hashes a video file as the reference vPDQ does (one frame every
 * `secondsPerHash`, default 1 s; 0 = every frame), and digests its bytes while it decodes. The file
 * is read twice (by ffmpeg, and for the digests), never held in memory.
 *
 * @example
 * ```ts
 * const { md5, frames } = await vpdqHashFile('clip.mp4', { signal: AbortSignal.timeout(60_000) });
 * const result = vpdqMatch(frames, banked);
 * ```
 */
export async function vpdqHashFile(path: string, options: VpdqHashFileOptions = {}): Promise<VideoHashResult> {
  const limits = checkOptions(options);
  const secondsPerHash = options.secondsPerHash ?? VPDQ_DEFAULT_SECONDS_PER_HASH;
  vpdqSamplingStep(30, secondsPerHash);
  const { signal, dispose } = deadline(options.signal, limits.timeoutSeconds);
  try {
    const video = await probe(path, limits, signal);
    const digests = digestFile(path, limits.maxBytes, signal);
    digests.catch(() => undefined); // awaited below; a decoding failure is reported first
    const step = vpdqSamplingStep(video.fps, secondsPerHash);
    // (the signal is not given to vpdqHash: the decoder throws the right code, ABORTED or VIDEO_TIMEOUT)
    const frames = await vpdqHash(decode(path, video, step, limits, signal), {
      fps: video.fps,
      secondsPerHash,
      ...(options.onFrame ? { onFrame: options.onFrame } : {}),
    });
    const { md5, sha256 } = await digests;
    const last = frames[frames.length - 1];
    const durationSeconds = video.durationSeconds ?? (last ? last.timestamp + 1 / video.fps : 0);
    return { md5, sha256, durationSeconds, fps: video.fps, width: video.width, height: video.height, frames };
  } finally {
    dispose();
  }
}

function errnoOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}
