// A deliberately plain transcription of the reference's pdqHash256FromFloatLuma (no lanes, no reuse,
// no fused passes): the oracle the optimised implementation is compared with on random images.
const f32 = Math.fround;

function box1D(v: Float32Array, out: Float32Array, start: number, length: number, stride: number, w: number): void {
  const half = Math.floor((w + 2) / 2);
  let li = start;
  let ri = start;
  let oi = start;
  let sum = 0;
  let size = 0;
  for (let i = 0; i < half - 1; i++, ri += stride) {
    sum = f32(sum + (v[ri] as number));
    size++;
  }
  for (let i = 0; i < w - half + 1; i++, ri += stride, oi += stride) {
    sum = f32(sum + (v[ri] as number));
    size++;
    out[oi] = f32(sum / size);
  }
  for (let i = 0; i < length - w; i++, ri += stride, li += stride, oi += stride) {
    sum = f32(sum + (v[ri] as number));
    sum = f32(sum - (v[li] as number));
    out[oi] = f32(sum / size);
  }
  for (let i = 0; i < half - 1; i++, li += stride, oi += stride) {
    sum = f32(sum - (v[li] as number));
    size--;
    out[oi] = f32(sum / size);
  }
}

/** Hex hash and quality of 8-bit RGB or grey pixels, optionally after the CLI's 512 nearest-neighbour resize. */
export function oraclePdq(data: Uint8Array, width: number, height: number, channels: 1 | 3, downsample: boolean): { hash: string; quality: number } {
  let w = width;
  let h = height;
  let px = (x: number, y: number, c: number) => data[(y * width + x) * channels + (channels === 1 ? 0 : c)] as number;
  if (downsample && (w > 512 || h > 512)) {
    const src = px;
    px = (x, y, c) => src(Math.floor((x * width) / 512), Math.floor((y * height) / 512), c);
    w = 512;
    h = 512;
  }
  if (w < 5 || h < 5) return { hash: '0'.repeat(64), quality: 0 };
  const a = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      a[y * w + x] =
        channels === 1
          ? px(x, y, 0)
          : f32(f32(f32(f32(0.299) * px(x, y, 0)) + f32(f32(0.587) * px(x, y, 1))) + f32(f32(0.114) * px(x, y, 2)));
    }
  }
  const b = new Float32Array(w * h);
  const wr = Math.floor((w + 127) / 128);
  const wc = Math.floor((h + 127) / 128);
  // the reference's pdqHash256FromFloatLuma uses a 64×64 image as it is
  for (let pass = 0; pass < (w === 64 && h === 64 ? 0 : 2); pass++) {
    for (let y = 0; y < h; y++) box1D(a, b, y * w, w, 1, wr);
    for (let x = 0; x < w; x++) box1D(b, a, x, h, w, wc);
  }
  const d64 = new Float32Array(4096);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      d64[i * 64 + j] = a[Math.trunc(((i + 0.5) * h) / 64) * w + Math.trunc(((j + 0.5) * w) / 64)] as number;
    }
  }
  let gradient = 0;
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const u = d64[i * 64 + j] as number;
      if (i < 63) gradient += Math.abs(Math.trunc(f32(f32(f32(u - (d64[(i + 1) * 64 + j] as number)) * 100) / 255)));
      if (j < 63) gradient += Math.abs(Math.trunc(f32(f32(f32(u - (d64[i * 64 + j + 1] as number)) * 100) / 255)));
    }
  }
  const dct = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) dct[i * 64 + j] = f32(Math.sqrt(2 / 64)) * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
  }
  const t = new Float32Array(16 * 64);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f32(s + f32((dct[i * 64 + k] as number) * (d64[k * 64 + j] as number)));
      t[i * 64 + j] = s;
    }
  }
  const coefficients = new Float32Array(256);
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 16; j++) {
      let s = 0;
      for (let k = 0; k < 64; k++) s = f32(s + f32((t[i * 64 + k] as number) * (dct[j * 64 + k] as number)));
      coefficients[i * 16 + j] = s;
    }
  }
  const median = Float32Array.from(coefficients).sort()[127] as number;
  const words = new Array<number>(16).fill(0);
  for (let k = 0; k < 256; k++) if ((coefficients[k] as number) > median) words[k >> 4] = (words[k >> 4] as number) | (1 << (k & 15));
  const hash = words
    .reverse()
    .map((x) => x.toString(16).padStart(4, '0'))
    .join('');
  return { hash, quality: Math.min(100, Math.floor(gradient / 90)) };
}
