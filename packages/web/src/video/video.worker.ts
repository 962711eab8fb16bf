// The dedicated video hashing worker: one video at a time, progress as it goes, hashes at the end.
// The page may cancel with a message (ABORTED) or simply terminate the worker.
import { isPdqError } from '@halte/pdq';

import { hashVideoFile } from './hash-video';
import { ProgressGate } from './plan';
import { isVideoErrorCode, type VideoWorkerRequest, type VideoWorkerResponse } from './protocol';

// The app is type-checked with the DOM library (one program for app, workers and tests); this is the
// part of DedicatedWorkerGlobalScope the worker uses.
interface WorkerScope {
  onmessage: ((event: MessageEvent<VideoWorkerRequest>) => void) | null;
  postMessage(message: VideoWorkerResponse): void;
}
const scope = self as unknown as WorkerScope;
const running = new Map<number, AbortController>();

async function hash(request: Extract<VideoWorkerRequest, { type: 'hash' }>): Promise<VideoWorkerResponse> {
  const { id } = request;
  const started = performance.now();
  const controller = new AbortController();
  running.set(id, controller);
  const gate = new ProgressGate();
  try {
    const result = await hashVideoFile(request.file, {
      ...(request.secondsPerHash === undefined ? {} : { secondsPerHash: request.secondsPerHash }),
      ...(request.limits === undefined ? {} : { limits: request.limits }),
      ...(request.conversion === undefined ? {} : { conversion: request.conversion }),
      signal: controller.signal,
      onProgress: (share) => {
        if (gate.pass(share)) scope.postMessage({ type: 'progress', id, share });
      },
    });
    return {
      type: 'done',
      id,
      ok: true,
      md5: result.md5,
      sha256: result.sha256,
      vpdq: result.frames,
      durationSeconds: result.durationSeconds,
      fps: result.fps,
      width: result.width,
      height: result.height,
      codec: result.codec,
      decodedFrames: result.decodedFrames,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    const code = isPdqError(error) && isVideoErrorCode(error.code) ? error.code : 'WORKER_FAILED';
    return { type: 'done', id, ok: false, error: code, detail: error instanceof Error ? error.message : String(error) };
  } finally {
    running.delete(id);
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'cancel') {
    running.get(request.id)?.abort();
    return;
  }
  void hash(request).then((response) => scope.postMessage(response));
};
