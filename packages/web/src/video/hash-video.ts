// vPDQ of a video file in the browser (a Web Worker): mediabunny reads the file in chunks and demuxes
// it, WebCodecs' VideoDecoder decodes it, the luma plane of each sampled frame is hashed with PDQ, and
// the file's bytes are digested (MD5, SHA-256) in a second stream read alongside.
// docs/decisions/0013-video-hashing-browser.md.
//
// Memory: mediabunny keeps at most VIDEO_READ_CACHE_BYTES of the file, about 40 encoded packets in the
// decoder's queue and 8 decoded frames waiting (its VideoSampleSink's backpressure on the decoder's
// `decodeQueueSize`); each frame is closed as soon as its pixels are copied (or at once when it is not
// sampled); one luma buffer and one copy buffer are reused for every frame.
import { PdqError, isPdqError, vpdqHash, type PdqImage, type VpdqFrameHash, type VpdqInputFrame } from '@halte/pdq';
import { BlobSource, Input, MATROSKA, MP4, QTFF, UnsupportedInputFormatError, VideoSampleSink, WEBM, type InputVideoTrack, type VideoSample } from 'mediabunny';

import { digestBlob } from './digest';
import { DEFAULT_VIDEO_LIMITS, VIDEO_READ_CACHE_BYTES, type VideoLimits } from './limits';
import { lumaImage, readsFormat } from './luma';
import { checkHeader, decodedShare, planVideo, type VideoPlan } from './plan';

export interface HashVideoOptions {
  /** Seconds between hashed frames: 1 (default) as Halte sends; 0 hashes every frame. */
  readonly secondsPerHash?: number;
  readonly limits?: Partial<VideoLimits>;
  /** Cancels: the promise rejects with PdqError('ABORTED'). */
  readonly signal?: AbortSignal;
  /** Share (0..1) of the work done; called often, throttle before posting. */
  readonly onProgress?: (share: number) => void;
  /**
   * How frames become pixels: 'auto' reads the luma plane (and draws on a canvas only for formats it
   * cannot read); 'canvas' always draws — to measure the difference, not for use.
   */
  readonly conversion?: 'auto' | 'canvas';
}

export interface VideoHashResult {
  readonly md5: string;
  readonly sha256: string;
  readonly durationSeconds: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /** the codec of the track, as mediabunny names it ('avc', 'vp9'…) */
  readonly codec: string;
  readonly decodedFrames: number;
  readonly frames: VpdqFrameHash[];
}

/** Hashes `file` as the reference vPDQ does (frame numbers from 0, timestamp = frame / fps). */
export async function hashVideoFile(file: Blob, options: HashVideoOptions = {}): Promise<VideoHashResult> {
  const limits: VideoLimits = { ...DEFAULT_VIDEO_LIMITS, ...options.limits };
  if (file.size === 0) throw new PdqError('FILE_EMPTY', 'the file is empty');
  if (file.size > limits.maxBytes) throw new PdqError('FILE_TOO_LARGE', `the file is larger than ${limits.maxBytes} bytes`);
  if (typeof VideoDecoder === 'undefined') {
    throw new PdqError('VIDEO_DECODER_UNAVAILABLE', 'this browser has no WebCodecs VideoDecoder');
  }

  const controller = new AbortController();
  const stop = (reason: PdqError) => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onCallerAbort = () => stop(new PdqError('ABORTED', 'video hashing was cancelled'));
  if (options.signal?.aborted) onCallerAbort();
  options.signal?.addEventListener('abort', onCallerAbort);
  const watchdog = new Watchdog(limits.stallSeconds * 1000, () => stop(new PdqError('VIDEO_TIMEOUT', `nothing progressed for ${limits.stallSeconds} s`)));

  let bytesShare = 0;
  let framesShare = 0;
  const progress = () => options.onProgress?.(Math.min(bytesShare, framesShare));
  const source = new BlobSource(file, { maxCacheSize: VIDEO_READ_CACHE_BYTES, handleUnhandledError: () => undefined });
  source.on('read', () => watchdog.touch());
  const input = new Input({ formats: VIDEO_FORMATS, source });
  // Stopping disposes the input: its reads and its decoder are cancelled, nothing waits on them.
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => {
      input.dispose();
      reject(controller.signal.reason);
    });
  });
  stopped.catch(() => undefined);
  // Whichever of the two reads fails first stops the other; its error is the answer.
  const settle = <T>(work: Promise<T>): Promise<T | undefined> =>
    work.catch((error: unknown) => {
      stop(asPdqError(error));
      return undefined;
    });
  try {
    if (controller.signal.aborted) throw controller.signal.reason;
    const digests = digestBlob(file, {
      signal: controller.signal,
      onBytes: (read) => {
        watchdog.touch();
        bytesShare = read / file.size;
        progress();
      },
    });
    const frames = hashFrames(input, limits, options, controller.signal, (share) => {
      watchdog.touch();
      framesShare = share;
      progress();
    });
    const [digest, video] = await Promise.race([Promise.all([settle(digests), settle(frames)]), stopped]);
    if (controller.signal.aborted) throw controller.signal.reason;
    if (digest === undefined || video === undefined) throw new PdqError('VIDEO_CORRUPT', 'the video could not be read');
    return { ...digest, ...video };
  } finally {
    watchdog.stop();
    options.signal?.removeEventListener('abort', onCallerAbort);
    input.dispose();
  }
}

/**
 * The containers read: what phones, cameras and browsers record (MP4, MOV, WebM, MKV). Never a
 * playlist (HLS), which names other files or URLs to fetch, nor audio-only formats — the same line
 * as the Node decoder's demuxer list (decision 0012); and the worker's code stays smaller.
 */
const VIDEO_FORMATS = [MP4, QTFF, WEBM, MATROSKA];

async function hashFrames(
  input: Input,
  limits: VideoLimits,
  options: HashVideoOptions,
  signal: AbortSignal,
  onShare: (share: number) => void,
): Promise<Omit<VideoHashResult, 'md5' | 'sha256'>> {
  const track = await openVideoTrack(input);
  const codec = (await track.getCodec()) ?? 'unknown';
  if (!(await track.canDecode())) {
    throw new PdqError('VIDEO_DECODER_UNAVAILABLE', `this browser cannot decode ${codec} video (${(await track.getCodecParameterString()) ?? 'no codec string'})`);
  }
  const [codedWidth, codedHeight, declaredSeconds] = await Promise.all([track.getCodedWidth(), track.getCodedHeight(), input.getDurationFromMetadata([track])]);
  // The header's bounds first: a 10-hour file is refused before its packet table is read.
  checkHeader({ codedWidth, codedHeight, declaredSeconds }, limits);
  const [stats, metrics, firstTimestamp, endTimestamp] = await Promise.all([
    track.computePacketStats(),
    track.computeFrameRateMetrics(),
    track.getFirstTimestamp(),
    track.computeDuration(),
  ]);
  const plan = planVideo(
    {
      codedWidth,
      codedHeight,
      declaredSeconds,
      packetCount: stats.packetCount,
      averagePacketRate: stats.averagePacketRate,
      underlyingFrameRate: metrics.underlyingFrameRate,
      firstTimestamp,
      endTimestamp,
    },
    limits,
    options.secondsPerHash ?? 1,
  );
  signal.throwIfAborted();

  const counted = { decoded: 0 };
  const frames = await vpdqHash(sampledFrames(track, plan, limits, options.conversion ?? 'auto', signal, onShare, counted), {
    fps: plan.fps,
    secondsPerHash: options.secondsPerHash ?? 1,
    signal,
  });
  onShare(1);
  return {
    durationSeconds: plan.durationSeconds,
    fps: plan.fps,
    width: plan.width,
    height: plan.height,
    codec,
    decodedFrames: counted.decoded,
    frames,
  };
}

async function openVideoTrack(input: Input): Promise<InputVideoTrack> {
  try {
    if (!(await input.canRead())) throw new PdqError('VIDEO_NO_STREAM', 'not a video file this browser can read');
  } catch (error) {
    if (isPdqError(error)) throw error;
    if (error instanceof UnsupportedInputFormatError) throw new PdqError('VIDEO_NO_STREAM', 'not a video file this browser can read', { cause: error });
    throw new PdqError('VIDEO_CORRUPT', 'the file could not be read as a video', { cause: error });
  }
  let track: InputVideoTrack | null;
  try {
    track = await input.getPrimaryVideoTrack();
  } catch (error) {
    throw new PdqError('VIDEO_CORRUPT', 'the video container is damaged', { cause: error });
  }
  if (track !== null) return track;
  // A container with no track at all is a damaged one (a real file has at least one): an MP4 cut
  // inside its index. Audio only is another matter: no video.
  const tracks = await input.getTracks().catch(() => []);
  if (tracks.length === 0) throw new PdqError('VIDEO_CORRUPT', 'the container holds no readable track');
  throw new PdqError('VIDEO_NO_STREAM', 'the file holds no video track');
}

/**
 * The sampled frames as pixels, in presentation order, numbered from 0 as the reference's decoder
 * counts its output. Frames before time 0 (an edit list's pre-roll) are not shown, so not counted,
 * as libavformat drops them too.
 */
async function* sampledFrames(
  track: InputVideoTrack,
  plan: VideoPlan,
  limits: VideoLimits,
  conversion: 'auto' | 'canvas',
  signal: AbortSignal,
  onShare: (share: number) => void,
  counted: { decoded: number },
): AsyncGenerator<VpdqInputFrame> {
  const sink = new VideoSampleSink(track);
  const pixels = new FramePixelReader(conversion);
  let frameNumber = 0;
  for await (const sample of sink.samples()) {
    let image: PdqImage | null = null;
    let n = -1;
    try {
      signal.throwIfAborted();
      counted.decoded++;
      if (sample.timestamp >= -PRE_ROLL_EPSILON) {
        n = frameNumber++;
        if (n / plan.fps > limits.maxDurationSeconds) {
          throw new PdqError('VIDEO_TOO_LONG', `the video goes on past ${limits.maxDurationSeconds} s`);
        }
        if (n % plan.step === 0) image = await pixels.read(sample, limits);
      }
      onShare(decodedShare(plan, sample.timestamp + sample.duration));
    } finally {
      sample.close();
    }
    // The image is read by vpdqHash before it asks for the next frame: one buffer serves all frames.
    if (image !== null) yield { ...image, frameNumber: n, timestamp: n / plan.fps };
  }
  // The demuxer stops quietly where a packet's data lies past the end of the file: a truncated file
  // is told by the frames missing from its index.
  if (counted.decoded < plan.packetCount) {
    throw new PdqError('VIDEO_CORRUPT', `the file ends early: ${counted.decoded} of ${plan.packetCount} frames could be decoded`);
  }
}

/** Timestamps are in seconds; a first frame at -1 µs is at 0, rounded. */
const PRE_ROLL_EPSILON = 1e-6;

/** Copies a frame's pixels out of the decoder, into buffers reused from frame to frame. */
class FramePixelReader {
  private copy = new Uint8Array(0);
  private out = new Uint8Array(0);
  private canvas: OffscreenCanvas | null = null;

  constructor(private readonly conversion: 'auto' | 'canvas') {}

  async read(sample: VideoSample, limits: VideoLimits): Promise<PdqImage> {
    const { width, height } = sample.visibleRect;
    if (width * height > limits.maxFramePixels) {
      throw new PdqError('VIDEO_TOO_MANY_PIXELS', `a frame of ${width}×${height} is larger than ${limits.maxFramePixels} pixels`);
    }
    if (this.conversion === 'auto' && readsFormat(sample.format)) {
      const size = sample.allocationSize();
      if (this.copy.length < size) this.copy = new Uint8Array(size);
      const planes = await sample.copyTo(this.copy);
      if (this.out.length < width * height * 4) this.out = new Uint8Array(width * height * 4);
      return lumaImage({ format: sample.format, data: this.copy, planes, width, height, fullRange: sample.colorSpace.fullRange ?? null }, this.out);
    }
    // A frame the decoder keeps on the GPU (format null) is drawn: the browser's own colour conversion,
    // a few bits away from the reference's (decision 0013).
    if (this.canvas === null || this.canvas.width !== width || this.canvas.height !== height) this.canvas = new OffscreenCanvas(width, height);
    const context = this.canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new PdqError('VIDEO_DECODER_UNAVAILABLE', 'no 2d canvas in this worker');
    const frame = sample.toVideoFrame();
    try {
      context.drawImage(frame, 0, 0, width, height);
    } finally {
      frame.close();
    }
    const { data } = context.getImageData(0, 0, width, height);
    return { data, width, height, channels: 4 };
  }
}

/** What a failure means to the person: our own errors as they are; anything from below, a damaged video. */
function asPdqError(error: unknown): PdqError {
  if (isPdqError(error)) return error;
  if (error instanceof DOMException && error.name === 'NotSupportedError') {
    return new PdqError('VIDEO_DECODER_UNAVAILABLE', 'the browser refused to decode this video', { cause: error });
  }
  return new PdqError('VIDEO_CORRUPT', `the video could not be decoded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** Calls `onStall` once when `touch` has not been called for `ms`. */
class Watchdog {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {
    this.touch();
  }

  touch(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.onStall();
    }, this.ms);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
