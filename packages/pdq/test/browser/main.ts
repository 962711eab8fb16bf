// The page side of the browser test: starts the worker and exposes one call to the test driver.
import type { WorkerRequest, WorkerResponse } from './worker.js';

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let next = 0;
const waiting = new Map<number, (r: WorkerResponse) => void>();
worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
  waiting.get(event.data.id)?.(event.data);
  waiting.delete(event.data.id);
};

function call(request: Omit<WorkerRequest, 'id'>): Promise<WorkerResponse> {
  const id = next++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    worker.postMessage({ ...request, id });
  });
}

(globalThis as unknown as { pdqInWorker: typeof call }).pdqInWorker = call;
(globalThis as unknown as { pdqReady: boolean }).pdqReady = true;
