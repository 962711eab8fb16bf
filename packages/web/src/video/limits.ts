// Bounds of video hashing on the person's device (docs/decisions/0013-video-hashing-browser.md). The
// same file and frame bounds as `@halte/pdq/node`; a shorter duration, because a phone decodes every
// frame of the video (1 hour of 30 fps is 108,000 frames) and the follow-up accepts 1 MiB of JSON.
import { MAX_VIDEO_FILE_BYTES, MAX_VIDEO_FRAME_PIXELS } from '@halte/pdq';

/** Files larger than this are refused before any byte is read; frames larger than that from their declared size. */
export { MAX_VIDEO_FILE_BYTES, MAX_VIDEO_FRAME_PIXELS };

/** Longer videos are refused: from the header, and again while decoding for files that lie. */
export const MAX_VIDEO_DURATION_SECONDS = 60 * 60;


/**
 * When nothing moves (no frame decoded, no chunk of the file read) for this long, hashing stops with
 * VIDEO_TIMEOUT rather than waiting for ever on a decoder that will never answer.
 */
export const VIDEO_STALL_SECONDS = 60;

/** The contract's bound on the frames of one video item (`MAX_VPDQ_FRAMES`; a test keeps them equal). */
export const MAX_VIDEO_HASHED_FRAMES = 20_000;

/** Bytes of the file the demuxer may keep in memory at once (BlobSource's cache). */
export const VIDEO_READ_CACHE_BYTES = 16 * 1024 * 1024;

export interface VideoLimits {
  readonly maxBytes: number;
  readonly maxDurationSeconds: number;
  readonly maxFramePixels: number;
  readonly stallSeconds: number;
}

export const DEFAULT_VIDEO_LIMITS: VideoLimits = {
  maxBytes: MAX_VIDEO_FILE_BYTES,
  maxDurationSeconds: MAX_VIDEO_DURATION_SECONDS,
  maxFramePixels: MAX_VIDEO_FRAME_PIXELS,
  stallSeconds: VIDEO_STALL_SECONDS,
};

/** File name endings taken as videos when the browser gives no type (as `@halte/pdq/node`). */
export const VIDEO_FILE_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi', '.3gp'] as const;

/** Whether a picked file goes to the video hasher (by its type, else by its name). */
export function isVideoFile(file: { readonly name: string; readonly type: string }): boolean {
  if (file.type.startsWith('video/')) return true;
  if (file.type !== '' && file.type !== 'application/octet-stream') return false;
  const name = file.name.toLowerCase();
  return VIDEO_FILE_EXTENSIONS.some((extension) => name.endsWith(extension));
}
