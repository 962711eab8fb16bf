import { PDQ_HASH_BITS, PDQ_MATCH_THRESHOLD } from './constants.js';
import { PdqError } from './errors.js';
import { describe, hexToWords, popcount32, wordsToHex } from './hash256.js';
import { radixOrder32 } from './radix.js';

// Multi-index hashing (Norouzi et al., 2014) over flat typed arrays. See docs/decisions/0005-pdq-index.md
// for the layout and the measurements behind it. In short:
//
// - The index is a small unsorted buffer (scanned linearly) plus immutable segments, merged like a
//   binary counter as the buffer fills (a log-structured layout), so add and remove stay cheap while
//   queries only ever touch flat arrays.
// - A segment cuts the 256 bits into m slots (8..16) of w bits. By the pigeonhole principle a hash
//   within distance d of the query is within r_i of it in some slot i as soon as Σ(r_i + 1) > d; the
//   radii are chosen per query by a cost model.
// - Per slot, a counting sort by the slot's top t bits gives `tables` (2^t + 1 offsets) into
//   `postings`. A posting is one 32-bit word: the hash's position in its high bits and, in the bits
//   the position leaves free, the slot's next bits. Probing a bucket reads a contiguous run and
//   filters on those extra bits without touching the hashes; only the survivors (a few hundred per
//   query on 10M random hashes) are read and verified with the exact distance. Memory is therefore
//   32 (hash) + 4 (id) + 4·m (postings) + tables: about 77 bytes per hash at 10M.
// - A hash that is within radius in several slots is reported only from the first such slot, so
//   results need no de-duplication set.

/** A match: the id given to `add` and the Hamming distance to the query. */
export interface PdqMatch {
  readonly id: number;
  readonly distance: number;
}

export interface PdqIndexOptions {
  /**
   * Number of slots for every segment (8..16). By default each segment picks the count its cost
   * model finds fastest within 100 bytes per hash; set it only to test or measure a layout.
   */
  readonly slots?: number;
  /** Hashes kept in the linearly scanned buffer before they become a segment (default 2048). */
  readonly bufferSize?: number;
}

const MAX_ID = 0xffffffff;
const MIN_SLOTS = 8;
const MAX_SLOTS = 16;
/** Largest bucket table: 2^22 offsets (16 MiB) per slot. */
const MAX_TABLE_BITS = 22;
/** Above this radius in a slot the number of buckets explodes; such plans are not considered. */
const MAX_SLOT_RADIUS = 4;
/** Memory budget the default layout aims at, in bytes per hash. */
const BYTES_PER_HASH_BUDGET = 100;
// Relative costs, in units of one posting read in a run, measured on this kind of machine: a bucket
// is a cache miss in the table and one at the start of its run; a candidate is a random read of its
// 32-byte hash (a cache and TLB miss at 10M hashes); a linearly scanned hash is sequential.
const COST_BUCKET = 16;
const COST_CANDIDATE = 36;
const COST_SCANNED_HASH = 2;

const SERIAL_MAGIC = [0x48, 0x4c, 0x54, 0x50, 0x44, 0x51, 0x30, 0x31]; // "HLTPDQ01"

interface Layout {
  readonly m: number;
  /** Bit offset of each slot. */
  readonly offsets: Int32Array;
  /** Width in bits of each slot. */
  readonly widths: Int32Array;
  /** Top bits of the slot value that index its bucket table. */
  readonly tableBits: Int32Array;
  /** Following bits of the slot value kept in the low bits of each posting. */
  readonly extraBits: Int32Array;
  /** Bytes per hash this layout costs. */
  readonly bytesPerHash: number;
}

function layoutFor(count: number, m: number, tableCap: number): Layout {
  const widths = new Int32Array(m);
  const offsets = new Int32Array(m);
  const tableBits = new Int32Array(m);
  const extraBits = new Int32Array(m);
  const base = Math.floor(PDQ_HASH_BITS / m);
  const wide = PDQ_HASH_BITS - base * m; // this many slots get one more bit
  const positionBits = Math.max(1, Math.ceil(Math.log2(Math.max(2, count))));
  const free = 32 - positionBits;
  let at = 0;
  let tableEntries = 0;
  for (let i = 0; i < m; i++) {
    const w = base + (i < wide ? 1 : 0);
    const t = Math.min(w, tableCap);
    widths[i] = w;
    offsets[i] = at;
    tableBits[i] = t;
    extraBits[i] = Math.min(free, w - t);
    tableEntries += 2 ** t + 1;
    at += w;
  }
  const bytesPerHash = 36 + 4 * m + (4 * tableEntries) / Math.max(1, count) + 1 / 8;
  return { m, offsets, widths, tableBits, extraBits, bytesPerHash };
}

/** Entries of a bucket and survivors of the extra-bit filter for slot s at radius r. */
function slotCost(layout: Layout, s: number, r: number, count: number): number {
  const t = layout.tableBits[s] as number;
  const e = layout.extraBits[s] as number;
  let buckets = 0;
  for (let k = 0; k <= Math.min(r, t); k++) buckets += binomial(t, k);
  let survivors = 0;
  for (let k = 0; k <= Math.min(r, t + e); k++) survivors += binomial(t + e, k);
  return buckets * COST_BUCKET + (buckets * count) / 2 ** t + (survivors * count * COST_CANDIDATE) / 2 ** (t + e);
}

/**
 * Per-slot radii with Σ(r + 1) ≥ maxDistance + 1 at the least estimated cost (greedy: the cost of a
 * slot grows with its radius), and that cost; radii null when a linear scan is cheaper.
 */
function planQuery(layout: Layout, count: number, maxDistance: number): { radii: Int32Array | null; cost: number } {
  const m = layout.m;
  const radii = new Int32Array(m);
  let cost = 0;
  for (let s = 0; s < m; s++) cost += slotCost(layout, s, 0, count);
  const scanCost = count * COST_SCANNED_HASH;
  for (let budget = m; budget < maxDistance + 1; budget++) {
    let best = -1;
    let bestExtra = Infinity;
    for (let s = 0; s < m; s++) {
      const r = radii[s] as number;
      if (r >= MAX_SLOT_RADIUS) continue;
      const extra = slotCost(layout, s, r + 1, count) - slotCost(layout, s, r, count);
      if (extra < bestExtra) {
        bestExtra = extra;
        best = s;
      }
    }
    if (best < 0) return { radii: null, cost: scanCost };
    radii[best] = (radii[best] as number) + 1;
    cost += bestExtra;
  }
  return cost < scanCost ? { radii, cost } : { radii: null, cost: scanCost };
}

// The slot count and table size whose layout answers a query at the match threshold fastest within
// the memory budget (or, if none fits, the smallest layout).
function chooseLayout(count: number, forcedSlots: number | undefined): Layout {
  const sizeBits = Math.floor(Math.log2(Math.max(2, count)));
  let best: Layout | undefined;
  let bestCost = Infinity;
  let smallest: Layout | undefined;
  for (let m = forcedSlots ?? MIN_SLOTS; m <= (forcedSlots ?? MAX_SLOTS); m++) {
    for (let cap = Math.max(0, sizeBits - 6); cap <= Math.min(MAX_TABLE_BITS, sizeBits + 1); cap++) {
      const layout = layoutFor(count, m, cap);
      if (!smallest || layout.bytesPerHash < smallest.bytesPerHash) smallest = layout;
      if (layout.bytesPerHash > BYTES_PER_HASH_BUDGET) continue;
      const { cost } = planQuery(layout, count, PDQ_MATCH_THRESHOLD);
      if (cost < bestCost) {
        bestCost = cost;
        best = layout;
      }
    }
  }
  return best ?? (smallest as Layout);
}

function slotValue(words: Uint32Array, base: number, offset: number, width: number): number {
  const w = base + (offset >>> 5);
  const shift = offset & 31;
  let v = (words[w] as number) >>> shift;
  if (shift + width > 32) v |= (words[w + 1] as number) << (32 - shift);
  return width === 32 ? v >>> 0 : (v & ((1 << width) - 1)) >>> 0;
}

const maskCache = new Map<number, Int32Array>();

/** All masks over `bits` bits with at most `radius` bits set, fewest bits first. */
function masksWithin(bits: number, radius: number): Int32Array {
  const key = bits * 16 + radius;
  let masks = maskCache.get(key);
  if (masks) return masks;
  const list: number[] = [0];
  let layer = [0];
  let lastBit = [-1];
  for (let r = 1; r <= radius; r++) {
    const nextLayer: number[] = [];
    const nextLast: number[] = [];
    for (let i = 0; i < layer.length; i++) {
      for (let b = (lastBit[i] as number) + 1; b < bits; b++) {
        nextLayer.push((layer[i] as number) | (1 << b));
        nextLast.push(b);
      }
    }
    list.push(...nextLayer);
    layer = nextLayer;
    lastBit = nextLast;
  }
  masks = Int32Array.from(list);
  maskCache.set(key, masks);
  return masks;
}

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** An immutable block of hashes sorted by id, with one bucket table per slot. */
class Segment {
  readonly ids: Uint32Array;
  readonly words: Uint32Array;
  readonly count: number;
  readonly removed: Uint8Array;
  removedCount = 0;
  readonly layout: Layout;
  readonly tables: Uint32Array[];
  readonly postings: Uint32Array[];

  /** `ids` must be strictly ascending; `words` holds 8 words per id. Both are kept, not copied. */
  constructor(ids: Uint32Array, words: Uint32Array, forcedSlots: number | undefined) {
    this.ids = ids;
    this.words = words;
    this.count = ids.length;
    this.removed = new Uint8Array((this.count + 7) >>> 3);
    this.layout = chooseLayout(this.count, forcedSlots);
    this.tables = [];
    this.postings = [];
    const { m, offsets, widths, tableBits, extraBits } = this.layout;
    const n = this.count;
    const values = new Uint32Array(n);
    for (let s = 0; s < m; s++) {
      const off = offsets[s] as number;
      const width = widths[s] as number;
      const t = tableBits[s] as number;
      const e = extraBits[s] as number;
      const keyShift = width - t;
      const extraShift = width - t - e;
      const extraMask = e === 0 ? 0 : (2 ** e - 1) >>> 0;
      const table = new Uint32Array(2 ** t + 1);
      for (let p = 0; p < n; p++) {
        const v = slotValue(words, p * 8, off, width);
        values[p] = v;
        const k = keyShift >= 32 ? 0 : v >>> keyShift;
        table[k + 1] = (table[k + 1] as number) + 1;
      }
      for (let k = 1; k < table.length; k++) table[k] = (table[k] as number) + (table[k - 1] as number);
      const cursor = table.slice(0, table.length - 1);
      const posting = new Uint32Array(n);
      for (let p = 0; p < n; p++) {
        const v = values[p] as number;
        const k = keyShift >= 32 ? 0 : v >>> keyShift;
        posting[cursor[k] as number] = ((p << e) | ((v >>> extraShift) & extraMask)) >>> 0;
        cursor[k] = (cursor[k] as number) + 1;
      }
      this.tables.push(table);
      this.postings.push(posting);
    }
  }

  get live(): number {
    return this.count - this.removedCount;
  }

  get byteLength(): number {
    let bytes = this.ids.byteLength + this.words.byteLength + this.removed.byteLength;
    for (const t of this.tables) bytes += t.byteLength;
    for (const p of this.postings) bytes += p.byteLength;
    return bytes;
  }

  isRemoved(p: number): boolean {
    return ((this.removed[p >>> 3] as number) & (1 << (p & 7))) !== 0;
  }

  /** Position of `id`, or -1. */
  find(id: number): number {
    let lo = 0;
    let hi = this.count - 1;
    const ids = this.ids;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid] as number;
      if (v < id) lo = mid + 1;
      else if (v > id) hi = mid - 1;
      else return this.isRemoved(mid) ? -1 : mid;
    }
    return -1;
  }

  markRemoved(p: number): void {
    this.removed[p >>> 3] = (this.removed[p >>> 3] as number) | (1 << (p & 7));
    this.removedCount++;
  }

  /** Plans by maxDistance, computed once: the layout and count of a segment never change. */
  readonly #plans: (Int32Array | null | undefined)[] = [];

  query(q: Uint32Array, maxDistance: number, out: PdqMatch[]): void {
    let radii = this.#plans[maxDistance];
    if (radii === undefined) {
      radii = planQuery(this.layout, this.count, maxDistance).radii;
      this.#plans[maxDistance] = radii;
    }
    if (radii === null) {
      scan(this.words, this.ids, this.count, q, maxDistance, out, this);
      return;
    }
    const { m, offsets, widths, tableBits, extraBits } = this.layout;
    const words = this.words;
    const ids = this.ids;
    const removed = this.removed;
    const qSlots = new Uint32Array(m);
    for (let s = 0; s < m; s++) qSlots[s] = slotValue(q, 0, offsets[s] as number, widths[s] as number);

    // Three passes per slot so that the memory reads of each pass are independent of one another and
    // the processor can overlap their cache misses: bucket bounds, then the runs (sequential, filtered
    // on the posting's extra bits), then the survivors' hashes, verified without early exits.
    for (let s = 0; s < m; s++) {
      const width = widths[s] as number;
      const t = tableBits[s] as number;
      const e = extraBits[s] as number;
      const r = radii[s] as number;
      // When table and extra bits cover the slot, the filter computes the slot distance exactly.
      const exact = t + e === width;
      const qv = qSlots[s] as number;
      const keyShift = width - t;
      const qKey = keyShift >= 32 ? 0 : qv >>> keyShift;
      const extraMask = e === 0 ? 0 : (2 ** e - 1) >>> 0;
      const qExtra = (qv >>> (width - t - e)) & extraMask;
      const table = this.tables[s] as Uint32Array;
      const posting = this.postings[s] as Uint32Array;
      const masks = masksWithin(t, Math.min(r, t));
      const nb = masks.length;
      const bounds = scratchBounds(nb);
      for (let mi = 0; mi < nb; mi++) {
        const key = (qKey ^ (masks[mi] as number)) >>> 0;
        bounds[2 * mi] = table[key] as number;
        bounds[2 * mi + 1] = table[key + 1] as number;
      }
      let nc = 0;
      let cands = scratch.candidates;
      for (let mi = 0; mi < nb; mi++) {
        const allowed = r - popcount32(masks[mi] as number);
        const end = bounds[2 * mi + 1] as number;
        const start = bounds[2 * mi] as number;
        if (nc + (end - start) > cands.length) cands = growCandidates(nc + (end - start));
        for (let i = start; i < end; i++) {
          const entry = posting[i] as number;
          cands[nc] = entry >>> e;
          nc += popcount32((entry ^ qExtra) & extraMask) <= allowed ? 1 : 0;
        }
      }
      const q0 = q[0] as number;
      const q1 = q[1] as number;
      const q2 = q[2] as number;
      const q3 = q[3] as number;
      const q4 = q[4] as number;
      const q5 = q[5] as number;
      const q6 = q[6] as number;
      const q7 = q[7] as number;
      for (let c = 0; c < nc; c++) {
        const p = cands[c] as number;
        const b = p * 8;
        const d =
          popcount32((words[b] as number) ^ q0) +
          popcount32((words[b + 1] as number) ^ q1) +
          popcount32((words[b + 2] as number) ^ q2) +
          popcount32((words[b + 3] as number) ^ q3) +
          popcount32((words[b + 4] as number) ^ q4) +
          popcount32((words[b + 5] as number) ^ q5) +
          popcount32((words[b + 6] as number) ^ q6) +
          popcount32((words[b + 7] as number) ^ q7);
        if (d > maxDistance) continue;
        if (((removed[p >>> 3] as number) & (1 << (p & 7))) !== 0) continue;
        // Report each hash once: from the first slot in which it is within that slot's radius.
        if (!exact && popcount32(slotValue(words, b, offsets[s] as number, width) ^ qv) > r) continue;
        let seenBefore = false;
        for (let o = 0; o < s; o++) {
          const ov = slotValue(words, b, offsets[o] as number, widths[o] as number);
          if (popcount32(ov ^ (qSlots[o] as number)) <= (radii[o] as number)) {
            seenBefore = true;
            break;
          }
        }
        if (!seenBefore) out.push({ id: ids[p] as number, distance: d });
      }
    }
  }
}

// Scratch arrays shared by all queries (JavaScript runs one query at a time per thread).
const scratch: { bounds: Uint32Array; candidates: Uint32Array } = {
  bounds: new Uint32Array(4096),
  candidates: new Uint32Array(1 << 16),
};

function scratchBounds(buckets: number): Uint32Array {
  if (scratch.bounds.length < 2 * buckets) scratch.bounds = new Uint32Array(2 * buckets);
  return scratch.bounds;
}

function growCandidates(needed: number): Uint32Array {
  let size = scratch.candidates.length;
  while (size < needed + 1) size *= 2;
  const next = new Uint32Array(size);
  next.set(scratch.candidates);
  scratch.candidates = next;
  return next;
}

function scan(
  words: Uint32Array,
  ids: Uint32Array,
  count: number,
  q: Uint32Array,
  maxDistance: number,
  out: PdqMatch[],
  segment: Segment | null,
): void {
  const q0 = q[0] as number;
  const q1 = q[1] as number;
  const q2 = q[2] as number;
  const q3 = q[3] as number;
  const q4 = q[4] as number;
  const q5 = q[5] as number;
  const q6 = q[6] as number;
  const q7 = q[7] as number;
  for (let p = 0, b = 0; p < count; p++, b += 8) {
    let d = popcount32((words[b] as number) ^ q0) + popcount32((words[b + 1] as number) ^ q1);
    if (d > maxDistance) continue;
    d += popcount32((words[b + 2] as number) ^ q2) + popcount32((words[b + 3] as number) ^ q3);
    d += popcount32((words[b + 4] as number) ^ q4) + popcount32((words[b + 5] as number) ^ q5);
    d += popcount32((words[b + 6] as number) ^ q6) + popcount32((words[b + 7] as number) ^ q7);
    if (d > maxDistance) continue;
    if (segment !== null && segment.isRemoved(p)) continue;
    out.push({ id: ids[p] as number, distance: d });
  }
}

function byDistanceThenId(a: PdqMatch, b: PdqMatch): number {
  return a.distance - b.distance || a.id - b.id;
}

function checkId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_ID) {
    throw new PdqError('INDEX_ID_INVALID', `an index id is an integer from 0 to ${MAX_ID}; got ${describe(id)}`);
  }
  return id;
}

function checkDistance(d: unknown): number {
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > PDQ_HASH_BITS) {
    throw new PdqError('INDEX_DISTANCE_INVALID', `maxDistance is an integer from 0 to 256; got ${describe(d)}`);
  }
  return d;
}

function bytesToWordsInto(bytes: Uint8Array, at: number, out: Uint32Array, offset: number): void {
  for (let w = 0; w < 8; w++) {
    const p = at + (7 - w) * 4;
    out[offset + w] =
      (((bytes[p] as number) << 24) | ((bytes[p + 1] as number) << 16) | ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number)) >>>
      0;
  }
}

function hashToWords(hash: string | Uint8Array, out: Uint32Array, offset: number): void {
  if (typeof hash === 'string') {
    hexToWords(hash, out, offset);
    return;
  }
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    throw new PdqError('HASH_BYTES_INVALID', `a PDQ hash is 64 hex digits or 32 bytes; got ${describe(hash)}`);
  }
  bytesToWordsInto(hash, 0, out, offset);
}

/** Sorts (id, 8 words) pairs by id; returns null if an id repeats. */
function sortById(ids: Uint32Array, words: Uint32Array): { ids: Uint32Array; words: Uint32Array } | null {
  const n = ids.length;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if ((ids[i] as number) <= (ids[i - 1] as number)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return { ids, words };
  const order = radixOrder32(ids);
  const outIds = new Uint32Array(n);
  const outWords = new Uint32Array(n * 8);
  for (let i = 0; i < n; i++) {
    const src = order[i] as number;
    outIds[i] = ids[src] as number;
    if (i > 0 && outIds[i] === outIds[i - 1]) return null;
    outWords.set(words.subarray(src * 8, src * 8 + 8), i * 8);
  }
  return { ids: outIds, words: outWords };
}

/**
 * A nearest-neighbour index of PDQ hashes under Hamming distance. `query` returns exactly the set a
 * linear scan returns. Ids are integers from 0 to 2^32 − 1 (a bank entry's number); adding an id
 * that is already there replaces its hash.
 *
 * @example
 * ```ts
 * const index = new PdqIndex();
 * index.add(1, 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22');
 * index.query(uploadHash, PDQ_MATCH_THRESHOLD); // → [{ id: 1, distance: 4 }]
 * ```
 */
export class PdqIndex {
  readonly #options: PdqIndexOptions;
  readonly #bufferCapacity: number;
  #segments: Segment[] = [];
  #bufferIds: Uint32Array;
  #bufferWords: Uint32Array;
  #bufferCount = 0;
  readonly #bufferPos = new Map<number, number>();
  readonly #scratch = new Uint32Array(8);

  constructor(options: PdqIndexOptions = {}) {
    const { slots, bufferSize = 2048 } = options;
    if (slots !== undefined && (!Number.isInteger(slots) || slots < MIN_SLOTS || slots > MAX_SLOTS)) {
      throw new PdqError('OPTION_INVALID', `slots is an integer from ${MIN_SLOTS} to ${MAX_SLOTS}; got ${describe(slots)}`);
    }
    if (!Number.isInteger(bufferSize) || bufferSize < 1 || bufferSize > 1 << 20) {
      throw new PdqError('OPTION_INVALID', `bufferSize is an integer from 1 to ${1 << 20}; got ${describe(bufferSize)}`);
    }
    this.#options = slots === undefined ? {} : { slots }; // a copy: later changes to the caller's object do not apply
    this.#bufferCapacity = bufferSize;
    this.#bufferIds = new Uint32Array(bufferSize);
    this.#bufferWords = new Uint32Array(bufferSize * 8);
  }

  /**
   * Builds an index in one pass from `ids` and their hashes as 32 big-endian bytes each (the
   * `hexToBytes` form, concatenated) — the fast path for loading a whole bank.
   */
  static fromBytes(ids: Uint32Array, hashes: Uint8Array, options: PdqIndexOptions = {}): PdqIndex {
    if (!(ids instanceof Uint32Array) || !(hashes instanceof Uint8Array) || hashes.length !== ids.length * 32) {
      throw new PdqError('INDEX_DATA_INVALID', 'fromBytes takes a Uint32Array of ids and 32 bytes of hash per id');
    }
    const words = new Uint32Array(ids.length * 8);
    for (let i = 0; i < ids.length; i++) bytesToWordsInto(hashes, i * 32, words, i * 8);
    const sorted = sortById(ids, words);
    if (sorted === null) throw new PdqError('INDEX_DATA_INVALID', 'an id appears more than once');
    const index = new PdqIndex(options);
    // The segment keeps the arrays it is given: copy ids when the caller's array was used as is.
    const ownIds = sorted.ids === ids ? ids.slice() : sorted.ids;
    if (ownIds.length > 0) index.#segments.push(new Segment(ownIds, sorted.words, options.slots));
    return index;
  }

  /** Number of hashes in the index. */
  get size(): number {
    let n = this.#bufferCount;
    for (const s of this.#segments) n += s.live;
    return n;
  }

  /** Bytes held by the index's arrays (what the index costs in memory, give or take a few objects). */
  get byteLength(): number {
    let n = this.#bufferIds.byteLength + this.#bufferWords.byteLength;
    for (const s of this.#segments) n += s.byteLength;
    return n;
  }

  /** How the index is laid out now: its segments (size, slots, bytes per hash) and buffer. */
  stats(): { buffered: number; segments: { count: number; removed: number; slots: number; bytesPerHash: number }[] } {
    return {
      buffered: this.#bufferCount,
      segments: this.#segments.map((s) => ({
        count: s.count,
        removed: s.removedCount,
        slots: s.layout.m,
        bytesPerHash: s.count === 0 ? 0 : s.byteLength / s.count,
      })),
    };
  }

  /** Adds a hash (64 hex digits or 32 bytes) under `id`, replacing any hash that id had. */
  add(id: number, hash: string | Uint8Array): void {
    checkId(id);
    hashToWords(hash, this.#scratch, 0);
    this.remove(id);
    if (this.#bufferCount === this.#bufferCapacity) this.#flush();
    const at = this.#bufferCount++;
    this.#bufferIds[at] = id;
    this.#bufferWords.set(this.#scratch, at * 8);
    this.#bufferPos.set(id, at);
  }

  /** Removes `id`; returns whether it was there. */
  remove(id: number): boolean {
    checkId(id);
    const at = this.#bufferPos.get(id);
    if (at !== undefined) {
      const last = --this.#bufferCount;
      this.#bufferPos.delete(id);
      if (at !== last) {
        const movedId = this.#bufferIds[last] as number;
        this.#bufferIds[at] = movedId;
        this.#bufferWords.copyWithin(at * 8, last * 8, last * 8 + 8);
        this.#bufferPos.set(movedId, at);
      }
      return true;
    }
    for (let i = 0; i < this.#segments.length; i++) {
      const seg = this.#segments[i] as Segment;
      const p = seg.find(id);
      if (p < 0) continue;
      seg.markRemoved(p);
      // A segment more than half removed is rebuilt without its holes.
      if (seg.removedCount * 2 > seg.count) this.#segments[i] = compact([seg], this.#options.slots);
      this.#segments = this.#segments.filter((s) => s.count > 0);
      return true;
    }
    return false;
  }

  /** Whether `id` is in the index. */
  has(id: number): boolean {
    checkId(id);
    if (this.#bufferPos.has(id)) return true;
    return this.#segments.some((s) => s.find(id) >= 0);
  }

  /** The hash stored under `id`, or undefined. */
  get(id: number): string | undefined {
    checkId(id);
    const at = this.#bufferPos.get(id);
    if (at !== undefined) return wordsToHex(this.#bufferWords, at * 8);
    for (const s of this.#segments) {
      const p = s.find(id);
      if (p >= 0) return wordsToHex(s.words, p * 8);
    }
    return undefined;
  }

  /**
   * Every hash within `maxDistance` (default {@link PDQ_MATCH_THRESHOLD}) of `hash`, nearest first
   * (ties by id). Up to 31 — the match threshold — the index answers from its slots; beyond, it may
   * scan.
   */
  query(hash: string | Uint8Array, maxDistance: number = PDQ_MATCH_THRESHOLD): PdqMatch[] {
    checkDistance(maxDistance);
    const q = new Uint32Array(8);
    hashToWords(hash, q, 0);
    const out: PdqMatch[] = [];
    for (const s of this.#segments) s.query(q, maxDistance, out);
    scan(this.#bufferWords, this.#bufferIds, this.#bufferCount, q, maxDistance, out, null);
    return out.sort(byDistanceThenId);
  }

  /** `query` for each hash, in order. */
  queryMany(hashes: readonly (string | Uint8Array)[], maxDistance: number = PDQ_MATCH_THRESHOLD): PdqMatch[][] {
    checkDistance(maxDistance);
    return hashes.map((h) => this.query(h, maxDistance));
  }

  /**
   * The index's content as bytes: "HLTPDQ01", the count (u32 LE), the ids ascending (u32 LE), the
   * hashes (32 big-endian bytes each), an FNV-1a checksum (u32 LE) of everything before it.
   */
  serialize(): Uint8Array {
    const n0 = this.#bufferCount;
    const all = collectLive(this.#segments, this.#bufferIds.subarray(0, n0), this.#bufferWords.subarray(0, n0 * 8));
    const n = all.ids.length;
    const bytes = new Uint8Array(8 + 4 + n * 36 + 4);
    const view = new DataView(bytes.buffer);
    bytes.set(SERIAL_MAGIC, 0);
    view.setUint32(8, n, true);
    let at = 12;
    for (let i = 0; i < n; i++, at += 4) view.setUint32(at, all.ids[i] as number, true);
    for (let i = 0; i < n * 8; i += 8) {
      for (let w = 7; w >= 0; w--, at += 4) view.setUint32(at, all.words[i + w] as number, false);
    }
    view.setUint32(at, fnv1a(bytes, 0, at), true);
    return bytes;
  }

  /** Rebuilds an index from {@link PdqIndex.serialize}'s bytes, checking their format and checksum. */
  static deserialize(bytes: Uint8Array, options: PdqIndexOptions = {}): PdqIndex {
    if (!(bytes instanceof Uint8Array) || bytes.length < 16) {
      throw new PdqError('INDEX_DATA_INVALID', 'not a serialized PDQ index (too short)');
    }
    for (let i = 0; i < 8; i++) {
      if (bytes[i] !== SERIAL_MAGIC[i]) throw new PdqError('INDEX_DATA_INVALID', 'not a serialized PDQ index (bad magic)');
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = view.getUint32(8, true);
    if (bytes.length !== 16 + n * 36) {
      throw new PdqError('INDEX_DATA_INVALID', `a serialized index of ${n} hashes has ${16 + n * 36} bytes; got ${bytes.length}`);
    }
    const end = bytes.length - 4;
    if (view.getUint32(end, true) !== fnv1a(bytes, 0, end)) {
      throw new PdqError('INDEX_DATA_INVALID', 'the serialized index is damaged (checksum mismatch)');
    }
    const ids = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = view.getUint32(12 + i * 4, true);
      if (i > 0 && (ids[i] as number) <= (ids[i - 1] as number)) {
        throw new PdqError('INDEX_DATA_INVALID', 'the serialized ids are not strictly ascending');
      }
    }
    return PdqIndex.fromBytes(ids, bytes.subarray(12 + n * 4, end), options);
  }

  // The buffer becomes a segment; then, like a binary counter, the two newest segments merge while
  // the older one is at most twice as large, keeping O(log n) segments.
  #flush(): void {
    const n = this.#bufferCount;
    const { ids, words } = collectLive([], this.#bufferIds.slice(0, n), this.#bufferWords.slice(0, n * 8));
    this.#segments.push(new Segment(ids, words, this.#options.slots));
    this.#bufferCount = 0;
    this.#bufferPos.clear();
    const segs = this.#segments;
    while (segs.length >= 2) {
      const last = segs[segs.length - 1] as Segment;
      const prev = segs[segs.length - 2] as Segment;
      if (prev.live > 2 * last.live) break;
      segs.splice(segs.length - 2, 2, compact([prev, last], this.#options.slots));
    }
  }
}

/** The live entries of segments (and extra pairs), sorted by id; ids are disjoint across them. */
function collectLive(
  segments: readonly Segment[],
  extraIds: Uint32Array = new Uint32Array(0),
  extraWords: Uint32Array = new Uint32Array(0),
): { ids: Uint32Array; words: Uint32Array } {
  let n = extraIds.length;
  for (const s of segments) n += s.live;
  const ids = new Uint32Array(n);
  const words = new Uint32Array(n * 8);
  let at = 0;
  for (const s of segments) {
    for (let p = 0; p < s.count; p++) {
      if (s.isRemoved(p)) continue;
      ids[at] = s.ids[p] as number;
      words.set(s.words.subarray(p * 8, p * 8 + 8), at * 8);
      at++;
    }
  }
  ids.set(extraIds, at);
  words.set(extraWords, at * 8);
  const sorted = sortById(ids, words);
  if (sorted === null) throw new Error('@NOTE unreachable: ids are unique across segments');
  return sorted;
}

/** Merges segments' live entries into one new segment. */
function compact(segments: readonly Segment[], slots: number | undefined): Segment {
  const { ids, words } = collectLive(segments);
  return new Segment(ids, words, slots);
}

function fnv1a(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}
