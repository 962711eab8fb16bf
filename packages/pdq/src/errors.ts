/**
 * Every failure of `@halte/pdq` is a `PdqError` with a stable `code`; callers branch on the code,
 * never on the message (the message is for people and may change).
 */
export const PDQ_ERROR_CODES = [
  /** width/height not positive integers, or larger than MAX_IMAGE_PIXELS */
  'IMAGE_DIMENSIONS_INVALID',
  /** channels not 1, 3 or 4, or data length not width × height × channels */
  'IMAGE_BUFFER_INVALID',
  /** a hex hash that is not exactly 64 hex digits */
  'HASH_HEX_INVALID',
  /** a byte hash that is not exactly 32 bytes */
  'HASH_BYTES_INVALID',
  /** an index id that is not an integer in 0..2^32-1 */
  'INDEX_ID_INVALID',
  /** a distance that is not an integer in 0..256 */
  'INDEX_DISTANCE_INVALID',
  /** serialized index bytes that are truncated, of another format or inconsistent */
  'INDEX_DATA_INVALID',
  /** an option of the wrong type or out of range */
  'OPTION_INVALID',
  // Node decoding (`@halte/pdq/node`)
  /** the file does not exist or cannot be read */
  'FILE_UNREADABLE',
  /** a 0-byte file or buffer */
  'FILE_EMPTY',
  /** larger than the byte limit (decompression-bomb guard) */
  'FILE_TOO_LARGE',
  /** more pixels than the pixel limit, detected from the header before decoding */
  'IMAGE_TOO_MANY_PIXELS',
  /** not an image format the decoder knows */
  'IMAGE_UNSUPPORTED_FORMAT',
  /** a known format whose data is truncated or corrupt */
  'IMAGE_CORRUPT',
  /** the Node decoder (sharp) is not installed */
  'DECODER_UNAVAILABLE',
  // Video (`vpdqHash`, `@halte/pdq/node` with ffmpeg, the browser)
  /** a frame that does not follow the previous one (frame numbers must increase) */
  'VIDEO_FRAME_INVALID',
  /** ffmpeg/ffprobe is not installed (Node), or the browser can decode no video */
  'VIDEO_DECODER_UNAVAILABLE',
  /** no video stream in the file (an audio-only file, an image, anything else) */
  'VIDEO_NO_STREAM',
  /** a container or stream that cannot be decoded (truncated, corrupt, unknown codec) */
  'VIDEO_CORRUPT',
  /** longer than the duration limit */
  'VIDEO_TOO_LONG',
  /** a frame size beyond the resolution limit */
  'VIDEO_TOO_MANY_PIXELS',
  /** the wall-clock limit passed before hashing ended */
  'VIDEO_TIMEOUT',
  /** hashing was cancelled by its caller (AbortSignal) */
  'ABORTED',
] as const;

export type PdqErrorCode = (typeof PDQ_ERROR_CODES)[number];

export class PdqError extends Error {
  override readonly name = 'PdqError';
  readonly code: PdqErrorCode;

  constructor(code: PdqErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isPdqError(value: unknown): value is PdqError {
  return value instanceof PdqError;
}
