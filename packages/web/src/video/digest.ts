// MD5 and SHA-256 of a file's bytes, read as a stream: a video of 2 GB is never in memory at once.
import { createMD5, createSHA256 } from 'hash-wasm';

export interface FileDigests {
  readonly md5: string;
  readonly sha256: string;
}

export interface DigestOptions {
  /** Checked between chunks: the read stops and the reason is thrown. */
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes read so far. */
  readonly onBytes?: (read: number) => void;
}

/** Lower-case hex digests of every byte of `blob`, in one pass over its stream. */
export async function digestBlob(blob: Blob, options: DigestOptions = {}): Promise<FileDigests> {
  const [md5, sha256] = await Promise.all([createMD5(), createSHA256()]);
  md5.init();
  sha256.init();
  const reader = blob.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const chunk = await reader.read();
      if (chunk.done) break;
      md5.update(chunk.value);
      sha256.update(chunk.value);
      read += chunk.value.byteLength;
      options.onBytes?.(read);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex') };
}
