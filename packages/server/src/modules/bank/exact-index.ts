// MD5 and SHA-256 digests → bank ids, exactly, in flat typed arrays: the bulk sorted by (digest, id) and
// searched by bisection, recent additions in a small map merged in when it grows past an eighth of the
// bulk. A million digests cost 20 MB (MD5) or 36 MB (SHA-256): the digest and a 4-byte id each, no
// slack — a Map of hex strings would cost ten times that.
//
// @NOTE Not a hash table: digests come from the public (a report may carry any 32 hex digits), and a
// flood of crafted digests that share a table slot's key would turn every lookup into a scan. A sorted
// array costs the same ~20 comparisons whatever the digests are. The same digest under several ids (one
// file reported by several people) is kept once per id, adjacent.

import { radixOrder32 } from '@halte/pdq';

/** An id slot emptied by remove(): skipped by lookups, dropped at the next merge or compaction. */
const REMOVED = 0;

export class ExactIndex {
  readonly #bytes: number;
  readonly #minDelta: number;
  /** the bulk: digest i at #digests[i * bytes], its id #ids[i] (REMOVED once removed), sorted by (digest, id) */
  #digests: Uint8Array;
  #ids: Uint32Array;
  #removed = 0;
  /** additions since the last merge: the digest as a latin1 string → ids */
  #delta = new Map<string, number[]>();
  #deltaCount = 0;

  /**
   * `bytes`: the digest's length (16 for MD5, 32 for SHA-256). `minDelta`: additions kept aside before
   * a merge, at least (tests make it small).
   */
  constructor(bytes: number, minDelta = 4096) {
    if (!Number.isInteger(bytes) || bytes < 4) throw new RangeError('a digest is at least 4 bytes');
    this.#bytes = bytes;
    this.#minDelta = Math.max(1, minDelta);
    this.#digests = new Uint8Array(0);
    this.#ids = new Uint32Array(0);
  }

  /**
   * An index of `ids` (1..2^32−1, each once) and their digests (`bytes` each, concatenated, in the
   * same order), sorted in one pass: the bulk load. The arrays are not kept.
   */
  static fromBytes(bytes: number, ids: Uint32Array, digests: Uint8Array, minDelta?: number): ExactIndex {
    if (digests.length !== ids.length * bytes) throw new RangeError(`fromBytes takes ${bytes} bytes of digest per id`);
    const index = new ExactIndex(bytes, minDelta);
    const order = sortedOrder(bytes, ids, digests);
    const sortedDigests = new Uint8Array(digests.length);
    const sortedIds = new Uint32Array(ids.length);
    let n = 0;
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      const id = ids[i] as number;
      if (id === REMOVED) continue;
      sortedDigests.set(digests.subarray(i * bytes, (i + 1) * bytes), n * bytes);
      sortedIds[n++] = id;
    }
    index.#digests = n === ids.length ? sortedDigests : sortedDigests.slice(0, n * bytes);
    index.#ids = n === ids.length ? sortedIds : sortedIds.slice(0, n);
    return index;
  }

  /** (id, digest) pairs in the index. */
  get size(): number {
    return this.#ids.length - this.#removed + this.#deltaCount;
  }

  /** Bytes held by the bulk's arrays (the delta is small by construction). */
  get byteLength(): number {
    return this.#digests.byteLength + this.#ids.byteLength;
  }

  /** Adds `id` (1..2^32−1) under `digest` (bytes of the configured length); nothing if it is there. */
  add(id: number, digest: Uint8Array): void {
    this.#check(digest);
    if (this.#findInBulk(id, digest) >= 0) return;
    const key = latin1(digest);
    const ids = this.#delta.get(key);
    if (ids?.includes(id)) return;
    if (ids) ids.push(id);
    else this.#delta.set(key, [id]);
    this.#deltaCount++;
    if (this.#deltaCount >= Math.max(this.#minDelta, this.#ids.length >>> 3)) this.#merge();
  }

  /** Removes `id` from under `digest`; returns whether it was there. */
  remove(id: number, digest: Uint8Array): boolean {
    this.#check(digest);
    const key = latin1(digest);
    const ids = this.#delta.get(key);
    const at = ids ? ids.indexOf(id) : -1;
    if (ids && at >= 0) {
      ids.splice(at, 1);
      if (ids.length === 0) this.#delta.delete(key);
      this.#deltaCount--;
      return true;
    }
    const p = this.#findInBulk(id, digest);
    if (p < 0) return false;
    this.#ids[p] = REMOVED;
    this.#removed++;
    // a bulk more than half holes is rewritten (with the delta)
    if (this.#removed * 2 > this.#ids.length) this.#merge();
    return true;
  }

  /** The ids banked under `digest`, ascending, at most `limit` (usually none or one). */
  lookup(digest: Uint8Array, limit = Number.POSITIVE_INFINITY): number[] {
    this.#check(digest);
    const out: number[] = [];
    const ids = this.#ids;
    for (let p = this.#lowerBound(digest); p < ids.length && this.#compareAt(p, digest) === 0; p++) {
      const id = ids[p] as number;
      if (id === REMOVED) continue;
      out.push(id);
      if (out.length >= limit) break; // the bulk's ids ascend: the delta's may still come before some
    }
    const more = this.#delta.get(latin1(digest));
    if (more) {
      out.push(...more);
      out.sort((a, b) => a - b);
    }
    return out.length > limit ? out.slice(0, limit) : out;
  }

  #check(digest: Uint8Array): void {
    if (!(digest instanceof Uint8Array) || digest.length !== this.#bytes) throw new RangeError(`a digest here is ${this.#bytes} bytes`);
  }

  /** Compares the bulk's digest at position p with `digest`. */
  #compareAt(p: number, digest: Uint8Array): number {
    const base = p * this.#bytes;
    const digests = this.#digests;
    for (let i = 0; i < this.#bytes; i++) {
      const d = (digests[base + i] as number) - (digest[i] as number);
      if (d !== 0) return d;
    }
    return 0;
  }

  /** The first position whose digest is not below `digest`. */
  #lowerBound(digest: Uint8Array): number {
    let lo = 0;
    let hi = this.#ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#compareAt(mid, digest) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The bulk position of (id, digest), or −1. */
  #findInBulk(id: number, digest: Uint8Array): number {
    const ids = this.#ids;
    for (let p = this.#lowerBound(digest); p < ids.length && this.#compareAt(p, digest) === 0; p++) {
      if (ids[p] === id) return p;
    }
    return -1;
  }

  /** The bulk and the delta, merged into a new bulk without holes. */
  #merge(): void {
    const bytes = this.#bytes;
    const deltaIds = new Uint32Array(this.#deltaCount);
    const deltaDigests = new Uint8Array(this.#deltaCount * bytes);
    let d = 0;
    for (const [key, ids] of this.#delta) {
      const digest = fromLatin1(key);
      for (const id of ids) {
        deltaIds[d] = id;
        deltaDigests.set(digest, d * bytes);
        d++;
      }
    }
    const order = sortedOrder(bytes, deltaIds, deltaDigests);
    const n = this.#ids.length - this.#removed + d;
    const digests = new Uint8Array(n * bytes);
    const ids = new Uint32Array(n);
    let out = 0;
    let p = 0;
    let k = 0;
    const oldIds = this.#ids;
    const oldDigests = this.#digests;
    while (p < oldIds.length || k < d) {
      if (p < oldIds.length && oldIds[p] === REMOVED) {
        p++;
        continue;
      }
      let takeOld: boolean;
      if (p >= oldIds.length) takeOld = false;
      else if (k >= d) takeOld = true;
      else {
        const j = order[k] as number;
        const c = compareBytes(oldDigests, p * bytes, deltaDigests, j * bytes, bytes);
        takeOld = c < 0 || (c === 0 && (oldIds[p] as number) < (deltaIds[j] as number));
      }
      if (takeOld) {
        digests.set(oldDigests.subarray(p * bytes, (p + 1) * bytes), out * bytes);
        ids[out++] = oldIds[p++] as number;
      } else {
        const j = order[k++] as number;
        digests.set(deltaDigests.subarray(j * bytes, (j + 1) * bytes), out * bytes);
        ids[out++] = deltaIds[j] as number;
      }
    }
    this.#digests = digests;
    this.#ids = ids;
    this.#removed = 0;
    this.#delta = new Map();
    this.#deltaCount = 0;
  }
}

function latin1(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('latin1');
}

function fromLatin1(key: string): Uint8Array {
  return new Uint8Array(Buffer.from(key, 'latin1'));
}

function compareBytes(a: Uint8Array, ai: number, b: Uint8Array, bi: number, length: number): number {
  for (let i = 0; i < length; i++) {
    const d = (a[ai + i] as number) - (b[bi + i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** The order of the entries by (digest, id): a radix sort on the first 4 bytes, then the rare ties on the whole. */
function sortedOrder(bytes: number, ids: Uint32Array, digests: Uint8Array): Uint32Array {
  const n = ids.length;
  const prefix = new Uint32Array(n);
  for (let i = 0, b = 0; i < n; i++, b += bytes) {
    prefix[i] = (((digests[b] as number) << 24) | ((digests[b + 1] as number) << 16) | ((digests[b + 2] as number) << 8) | (digests[b + 3] as number)) >>> 0;
  }
  const order = radixOrder32(prefix);
  // runs sharing their first 4 bytes (rare unless crafted): sorted on the whole digest, then the id
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && prefix[order[end] as number] === prefix[order[start] as number]) end++;
    if (end - start > 1) {
      const run = Array.from(order.subarray(start, end)).sort(
        (i, j) => compareBytes(digests, i * bytes, digests, j * bytes, bytes) || (ids[i] as number) - (ids[j] as number),
      );
      order.set(run, start);
    }
    start = end;
  }
  return order;
}
