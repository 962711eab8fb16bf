import { describe, expect, it } from 'vitest';

import { hashingProgress, ImageQueue, type HashWorker } from './image-queue';
import type { HashRequest, HashResponse } from './protocol';

class FakeWorker implements HashWorker {
  onmessage: ((event: MessageEvent<HashResponse>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly received: HashRequest[] = [];
  terminated = false;
  postMessage(request: HashRequest): void {
    this.received.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(response: HashResponse): void {
    this.onmessage?.({ data: response } as MessageEvent<HashResponse>);
  }
  crash(): void {
    this.onerror?.({ preventDefault: () => undefined } as ErrorEvent);
  }
}

function setup() {
  const workers: FakeWorker[] = [];
  const revoked: string[] = [];
  let n = 0;
  const queue = new ImageQueue(
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    { create: () => `blob:preview-${++n}`, revoke: (url) => revoked.push(url) },
  );
  return { queue, workers, revoked };
}

const file = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/jpeg' });
const hashes = (sha: string) => ({ pdq: 'a'.repeat(64), quality: 100, md5: 'b'.repeat(32), sha256: sha.repeat(64) });

describe('ImageQueue', () => {
  it('hashes one file at a time, in order, and reports progress', () => {
    const { queue, workers } = setup();
    queue.add([file('a.jpg'), file('b.jpg')]);
    expect(queue.getEntries().map((e) => e.status)).toEqual(['hashing', 'waiting']);
    const worker = workers[0] as FakeWorker;
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg']);
    expect(hashingProgress(queue.getEntries())).toEqual({ done: 0, total: 2 });

    worker.answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => e.status)).toEqual(['done', 'hashing']);
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg', 'b.jpg']);

    worker.answer({ id: 2, ok: false, error: 'IMAGE_UNREADABLE' });
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['done', undefined],
      ['failed', 'IMAGE_UNREADABLE'],
    ]);
    expect(hashingProgress(queue.getEntries())).toEqual({ done: 2, total: 2 });
    expect(workers).toHaveLength(1);
  });

  it('marks the same file picked twice as a duplicate', () => {
    const { queue, workers } = setup();
    queue.add([file('a.jpg'), file('copy-of-a.jpg')]);
    const worker = workers[0] as FakeWorker;
    worker.answer({ id: 1, ok: true, ...hashes('1') });
    worker.answer({ id: 2, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => e.status)).toEqual(['done', 'duplicate']);
  });

  it('forgets a removed file, even while it is being hashed, and revokes its thumbnail', () => {
    const { queue, workers, revoked } = setup();
    queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg')]);
    queue.remove(1);
    queue.remove(3);
    expect(revoked).toEqual(['blob:preview-1', 'blob:preview-3']);
    const worker = workers[0] as FakeWorker;
    worker.answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => [e.name, e.status])).toEqual([['b.jpg', 'hashing']]);
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('fails the file a crashed worker held, and starts a new worker for the next', () => {
    const { queue, workers } = setup();
    queue.add([file('huge.jpg'), file('b.jpg')]);
    (workers[0] as FakeWorker).crash();
    expect((workers[0] as FakeWorker).terminated).toBe(true);
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['failed', 'WORKER_FAILED'],
      ['hashing', undefined],
    ]);
    expect(workers).toHaveLength(2);
    expect((workers[1] as FakeWorker).received.map((r) => r.file.name)).toEqual(['b.jpg']);
  });

  it('wipes everything on reset: entries, thumbnails, waiting files, worker', () => {
    const { queue, workers, revoked } = setup();
    const seen: number[] = [];
    queue.subscribe(() => seen.push(queue.getEntries().length));
    queue.add([file('a.jpg'), file('b.jpg')]);
    queue.reset();
    expect(queue.getEntries()).toEqual([]);
    expect(revoked).toEqual(['blob:preview-1', 'blob:preview-2']);
    expect((workers[0] as FakeWorker).terminated).toBe(true);
    expect(seen.at(-1)).toBe(0);
    // A late answer from the old worker changes nothing.
    (workers[0] as FakeWorker).answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries()).toEqual([]);
  });
});
