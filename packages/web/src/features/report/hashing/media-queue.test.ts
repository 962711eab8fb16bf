import { describe, expect, it } from 'vitest';

import type { VideoWorkerRequest, VideoWorkerResponse } from '../../../video/protocol';
import { hashingProgress, MediaQueue, readyHashes, type QueueWorker } from './media-queue';
import type { HashRequest, HashResponse } from './protocol';

class FakeWorker<Request, Response> implements QueueWorker<Request, Response> {
  onmessage: ((event: MessageEvent<Response>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly received: Request[] = [];
  terminated = false;
  postMessage(request: Request): void {
    this.received.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(response: Response): void {
    this.onmessage?.({ data: response } as MessageEvent<Response>);
  }
  crash(): void {
    this.onerror?.({ preventDefault: () => undefined } as ErrorEvent);
  }
}

type ImageWorker = FakeWorker<HashRequest, HashResponse>;
type VideoWorker = FakeWorker<VideoWorkerRequest, VideoWorkerResponse>;

function setup() {
  const images: ImageWorker[] = [];
  const videos: VideoWorker[] = [];
  const revoked: string[] = [];
  let n = 0;
  const queue = new MediaQueue(
    {
      image: () => {
        const worker: ImageWorker = new FakeWorker();
        images.push(worker);
        return worker;
      },
      video: () => {
        const worker: VideoWorker = new FakeWorker();
        videos.push(worker);
        return worker;
      },
    },
    { create: () => `blob:preview-${++n}`, revoke: (url) => revoked.push(url) },
  );
  return { queue, images, videos, revoked };
}

const file = (name: string, type = 'image/jpeg') => new File([new Uint8Array([1, 2, 3])], name, { type });
const video = (name: string) => file(name, 'video/mp4');
const hashes = (sha: string) => ({ pdq: 'a'.repeat(64), quality: 100, md5: 'b'.repeat(32), sha256: sha.repeat(64) });
const FRAMES = [{ frame: 0, timestamp: 0, pdq: 'c'.repeat(64), quality: 90 }];
const videoDone = (id: number, sha: string): VideoWorkerResponse => ({
  type: 'done',
  id,
  ok: true,
  md5: 'd'.repeat(32),
  sha256: sha.repeat(64),
  vpdq: FRAMES,
  durationSeconds: 1,
  fps: 30,
  width: 64,
  height: 64,
  codec: 'avc',
  decodedFrames: 30,
  elapsedMs: 5,
});

describe('MediaQueue with pictures', () => {
  it('hashes one file at a time, in order, and reports progress', () => {
    const { queue, images } = setup();
    queue.add([file('a.jpg'), file('b.jpg')]);
    expect(queue.getEntries().map((e) => e.status)).toEqual(['hashing', 'waiting']);
    const worker = images[0] as ImageWorker;
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg']);
    expect(hashingProgress(queue.getEntries())).toEqual({ done: 0, total: 2, work: 0 });

    worker.answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => e.status)).toEqual(['done', 'hashing']);
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg', 'b.jpg']);

    worker.answer({ id: 2, ok: false, error: 'IMAGE_UNREADABLE' });
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['done', undefined],
      ['failed', 'IMAGE_UNREADABLE'],
    ]);
    expect(hashingProgress(queue.getEntries())).toEqual({ done: 2, total: 2, work: 2 });
    expect(readyHashes(queue.getEntries())).toEqual([hashes('1')]);
    expect(images).toHaveLength(1);
  });

  it('marks the same file picked twice as a duplicate', () => {
    const { queue, images } = setup();
    queue.add([file('a.jpg'), file('copy-of-a.jpg')]);
    const worker = images[0] as ImageWorker;
    worker.answer({ id: 1, ok: true, ...hashes('1') });
    worker.answer({ id: 2, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => e.status)).toEqual(['done', 'duplicate']);
    expect(readyHashes(queue.getEntries())).toHaveLength(1);
  });

  it('forgets a removed file, even while it is being hashed, and revokes its thumbnail', () => {
    const { queue, images, revoked } = setup();
    queue.add([file('a.jpg'), file('b.jpg'), file('c.jpg')]);
    queue.remove(1);
    queue.remove(3);
    expect(revoked).toEqual(['blob:preview-1', 'blob:preview-3']);
    const worker = images[0] as ImageWorker;
    worker.answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries().map((e) => [e.name, e.status])).toEqual([['b.jpg', 'hashing']]);
    expect(worker.received.map((r) => r.file.name)).toEqual(['a.jpg', 'b.jpg']);
  });

  it('fails the file a crashed worker held, and starts a new worker for the next', () => {
    const { queue, images } = setup();
    queue.add([file('huge.jpg'), file('b.jpg')]);
    (images[0] as ImageWorker).crash();
    expect((images[0] as ImageWorker).terminated).toBe(true);
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['failed', 'WORKER_FAILED'],
      ['hashing', undefined],
    ]);
    expect(images).toHaveLength(2);
    expect((images[1] as ImageWorker).received.map((r) => r.file.name)).toEqual(['b.jpg']);
  });

  it('wipes everything on reset: entries, thumbnails, waiting files, workers', () => {
    const { queue, images, videos, revoked } = setup();
    const seen: number[] = [];
    queue.subscribe(() => seen.push(queue.getEntries().length));
    queue.add([file('a.jpg'), file('b.jpg'), video('c.mp4')]);
    queue.reset();
    expect(queue.getEntries()).toEqual([]);
    expect(revoked).toEqual(['blob:preview-1', 'blob:preview-2']);
    expect((images[0] as ImageWorker).terminated).toBe(true);
    expect(videos).toHaveLength(0);
    expect(seen.at(-1)).toBe(0);
    // A late answer from the old worker changes nothing.
    (images[0] as ImageWorker).answer({ id: 1, ok: true, ...hashes('1') });
    expect(queue.getEntries()).toEqual([]);
  });
});

describe('MediaQueue with videos', () => {
  it('sends a video to a worker of its own, shows its progress, and ends that worker when done', () => {
    const { queue, images, videos } = setup();
    queue.add([video('clip.mp4'), file('a.jpg')]);
    expect(queue.getEntries().map((e) => [e.kind, e.status, e.previewUrl])).toEqual([
      ['video', 'hashing', null],
      ['image', 'waiting', 'blob:preview-1'],
    ]);
    // One file at a time: the picture waits for the video.
    expect(images).toHaveLength(0);
    const worker = videos[0] as VideoWorker;
    expect(worker.received).toMatchObject([{ type: 'hash', id: 1 }]);

    worker.answer({ type: 'progress', id: 1, share: 0.5 });
    expect(queue.getEntries()[0]?.progress).toBe(0.5);
    expect(hashingProgress(queue.getEntries())).toEqual({ done: 0, total: 2, work: 0.5 });

    worker.answer(videoDone(1, '2'));
    expect(worker.terminated).toBe(true);
    const [clip] = queue.getEntries();
    expect(clip).toMatchObject({ status: 'done', hashes: { md5: 'd'.repeat(32), sha256: '2'.repeat(64), vpdq: FRAMES } });
    expect(clip?.progress).toBeUndefined();
    expect(queue.getEntries()[1]?.status).toBe('hashing');
    expect(images).toHaveLength(1);
  });

  it('gives each video a fresh worker', () => {
    const { queue, videos } = setup();
    queue.add([video('a.mp4'), video('b.mov')]);
    (videos[0] as VideoWorker).answer(videoDone(1, '1'));
    expect(videos).toHaveLength(2);
    expect((videos[1] as VideoWorker).received).toMatchObject([{ type: 'hash', id: 2 }]);
  });

  it('takes a file with no type but a video name as a video', () => {
    const { queue } = setup();
    queue.add([file('film.MOV', ''), file('photo.heic', '')]);
    expect(queue.getEntries().map((e) => e.kind)).toEqual(['video', 'image']);
  });

  it('stops the video on cancel: the worker is terminated, the video stays as stopped, the next file starts', () => {
    const { queue, videos, images } = setup();
    queue.add([video('long.mp4'), file('a.jpg')]);
    queue.cancel(1);
    expect((videos[0] as VideoWorker).terminated).toBe(true);
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['failed', 'ABORTED'],
      ['hashing', undefined],
    ]);
    expect(images).toHaveLength(1);
    // A message the terminated worker had already sent is ignored.
    (videos[0] as VideoWorker).answer(videoDone(1, '1'));
    expect(queue.getEntries()[0]?.status).toBe('failed');
    // Cancelling a file that is not a video being hashed does nothing.
    queue.cancel(2);
    expect(queue.getEntries()[1]?.status).toBe('hashing');
  });

  it('stops the video when it is removed while being hashed', () => {
    const { queue, videos } = setup();
    queue.add([video('a.mp4'), video('b.mp4')]);
    queue.remove(1);
    expect((videos[0] as VideoWorker).terminated).toBe(true);
    expect(queue.getEntries().map((e) => [e.name, e.status])).toEqual([['b.mp4', 'hashing']]);
    expect(videos).toHaveLength(2);
  });

  it('reports the worker’s error code, and WORKER_FAILED when the worker dies', () => {
    const { queue, videos } = setup();
    queue.add([video('bad.mp4'), video('huge.mp4')]);
    (videos[0] as VideoWorker).answer({ type: 'done', id: 1, ok: false, error: 'VIDEO_CORRUPT', detail: 'the file ends early' });
    (videos[1] as VideoWorker).crash();
    expect(queue.getEntries().map((e) => [e.status, e.error])).toEqual([
      ['failed', 'VIDEO_CORRUPT'],
      ['failed', 'WORKER_FAILED'],
    ]);
    expect((videos[1] as VideoWorker).terminated).toBe(true);
    expect(readyHashes(queue.getEntries())).toEqual([]);
  });

  it('marks a video picked twice as a duplicate', () => {
    const { queue, videos } = setup();
    queue.add([video('a.mp4'), video('a-copy.mp4')]);
    (videos[0] as VideoWorker).answer(videoDone(1, '7'));
    (videos[1] as VideoWorker).answer(videoDone(2, '7'));
    expect(queue.getEntries().map((e) => e.status)).toEqual(['done', 'duplicate']);
  });
});
