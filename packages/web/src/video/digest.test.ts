import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { digestBlob } from './digest';

describe('digestBlob', () => {
  it('gives the MD5 and SHA-256 of every byte, read as a stream in chunks', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31 + (i >> 11)) & 0xff);
    const reads: number[] = [];
    const digests = await digestBlob(new Blob([bytes.subarray(0, 1000), bytes.subarray(1000)]), { onBytes: (read) => reads.push(read) });
    expect(digests).toEqual({ md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(reads.at(-1)).toBe(bytes.length);
    expect(reads.length).toBeGreaterThan(1);
  });

  it('stops when aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const bytes = new Uint8Array(8 * 1024 * 1024);
    const run = digestBlob(new Blob([bytes]), { signal: controller.signal, onBytes: () => controller.abort(reason) });
    await expect(run).rejects.toBe(reason);
  });
});
