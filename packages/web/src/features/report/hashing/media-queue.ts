// Page side of the hashing: the files a person chose, hashed one at a time (a phone decoding several
// large photos or a video at once can run out of memory), with their state; local thumbnails of the
// pictures as object URLs, revoked as soon as an entry leaves the list.
//
// Pictures go to one dedicated worker, kept between files. Each video gets a worker of its own,
// terminated when the video is done, fails or is cancelled: terminating is the one way to stop a
// decoder at once, and it gives the memory of a long video back.
import { isVideoFile } from '../../../video/limits';
import type { VideoErrorCode, VideoWorkerRequest, VideoWorkerResponse } from '../../../video/protocol';
import type { FileHashes, HashErrorCode, HashRequest, HashResponse } from './protocol';

export type MediaKind = 'image' | 'video';
export type MediaStatus = 'waiting' | 'hashing' | 'done' | 'failed' | 'duplicate';
export type MediaErrorCode = HashErrorCode | VideoErrorCode;

export interface MediaEntry {
  readonly id: number;
  readonly name: string;
  readonly kind: MediaKind;
  /** blob: URL of a picture, for a thumbnail (never for a video); it never leaves the page */
  readonly previewUrl: string | null;
  readonly status: MediaStatus;
  /** a video being hashed: the share (0..1) of it decoded so far */
  readonly progress?: number;
  readonly hashes?: FileHashes;
  readonly error?: MediaErrorCode;
}

/** A worker as the queue uses it (a real Worker, or a fake in tests). */
export interface QueueWorker<Request, Response> {
  onmessage: ((event: MessageEvent<Response>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(request: Request): void;
  terminate(): void;
}

export type HashWorker = QueueWorker<HashRequest, HashResponse>;
export type VideoWorker = QueueWorker<VideoWorkerRequest, VideoWorkerResponse>;

export interface MediaWorkers {
  image(): HashWorker;
  video(): VideoWorker;
}

export interface PreviewUrls {
  create(file: File): string;
  revoke(url: string): void;
}

interface Job {
  readonly id: number;
  readonly kind: MediaKind;
  readonly file: File;
}

export class MediaQueue {
  private entries: readonly MediaEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private imageWorker: HashWorker | null = null;
  private videoWorker: VideoWorker | null = null;
  private waiting: Job[] = [];
  private current: Job | null = null;
  private nextId = 1;

  constructor(
    private readonly workers: MediaWorkers,
    private readonly previews: PreviewUrls,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getEntries = (): readonly MediaEntry[] => this.entries;

  add(files: Iterable<File>): void {
    const added: MediaEntry[] = [];
    for (const file of files) {
      const id = this.nextId++;
      const kind: MediaKind = isVideoFile(file) ? 'video' : 'image';
      this.waiting.push({ id, kind, file });
      added.push({ id, name: file.name, kind, previewUrl: kind === 'image' ? this.previews.create(file) : null, status: 'waiting' });
    }
    if (added.length === 0) return;
    this.set([...this.entries, ...added]);
    this.pump();
  }

  /** Takes the file out of the list; a video being hashed is stopped. */
  remove(id: number): void {
    this.waiting = this.waiting.filter((job) => job.id !== id);
    const entry = this.entries.find((item) => item.id === id);
    if (entry === undefined) return;
    if (entry.previewUrl !== null) this.previews.revoke(entry.previewUrl);
    this.set(this.entries.filter((item) => item.id !== id));
    if (this.current?.id === id && this.current.kind === 'video') {
      this.stopVideoWorker();
      this.current = null;
      this.pump();
    }
  }

  /** Stops hashing the video `id`; it stays in the list, marked as stopped (not sent). */
  cancel(id: number): void {
    if (this.current?.id !== id || this.current.kind !== 'video') return;
    this.stopVideoWorker();
    this.finish(id, { ok: false, error: 'ABORTED' });
  }

  /** Forgets everything: entries, thumbnails, files waiting, the workers. */
  reset(): void {
    this.imageWorker?.terminate();
    this.imageWorker = null;
    this.stopVideoWorker();
    this.waiting = [];
    this.current = null;
    for (const entry of this.entries) if (entry.previewUrl !== null) this.previews.revoke(entry.previewUrl);
    this.set([]);
  }

  private set(entries: readonly MediaEntry[]): void {
    this.entries = entries;
    for (const listener of this.listeners) listener();
  }

  private update(id: number, change: (entry: MediaEntry) => MediaEntry): void {
    this.set(this.entries.map((entry) => (entry.id === id ? change(entry) : entry)));
  }

  private pump(): void {
    if (this.current !== null) return;
    const job = this.waiting.shift();
    if (job === undefined) return;
    this.current = job;
    if (job.kind === 'image') {
      this.update(job.id, (entry) => ({ ...entry, status: 'hashing' }));
      this.imageWorker ??= this.startImageWorker();
      this.imageWorker.postMessage({ id: job.id, file: job.file });
    } else {
      this.update(job.id, (entry) => ({ ...entry, status: 'hashing', progress: 0 }));
      this.videoWorker = this.startVideoWorker();
      this.videoWorker.postMessage({ type: 'hash', id: job.id, file: job.file });
    }
  }

  private startImageWorker(): HashWorker {
    const worker = this.workers.image();
    worker.onmessage = (event) => {
      const response = event.data;
      this.finish(response.id, response.ok ? { ok: true, hashes: { pdq: response.pdq, quality: response.quality, md5: response.md5, sha256: response.sha256 } } : response);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // The worker died (out of memory on a huge image…): fail the file it held; the next file
      // gets a new worker.
      worker.terminate();
      if (this.imageWorker === worker) this.imageWorker = null;
      if (this.current?.kind === 'image') this.finish(this.current.id, { ok: false, error: 'WORKER_FAILED' });
    };
    return worker;
  }

  private startVideoWorker(): VideoWorker {
    const worker = this.workers.video();
    worker.onmessage = (event) => {
      if (this.videoWorker !== worker) return;
      const message = event.data;
      if (message.type === 'progress') {
        if (this.current?.id === message.id) this.update(message.id, (entry) => ({ ...entry, progress: message.share }));
        return;
      }
      this.stopVideoWorker();
      this.finish(message.id, message.ok ? { ok: true, hashes: { md5: message.md5, sha256: message.sha256, vpdq: message.vpdq } } : { ok: false, error: message.error });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      if (this.videoWorker !== worker) return;
      // Out of memory, most likely: this video cannot be hashed on this device.
      this.stopVideoWorker();
      if (this.current?.kind === 'video') this.finish(this.current.id, { ok: false, error: 'WORKER_FAILED' });
    };
    return worker;
  }

  private stopVideoWorker(): void {
    this.videoWorker?.terminate();
    this.videoWorker = null;
  }

  private finish(id: number, outcome: { readonly ok: true; readonly hashes: FileHashes } | { readonly ok: false; readonly error: MediaErrorCode }): void {
    if (this.current?.id === id) this.current = null;
    const entry = this.entries.find((item) => item.id === id);
    if (entry !== undefined) {
      if (!outcome.ok) {
        this.update(id, ({ progress: _progress, ...item }) => ({ ...item, status: 'failed', error: outcome.error }));
      } else {
        const { hashes } = outcome;
        const duplicate = this.entries.some((other) => other.id !== id && other.status === 'done' && other.hashes?.sha256 === hashes.sha256);
        this.update(id, ({ progress: _progress, ...item }) => ({ ...item, status: duplicate ? 'duplicate' : 'done', hashes }));
      }
    }
    this.pump();
  }
}

/**
 * Entries finished (whatever the outcome) out of all entries, and the work done as a number of files
 * (a video half hashed counts one half), for a progress bar.
 */
export function hashingProgress(entries: readonly MediaEntry[]): { done: number; total: number; work: number } {
  const done = entries.filter((entry) => entry.status !== 'waiting' && entry.status !== 'hashing').length;
  const partial = entries.reduce((sum, entry) => sum + (entry.status === 'hashing' ? (entry.progress ?? 0) : 0), 0);
  return { done, total: entries.length, work: done + partial };
}

/** The fingerprints of the files ready to send (done; duplicates and failures are not sent). */
export function readyHashes(entries: readonly MediaEntry[]): FileHashes[] {
  return entries.flatMap((entry) => (entry.status === 'done' && entry.hashes !== undefined ? [entry.hashes] : []));
}
