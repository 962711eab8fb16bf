// The dedicated hashing worker: file → MD5 + SHA-256 of its bytes (hash-wasm) and PDQ of its pixels
// (@halte/pdq), decoded exactly as the reference expects: no EXIF rotation, no colour management,
// alpha not premultiplied (packages/pdq/src/browser.test.ts proves this path matches the reference).
// Only the hashes are posted back.
import { pdqHash } from '@halte/pdq';
import { md5, sha256 } from 'hash-wasm';

import { MAX_IMAGE_FILE_BYTES, MAX_PIXELS, type HashRequest, type HashResponse } from './protocol';

// The app is type-checked with the DOM library (one program for app, worker and tests); this is the
// part of DedicatedWorkerGlobalScope the worker uses.
interface WorkerScope {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashResponse): void;
}
const scope = self as unknown as WorkerScope;

async function hashFile({ id, file }: HashRequest): Promise<HashResponse> {
  if (file.size === 0) return { id, ok: false, error: 'FILE_EMPTY' };
  if (file.size > MAX_IMAGE_FILE_BYTES) return { id, ok: false, error: 'FILE_TOO_LARGE' };

  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'none', colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    return { id, ok: false, error: 'IMAGE_UNREADABLE' };
  }
  let pdq: { hash: string; quality: number };
  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) return { id, ok: false, error: 'IMAGE_TOO_MANY_PIXELS' };
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (context === null) return { id, ok: false, error: 'WORKER_FAILED' };
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, width, height);
    pdq = pdqHash({ data, width, height, channels: 4 });
  } finally {
    bitmap.close();
  }

  const bytes = new Uint8Array(await file.arrayBuffer());
  const [md5Hex, sha256Hex] = await Promise.all([md5(bytes), sha256(bytes)]);
  return { id, ok: true, pdq: pdq.hash, quality: pdq.quality, md5: md5Hex, sha256: sha256Hex };
}

scope.onmessage = (event) => {
  const request = event.data;
  hashFile(request).then(
    (response) => scope.postMessage(response),
    () => scope.postMessage({ id: request.id, ok: false, error: 'WORKER_FAILED' }),
  );
};
