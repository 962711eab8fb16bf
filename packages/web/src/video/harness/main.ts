// The page side of the video harness (tests and bench): the app's real video worker, one call exposed
// to the Node driver. The video is fetched from the harness server into a Blob (tests), or taken from
// the page's file input, disk-backed as in the app (bench).
import type { VideoWorkerRequest, VideoWorkerResponse } from '../protocol';

export interface HarnessRequest {
  /** the video fetched from the harness server into a Blob; without it, the file picked in #pick */
  readonly url?: string;
  readonly name?: string;
  readonly secondsPerHash?: number;
  readonly conversion?: 'auto' | 'canvas';
  /** send a cancel message once this share of progress is reported */
  readonly cancelAtShare?: number;
}

export type HarnessResult = Extract<VideoWorkerResponse, { type: 'done' }> & { readonly progress: readonly number[] };

let next = 1;

async function hashVideo(request: HarnessRequest): Promise<HarnessResult> {
  let file: File;
  if (request.url !== undefined) {
    const blob = await (await fetch(request.url)).blob();
    file = new File([blob], request.name ?? 'video.mp4', { type: blob.type });
  } else {
    // A file picked from the disk, as in the app: the browser reads it from there, chunk by chunk.
    const picked = (document.getElementById('pick') as HTMLInputElement | null)?.files?.[0];
    if (picked === undefined) throw new Error('no file picked');
    file = picked;
  }
  const worker = new Worker(new URL('../video.worker.ts', import.meta.url), { type: 'module', name: 'halte-video' });
  const id = next++;
  const progress: number[] = [];
  try {
    return await new Promise<HarnessResult>((resolve) => {
      worker.onerror = (event) => resolve({ type: 'done', id, ok: false, error: 'WORKER_FAILED', detail: event.message, progress });
      worker.onmessage = (event: MessageEvent<VideoWorkerResponse>) => {
        const message = event.data;
        if (message.type === 'progress') {
          progress.push(message.share);
          if (request.cancelAtShare !== undefined && message.share >= request.cancelAtShare) worker.postMessage({ type: 'cancel', id } satisfies VideoWorkerRequest);
          return;
        }
        resolve({ ...message, progress });
      };
      const hash: VideoWorkerRequest = {
        type: 'hash',
        id,
        file,
        ...(request.secondsPerHash === undefined ? {} : { secondsPerHash: request.secondsPerHash }),
        ...(request.conversion === undefined ? {} : { conversion: request.conversion }),
      };
      worker.postMessage(hash);
    });
  } finally {
    worker.terminate();
  }
}

const scope = globalThis as unknown as { hashVideo: typeof hashVideo; harnessReady: boolean };
scope.hashVideo = hashVideo;
scope.harnessReady = true;
