// A decoded video frame's pixels as PDQ wants them, computed the way the reference's pixels are.
//
// The reference vPDQ converts each frame to RGB24 with libswscale's defaults — the BT.601 matrix,
// limited range unless the pixel format is a full-range one, colour tags ignored — and PDQ then takes
// the luminance Y = 0.299 R + 0.587 G + 0.114 B. Those are BT.601's own luma weights, so the chroma
// terms of the conversion cancel out: the luminance PDQ sees is the frame's luma plane, expanded from
// limited range, (Y − 16) × 255 / 219 (exact but for rounding, and for RGB values swscale clips in
// saturated colours). Reading the luma plane straight from the decoder's buffer needs no colour
// conversion, no canvas and a third of the memory of RGBA; and it is blind to the colour tags a
// browser's own conversion would honour (BT.709 tags move the result 2–8 bits, decision 0012).
import type { PdqImage } from '@halte/pdq';

/** WebCodecs pixel formats whose first plane is luma, with the bits per sample. */
const LUMA_FORMATS: Readonly<Record<string, 8 | 10 | 12>> = {
  I420: 8,
  I420A: 8,
  I422: 8,
  I422A: 8,
  I444: 8,
  I444A: 8,
  NV12: 8,
  I420P10: 10,
  I420AP10: 10,
  I422P10: 10,
  I422AP10: 10,
  I444P10: 10,
  I444AP10: 10,
  I420P12: 12,
  I422P12: 12,
  I444P12: 12,
};

const RGB_FORMATS: Readonly<Record<string, 'rgb' | 'bgr'>> = { RGBA: 'rgb', RGBX: 'rgb', BGRA: 'bgr', BGRX: 'bgr' };

/** The plane layout WebCodecs' `copyTo` reports (offset and stride in bytes). */
export interface Plane {
  readonly offset: number;
  readonly stride: number;
}

export interface FramePixels {
  /** WebCodecs' `VideoFrame.format` */
  readonly format: string;
  /** the bytes `copyTo` wrote, laid out as `planes` says */
  readonly data: Uint8Array;
  readonly planes: readonly Plane[];
  /** the visible size (the rectangle `copyTo` copied) */
  readonly width: number;
  readonly height: number;
  /** `VideoFrame.colorSpace.fullRange`: true for full-range (JPEG) luma; null or false = limited */
  readonly fullRange: boolean | null;
}

/** Whether `lumaImage` reads this pixel format (otherwise draw the frame on a canvas). */
export function readsFormat(format: string | null): format is string {
  return format !== null && (format in LUMA_FORMATS || format in RGB_FORMATS);
}

const tables = new Map<string, Uint8Array>();

/** Luma sample → 8-bit luminance as swscale's RGB would give it: limited range expanded, rounded, clipped. */
export function lumaTable(bits: 8 | 10 | 12, fullRange: boolean): Uint8Array {
  const key = `${bits}:${fullRange}`;
  let table = tables.get(key);
  if (table === undefined) {
    const size = 1 << bits;
    const scale = 1 << (bits - 8);
    table = new Uint8Array(size);
    for (let y = 0; y < size; y++) {
      const value = fullRange ? (y * 255) / (size - 1) : ((y - 16 * scale) * 255) / (219 * scale);
      table[y] = Math.min(255, Math.max(0, Math.round(value)));
    }
    tables.set(key, table);
  }
  return table;
}

/**
 * The image PDQ hashes for one frame: one grey channel from the luma plane of YUV formats, RGBA for RGB
 * formats. Writes into `out` when it is large enough (one buffer reused for every frame of a video).
 */
export function lumaImage(pixels: FramePixels, out?: Uint8Array): PdqImage {
  const { format, data, planes, width, height } = pixels;
  const plane = planes[0];
  if (plane === undefined) throw new RangeError('a frame without planes');
  const bits = LUMA_FORMATS[format];
  if (bits !== undefined) {
    const grey = out !== undefined && out.length >= width * height ? out.subarray(0, width * height) : new Uint8Array(width * height);
    const table = lumaTable(bits, pixels.fullRange === true);
    for (let row = 0; row < height; row++) {
      const from = plane.offset + row * plane.stride;
      const to = row * width;
      if (bits === 8) {
        for (let x = 0; x < width; x++) grey[to + x] = table[data[from + x] as number] as number;
      } else {
        // Little-endian 16-bit samples, as WebCodecs lays out its high-bit-depth formats.
        for (let x = 0; x < width; x++) {
          const sample = (data[from + 2 * x] as number) | ((data[from + 2 * x + 1] as number) << 8);
          grey[to + x] = table[sample & ((1 << bits) - 1)] as number;
        }
      }
    }
    return { data: grey, width, height, channels: 1 };
  }
  const order = RGB_FORMATS[format];
  if (order === undefined) throw new RangeError(`unsupported pixel format ${format}`);
  const size = width * height * 4;
  const rgba = out !== undefined && out.length >= size ? out.subarray(0, size) : new Uint8Array(size);
  for (let row = 0; row < height; row++) {
    const from = plane.offset + row * plane.stride;
    const to = row * width * 4;
    if (order === 'rgb') {
      rgba.set(data.subarray(from, from + width * 4), to);
    } else {
      for (let x = 0; x < width * 4; x += 4) {
        rgba[to + x] = data[from + x + 2] as number;
        rgba[to + x + 1] = data[from + x + 1] as number;
        rgba[to + x + 2] = data[from + x] as number;
        rgba[to + x + 3] = 255;
      }
    }
  }
  return { data: rgba, width, height, channels: 4 };
}
