// Runs in a dedicated Web Worker: hashes raw pixels, or a file fetched and decoded by the browser.
import { pdqDihedral, pdqHash } from '@halte/pdq';

export interface WorkerRequest {
  id: number;
  /** raw pixels sent by the page, or the URL of an image for the browser to decode */
  pixels?: { data: Uint8Array; width: number; height: number; channels: 1 | 3 | 4 };
  url?: string;
}

export interface WorkerResponse {
  id: number;
  hash?: string;
  quality?: number;
  rotate90?: string;
  error?: string;
  hasProcess?: boolean;
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const { id, pixels, url } = event.data;
  try {
    let image = pixels;
    if (url !== undefined) {
      const blob = await (await fetch(url)).blob();
      // As the reference: no EXIF rotation, no colour management, alpha not premultiplied.
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'none', colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2d context');
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      image = { data: new Uint8Array(data.buffer), width: bitmap.width, height: bitmap.height, channels: 4 };
    }
    if (!image) throw new Error('nothing to hash');
    const { hash, quality } = pdqHash(image);
    const { hashes } = pdqDihedral(image);
    self.postMessage({ id, hash, quality, rotate90: hashes.rotate90, hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined' } satisfies WorkerResponse);
  } catch (error) {
    self.postMessage({ id, error: String(error) } satisfies WorkerResponse);
  }
};
