// Page side of the hashing: one dedicated worker, files sent one at a time (a phone decoding several
// large photos at once can run out of memory), the list of entries with their state, and local
// thumbnails as object URLs, revoked as soon as an entry leaves the list.
import type { HashErrorCode, HashRequest, HashResponse, ImageHashes } from './protocol';

export type ImageStatus = 'waiting' | 'hashing' | 'done' | 'failed' | 'duplicate';

export interface ImageEntry {
  readonly id: number;
  readonly name: string;
  /** blob: URL of the person's own file, for a thumbnail; it never leaves the page */
  readonly previewUrl: string;
  readonly status: ImageStatus;
  readonly hashes?: ImageHashes;
  readonly error?: HashErrorCode;
}

/** The worker as the queue uses it (a real Worker, or a fake in tests). */
export interface HashWorker {
  onmessage: ((event: MessageEvent<HashResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(request: HashRequest): void;
  terminate(): void;
}

export interface PreviewUrls {
  create(file: File): string;
  revoke(url: string): void;
}

export class ImageQueue {
  private entries: readonly ImageEntry[] = [];
  private readonly listeners = new Set<() => void>();
  private worker: HashWorker | null = null;
  private waiting: HashRequest[] = [];
  private current: number | null = null;
  private nextId = 1;

  constructor(
    private readonly createWorker: () => HashWorker,
    private readonly previews: PreviewUrls,
  ) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getEntries = (): readonly ImageEntry[] => this.entries;

  add(files: Iterable<File>): void {
    const added: ImageEntry[] = [];
    for (const file of files) {
      const id = this.nextId++;
      this.waiting.push({ id, file });
      added.push({ id, name: file.name, previewUrl: this.previews.create(file), status: 'waiting' });
    }
    if (added.length === 0) return;
    this.set([...this.entries, ...added]);
    this.pump();
  }

  remove(id: number): void {
    this.waiting = this.waiting.filter((request) => request.id !== id);
    const entry = this.entries.find((item) => item.id === id);
    if (entry === undefined) return;
    this.previews.revoke(entry.previewUrl);
    this.set(this.entries.filter((item) => item.id !== id));
  }

  /** Forgets everything: entries, thumbnails, files waiting, the worker. */
  reset(): void {
    this.worker?.terminate();
    this.worker = null;
    this.waiting = [];
    this.current = null;
    for (const entry of this.entries) this.previews.revoke(entry.previewUrl);
    this.set([]);
  }

  private set(entries: readonly ImageEntry[]): void {
    this.entries = entries;
    for (const listener of this.listeners) listener();
  }

  private update(id: number, change: (entry: ImageEntry) => ImageEntry): void {
    this.set(this.entries.map((entry) => (entry.id === id ? change(entry) : entry)));
  }

  private pump(): void {
    if (this.current !== null) return;
    const request = this.waiting.shift();
    if (request === undefined) return;
    this.current = request.id;
    this.update(request.id, (entry) => ({ ...entry, status: 'hashing' }));
    this.worker ??= this.startWorker();
    this.worker.postMessage(request);
  }

  private startWorker(): HashWorker {
    const worker = this.createWorker();
    worker.onmessage = (event) => this.finish(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      // The worker died (out of memory on a huge image…): fail the file it held; the next file
      // gets a new worker.
      worker.terminate();
      if (this.worker === worker) this.worker = null;
      if (this.current !== null) this.finish({ id: this.current, ok: false, error: 'WORKER_FAILED' });
    };
    return worker;
  }

  private finish(response: HashResponse): void {
    if (this.current === response.id) this.current = null;
    const entry = this.entries.find((item) => item.id === response.id);
    if (entry !== undefined) {
      if (!response.ok) {
        this.update(entry.id, (item) => ({ ...item, status: 'failed', error: response.error }));
      } else {
        const hashes: ImageHashes = { pdq: response.pdq, quality: response.quality, md5: response.md5, sha256: response.sha256 };
        const duplicate = this.entries.some((other) => other.id !== entry.id && other.status === 'done' && other.hashes?.sha256 === hashes.sha256);
        this.update(entry.id, (item) => ({ ...item, status: duplicate ? 'duplicate' : 'done', hashes }));
      }
    }
    this.pump();
  }
}

/** Entries finished (whatever the outcome) out of all entries. */
export function hashingProgress(entries: readonly ImageEntry[]): { done: number; total: number } {
  const done = entries.filter((entry) => entry.status !== 'waiting' && entry.status !== 'hashing').length;
  return { done, total: entries.length };
}
