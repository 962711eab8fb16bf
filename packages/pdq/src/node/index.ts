// @halte/pdq/node: decode image files into pixels for pdqHash, in Node only.
//
// Decoding goes through sharp (libvips, libjpeg-turbo, libspng, libwebp, libheif): see
// docs/decisions/0004-image-decoder.md. The pixels are made to match what the reference's ImageMagick
// hands the C++ hasher, so that hashes agree with the reference bit for bit on the common inputs:
// no EXIF orientation, alpha dropped, grey kept grey, embedded ICC profiles ignored, CMYK converted
// with the plain formula. One deliberate difference: 16-bit samples are reduced to 8 bits as browsers
// do, where the reference keeps only their low byte (noise); see docs/decisions/0004-image-decoder.md.
import { open, type FileHandle } from 'node:fs/promises';

import type SharpFn from 'sharp';

import { MAX_IMAGE_PIXELS } from '../constants.js';
import { PdqError } from '../errors.js';
import {
  pdqDihedral,
  pdqHash,
  type PdqDihedralResult,
  type PdqHashOptions,
  type PdqImage,
  type PdqResult,
} from '../pdq.js';

/** Files larger than this are refused before they are read. */
export const MAX_IMAGE_FILE_BYTES = 50 * 1024 * 1024;

export interface DecodeOptions {
  /** Refuse inputs larger than this many bytes (default 50 MiB). */
  readonly maxBytes?: number;
  /** Refuse images of more pixels than this, read from the header before decoding (default 100 M). */
  readonly maxPixels?: number;
  /** Give up decoding after this many seconds (default 30). */
  readonly timeoutSeconds?: number;
}

export interface DecodedImage extends PdqImage {
  readonly channels: 1 | 3 | 4;
  /** The container format as the decoder names it: jpeg, png, webp, gif, tiff, heif… */
  readonly format: string;
}

export interface FileHashResult extends PdqResult {
  readonly width: number;
  readonly height: number;
  readonly format: string;
}

type Sharp = typeof SharpFn;
let sharpModule: Promise<Sharp> | undefined;

// Loaded on first use, so that importing this module costs nothing and a missing sharp is a clear error.
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then(
    (m) => {
      // Hashing reads each file once: keep no decoded images in libvips' cache.
      m.default.cache(false);
      return m.default;
    },
    (cause: unknown) => {
      sharpModule = undefined;
      throw new PdqError('DECODER_UNAVAILABLE', 'the image decoder (sharp) is not installed', { cause });
    },
  );
  return sharpModule;
}

/**
 * Reads a file, refusing missing, empty and over-large files before reading them. The size is checked
 * on the open handle and at most maxBytes + 1 bytes are ever read, so a file that grows in between is
 * still refused without being loaded.
 */
export async function readImageFile(path: string, options: DecodeOptions = {}): Promise<Uint8Array> {
  const { maxBytes } = checkOptions(options);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new PdqError('FILE_UNREADABLE', 'not a regular file');
    checkSize(info.size, maxBytes);
    const buffer = new Uint8Array(Math.min(info.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    checkSize(length, maxBytes);
    return buffer.subarray(0, length);
  } catch (cause) {
    if (cause instanceof PdqError) throw cause;
    throw new PdqError('FILE_UNREADABLE', `cannot read the file (${errnoOf(cause)})`, { cause });
  } finally {
    await handle?.close();
  }
}

function checkOptions(options: DecodeOptions): { maxBytes: number; maxPixels: number; timeoutSeconds: number } {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_FILE_BYTES;
  const maxPixels = options.maxPixels ?? MAX_IMAGE_PIXELS;
  const timeoutSeconds = options.timeoutSeconds ?? 30;
  for (const [name, value] of [['maxBytes', maxBytes], ['maxPixels', maxPixels], ['timeoutSeconds', timeoutSeconds]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new PdqError('OPTION_INVALID', `${name} must be a positive integer; got ${String(value)}`);
    }
  }
  return { maxBytes, maxPixels, timeoutSeconds };
}

function checkSize(size: number, maxBytes: number): void {
  if (size === 0) throw new PdqError('FILE_EMPTY', 'the file is empty (0 bytes)');
  if (size > maxBytes) {
    throw new PdqError('FILE_TOO_LARGE', `the file has ${size} bytes; at most ${maxBytes} are accepted`);
  }
}

/**
 * Decodes an image (JPEG, PNG, WebP, GIF first frame, TIFF, AVIF/HEIF where libheif can) into pixels
 * ready for {@link pdqHash}. The header is read first: too many pixels are refused before decoding.
 *
 * @example
 * ```ts
 * const image = await decodeImage(await readFile('photo.jpg'));
 * const { hash, quality } = pdqHash(image);
 * ```
 */
export async function decodeImage(input: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  if (!(input instanceof Uint8Array)) {
    throw new PdqError('IMAGE_UNSUPPORTED_FORMAT', 'expected the bytes of an image file');
  }
  const { maxBytes, maxPixels, timeoutSeconds } = checkOptions(options);
  checkSize(input.length, maxBytes);
  const sharp = await loadSharp();
  const open = () =>
    sharp(input, {
      ignoreIcc: true,
      failOn: 'error',
      limitInputPixels: maxPixels,
      sequentialRead: true,
    }).timeout({ seconds: timeoutSeconds });

  let meta: Awaited<ReturnType<ReturnType<Sharp>['metadata']>>;
  try {
    meta = await open().metadata();
  } catch (cause) {
    throw mapDecoderError(cause);
  }
  const width = meta.width;
  const height = meta.pageHeight ?? meta.height;
  if (!width || !height) throw new PdqError('IMAGE_CORRUPT', 'the image header gives no dimensions');
  if (width * height > maxPixels) {
    throw new PdqError(
      'IMAGE_TOO_MANY_PIXELS',
      `${width}×${height} is ${width * height} pixels; at most ${maxPixels} are accepted`,
    );
  }
  try {
    if (meta.space === 'cmyk') return await decodeCmyk(open(), meta.format);
    const grey = meta.space === 'b-w' || meta.channels === 1 || (meta.channels === 2 && meta.hasAlpha);
    const pipeline = open().removeAlpha().toColourspace(grey ? 'b-w' : 'srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    return finish(data, info.width, info.height, info.channels, meta.format);
  } catch (cause) {
    throw mapDecoderError(cause);
  }
}

// ImageMagick turns CMYK into RGB with R = (1 - C)(1 - K) and no colour management; libvips would use
// an ICC profile and land ~10 bits away from the reference.
async function decodeCmyk(pipeline: ReturnType<Sharp>, format: string): Promise<DecodedImage> {
  const { data, info } = await pipeline
    .pipelineColourspace('cmyk')
    .toColourspace('cmyk')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const n = info.width * info.height;
  const step = info.channels;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0, p = 0; i < n; i++, p += step) {
    const k = 255 - (data[p + 3] as number);
    rgb[3 * i] = Math.round(((255 - (data[p] as number)) * k) / 255);
    rgb[3 * i + 1] = Math.round(((255 - (data[p + 1] as number)) * k) / 255);
    rgb[3 * i + 2] = Math.round(((255 - (data[p + 2] as number)) * k) / 255);
  }
  return finish(rgb, info.width, info.height, 3, format);
}

function finish(data: Uint8Array, width: number, height: number, channels: number, format: string): DecodedImage {
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new PdqError('IMAGE_UNSUPPORTED_FORMAT', `decoded to ${channels} channels`);
  }
  if (data.length !== width * height * channels) {
    throw new PdqError('IMAGE_CORRUPT', 'the decoder returned fewer pixels than the header announced');
  }
  return { data, width, height, channels, format };
}

/**
 * Reads, decodes and hashes an image file or buffer.
 * @example const { hash, quality } = await pdqHashFile('photo.jpg');
 */
export async function pdqHashFile(
  input: string | Uint8Array,
  options: DecodeOptions & PdqHashOptions = {},
): Promise<FileHashResult> {
  const bytes = typeof input === 'string' ? await readImageFile(input, options) : input;
  const image = await decodeImage(bytes, options);
  const result = pdqHash(image, options);
  return { ...result, width: image.width, height: image.height, format: image.format };
}

/** Reads, decodes and computes the eight dihedral hashes of an image file or buffer. */
export async function pdqDihedralFile(
  input: string | Uint8Array,
  options: DecodeOptions & PdqHashOptions = {},
): Promise<PdqDihedralResult> {
  const bytes = typeof input === 'string' ? await readImageFile(input, options) : input;
  return pdqDihedral(await decodeImage(bytes, options), options);
}

function mapDecoderError(cause: unknown): PdqError {
  if (cause instanceof PdqError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/unsupported image format|not a known file format|bad seek|vips_image_new_from_buffer/i.test(message)) {
    return new PdqError('IMAGE_UNSUPPORTED_FORMAT', 'not an image in a supported format', { cause });
  }
  if (/pixel limit/i.test(message)) {
    return new PdqError('IMAGE_TOO_MANY_PIXELS', 'the image has more pixels than accepted', { cause });
  }
  if (/timeout/i.test(message)) {
    return new PdqError('IMAGE_CORRUPT', 'decoding took too long and was stopped', { cause });
  }
  return new PdqError('IMAGE_CORRUPT', 'the image is damaged or truncated and cannot be decoded', { cause });
}

function errnoOf(cause: unknown): string {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

// Videos (ffmpeg/ffprobe through child processes): see ./video.ts and docs/decisions/0012.
export {
  MAX_VIDEO_DURATION_SECONDS,
  MAX_VIDEO_FILE_BYTES,
  MAX_VIDEO_FRAME_PIXELS,
  VIDEO_FILE_EXTENSIONS,
  VIDEO_TIMEOUT_SECONDS,
  decodeVideoFrames,
  looksLikeVideoFile,
  probeVideo,
  sniffVideoContainer,
  vpdqHashFile,
  type DecodeVideoFramesOptions,
  type DecodedVideoFrame,
  type VideoDecodeOptions,
  type VideoHashResult,
  type VideoInfo,
  type VpdqHashFileOptions,
} from './video.js';
