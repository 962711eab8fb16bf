// Messages between a page and the video hashing worker. The page sends a File handle (no bytes are
// copied); the worker answers with progress and hashes only: neither the bytes nor a frame come back.
import type { VpdqFrameHash } from '@halte/pdq';

import type { VideoLimits } from './limits';

/** Why a video was not hashed; each has its words for the person (report.videos.error.*). */
export const VIDEO_ERROR_CODES = [
  'FILE_EMPTY',
  'FILE_TOO_LARGE',
  'VIDEO_DECODER_UNAVAILABLE',
  'VIDEO_NO_STREAM',
  'VIDEO_CORRUPT',
  'VIDEO_TOO_LONG',
  'VIDEO_TOO_MANY_PIXELS',
  'VIDEO_TIMEOUT',
  'ABORTED',
  'WORKER_FAILED',
] as const;
export type VideoErrorCode = (typeof VIDEO_ERROR_CODES)[number];

export function isVideoErrorCode(code: string): code is VideoErrorCode {
  return (VIDEO_ERROR_CODES as readonly string[]).includes(code);
}

export type VideoWorkerRequest =
  | {
      readonly type: 'hash';
      readonly id: number;
      readonly file: Blob;
      /** 1 (default): one frame a second, as Halte sends; 0: every frame */
      readonly secondsPerHash?: number;
      readonly limits?: Partial<VideoLimits>;
      /** 'canvas' only to measure the browser's colour conversion against the luma plane */
      readonly conversion?: 'auto' | 'canvas';
    }
  | { readonly type: 'cancel'; readonly id: number };

/** The fingerprints of one video, as ReportRequest's video item wants them (lower-case hex). */
export interface VideoHashes {
  readonly md5: string;
  readonly sha256: string;
  readonly vpdq: readonly VpdqFrameHash[];
}

export interface VideoFacts {
  readonly durationSeconds: number;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly codec: string;
  readonly decodedFrames: number;
  /** wall-clock time in the worker, from the request to the answer */
  readonly elapsedMs: number;
}

export type VideoWorkerResponse =
  | { readonly type: 'progress'; readonly id: number; readonly share: number }
  | ({ readonly type: 'done'; readonly id: number; readonly ok: true } & VideoHashes & VideoFacts)
  | { readonly type: 'done'; readonly id: number; readonly ok: false; readonly error: VideoErrorCode; readonly detail: string };
