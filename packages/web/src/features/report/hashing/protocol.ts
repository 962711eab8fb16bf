// Messages between the page and the image hashing worker. The page sends a File handle (no bytes are
// copied); the worker answers with hashes only: neither the file's bytes nor its pixels ever come back.
// Videos have their own worker and messages (src/video/protocol.ts).
import { MAX_IMAGE_PIXELS } from '@halte/pdq';

import type { VideoHashes } from '../../../video/protocol';

export type { VideoHashes };

/** Same bound as `halte hash` (@halte/pdq/node MAX_IMAGE_FILE_BYTES): larger files are refused unread. */
export const MAX_IMAGE_FILE_BYTES = 50 * 1024 * 1024;

/** More pixels than this is refused before getImageData (the decoded bitmap would not fit in memory). */
export const MAX_PIXELS = MAX_IMAGE_PIXELS;

export const HASH_ERROR_CODES = ['FILE_EMPTY', 'FILE_TOO_LARGE', 'IMAGE_UNREADABLE', 'IMAGE_TOO_MANY_PIXELS', 'WORKER_FAILED'] as const;
export type HashErrorCode = (typeof HASH_ERROR_CODES)[number];

export function isHashErrorCode(code: string): code is HashErrorCode {
  return (HASH_ERROR_CODES as readonly string[]).includes(code);
}

export interface HashRequest {
  readonly id: number;
  readonly file: File;
}

/** The fingerprints of one image, as ReportRequest's image item wants them (lower-case hex). */
export interface ImageHashes {
  readonly pdq: string;
  readonly quality: number;
  readonly md5: string;
  readonly sha256: string;
}

/** The fingerprints of one chosen file: a picture's or a video's. */
export type FileHashes = ImageHashes | VideoHashes;

export function isVideoHashes(hashes: FileHashes): hashes is VideoHashes {
  return 'vpdq' in hashes;
}

export type HashResponse =
  | ({ readonly id: number; readonly ok: true } & ImageHashes)
  | { readonly id: number; readonly ok: false; readonly error: HashErrorCode };
