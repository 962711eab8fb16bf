// The match index of this server instance: the whole active bank in memory — PDQ in a multi-index
// PdqIndex, videos in a VpdqIndex, MD5/SHA-256 in ExactIndex arrays — loaded from the bank's change
// feed when the server starts and kept fresh by following that feed (every pollMs). A hash written on
// any instance is matchable on every instance within about pollMs plus a query. Until the load has
// caught up, match() throws IndexNotReadyError: the route answers 503, never a silent no-match.
import { MAX_MATCH_DISTANCE, type HashMatch, type MatchItem, type MatchResponse } from '@halte/contract';
import { isPdqError, PdqIndex, VpdqIndex } from '@halte/pdq';
import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema/index.js';
import type { Logger } from '../../log/logger.js';
import { FEED_START, type FeedPosition } from './cursor.js';
import { ExactIndex } from './exact-index.js';
import { positionOf, readChanges, type FeedRow } from './feed.js';

export class IndexNotReadyError extends Error {
  override readonly name = 'IndexNotReadyError';
}

export interface BankMatcherOptions {
  readonly log: Logger;
  /** how often the bank's change feed is polled, ms (default 500) */
  readonly pollMs?: number;
  /** called once when a hash matches more than abnormalMatchesPerHour (the caller suspends it) */
  readonly onAbnormal?: (hashId: number) => Promise<unknown>;
  /** matches of one hash, in this instance, over the last hour, above which it is reported abnormal (default 1,000; at most 65,000) */
  readonly abnormalMatchesPerHour?: number;
  /** rows per read of the feed while loading (default 20,000) and while following it (default 5,000) */
  readonly loadPageSize?: number;
  readonly pollPageSize?: number;
  /** the clock of the abnormal-match window, ms (tests) */
  readonly now?: () => number;
}

/** Matches listed per item at most (closest first): bounds the answer. */
export const MAX_MATCHES_PER_ITEM = 100;
/**
 * The highest bank id the indexes take (they hold ids as uint32). Bank ids are a sequence from 1: a
 * million a year would last four thousand years. A row beyond is logged and not matchable.
 */
export const MAX_INDEXED_ID = 0xffffffff;
const HOUR_MS = 3_600_000;
/** After a failed read of the feed, the next one waits this many polls; logged on the first failure, then every 60th. */
const LOAD_RETRY_POLLS = 4;
const LOG_EVERY_FAILURES = 60;

// per id, one byte: the signal (low 3 bits) and the provenance (bit 3); 0 = not in the indexes
const SIGNAL_CODE = { pdq: 1, md5: 2, sha256: 3, vpdq: 4 } as const;
const SIGNALS = [null, 'pdq', 'md5', 'sha256', 'vpdq'] as const;
const VERIFIED = 8;
const DIGEST_BYTES = { pdq: 32, md5: 16, sha256: 32 } as const;
type FlatSignal = keyof typeof DIGEST_BYTES;
const FLAT_SIGNALS: readonly FlatSignal[] = ['pdq', 'md5', 'sha256'];

function codeOf(row: FeedRow): number {
  return SIGNAL_CODE[row.signal_type] | (row.provenance === 'analyst_verified' ? VERIFIED : 0);
}

/** An error's stable code for the log (never its message: a PdqError's may quote the value). */
function errorCode(error: unknown): string {
  if (isPdqError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

class HashInvalidError extends Error {
  override readonly name = 'HashInvalidError';
  readonly code = 'HASH_INVALID';
}

/** Hex (of a valid length, checked) into `into` at `offset`; throws HashInvalidError otherwise. */
function decodeHex(hex: string, bytes: number, into: Buffer, offset = 0): void {
  if (hex.length !== bytes * 2 || into.write(hex, offset, bytes, 'hex') !== bytes) throw new HashInvalidError('not hexadecimal of the expected length');
}

/** A growable byte per id. */
class ByteById {
  bytes = new Uint8Array(1024);
  get(id: number): number {
    return id < this.bytes.length ? (this.bytes[id] as number) : 0;
  }
  set(id: number, value: number): void {
    if (id >= this.bytes.length) {
      if (value === 0) return;
      const next = new Uint8Array(Math.max(id + 1, this.bytes.length * 2));
      next.set(this.bytes);
      this.bytes = next;
    }
    this.bytes[id] = value;
  }
}

/**
 * What the initial load has read of one flat signal (PDQ, MD5, SHA-256), in flat arrays, indexed in one
 * pass once the load has caught up — not a million single adds. A row seen again (it changed during the
 * load) empties its earlier entry: its id becomes 0, which no bank row has.
 */
class Gathered {
  ids = new Uint32Array(1 << 12);
  values: Buffer;
  count = 0;
  constructor(readonly bytes: number) {
    this.values = Buffer.alloc(this.ids.length * bytes);
  }
  /** Appends; returns the entry's position. Throws HashInvalidError (nothing appended) on a bad value. */
  push(id: number, hex: string): number {
    if (this.count === this.ids.length) {
      const ids = new Uint32Array(this.count * 2);
      ids.set(this.ids);
      this.ids = ids;
      const values = Buffer.alloc(ids.length * this.bytes);
      this.values.copy(values);
      this.values = values;
    }
    decodeHex(hex, this.bytes, this.values, this.count * this.bytes);
    this.ids[this.count] = id;
    return this.count++;
  }
  /** Drops the emptied entries (id 0), keeping the order. */
  compact(): void {
    let live = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.ids[i] === 0) continue;
      if (live !== i) {
        this.ids[live] = this.ids[i] as number;
        this.values.copyWithin(live * this.bytes, i * this.bytes, (i + 1) * this.bytes);
      }
      live++;
    }
    this.count = live;
  }
  get valueBytes(): Uint8Array {
    return new Uint8Array(this.values.buffer, this.values.byteOffset, this.count * this.bytes);
  }
}

/** The initial load's state: kept across a failed read, so that a retry resumes where the feed was. */
class Load {
  readonly started = Date.now();
  readonly gathered = { pdq: new Gathered(32), md5: new Gathered(16), sha256: new Gathered(32) };
  /** by bank id: the signal (top 2 bits, index in FLAT_SIGNALS + 1) and the entry's position + 1 (the rest); 0 = none */
  entryById = new Uint32Array(1 << 12);
  skipped = 0;

  /** Empties what `id` had gathered (a later state of the row replaces it). */
  drop(id: number): void {
    if (id >= this.entryById.length) return;
    const entry = this.entryById[id] as number;
    if (entry === 0) return;
    const signal = FLAT_SIGNALS[(entry >>> 30) - 1] as FlatSignal;
    this.gathered[signal].ids[(entry & 0x3fffffff) - 1] = 0;
    this.entryById[id] = 0;
  }

  gather(row: FeedRow & { signal_type: FlatSignal; value: string }): void {
    const position = this.gathered[row.signal_type].push(row.id, row.value);
    if (position >= 0x3fffffff) throw new RangeError('more than 2^30 hashes of one kind');
    if (row.id >= this.entryById.length) {
      const next = new Uint32Array(Math.max(row.id + 1, this.entryById.length * 2));
      next.set(this.entryById);
      this.entryById = next;
    }
    this.entryById[row.id] = ((FLAT_SIGNALS.indexOf(row.signal_type) + 1) << 30) | (position + 1);
  }
}

/**
 * Matches per hash id over about the last hour: this hour's count plus the previous hour's, weighted by
 * the part of it still within the last 60 minutes. Two 16-bit counters per id (saturating), in arrays
 * by id — bounded, whatever the traffic, where a Map of every hash matched in an hour could hold the
 * whole bank.
 */
class HourlyCounts {
  #current = new Uint16Array(0);
  #previous = new Uint16Array(0);
  #hour = Number.NEGATIVE_INFINITY;

  /** Counts one match of `id` at `now`; returns the estimate over the last hour. */
  add(id: number, now: number): number {
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.#hour) {
      if (hour === this.#hour + 1) {
        [this.#previous, this.#current] = [this.#current, this.#previous];
        this.#current.fill(0);
      } else {
        this.#previous.fill(0);
        this.#current.fill(0);
      }
      this.#hour = hour;
    }
    if (id >= this.#current.length) {
      const length = Math.max(id + 1, this.#current.length * 2, 1024);
      const current = new Uint16Array(length);
      current.set(this.#current);
      const previous = new Uint16Array(length);
      previous.set(this.#previous);
      this.#current = current;
      this.#previous = previous;
    }
    const n = this.#current[id] as number;
    if (n < 0xffff) this.#current[id] = n + 1;
    const remaining = 1 - (now - hour * HOUR_MS) / HOUR_MS;
    return (this.#current[id] as number) + Math.floor((this.#previous[id] as number) * remaining);
  }
}

export class BankMatcher {
  readonly #db: Kysely<Database>;
  readonly #log: Logger;
  readonly #pollMs: number;
  readonly #loadPage: number;
  readonly #pollPage: number;
  readonly #onAbnormal: ((hashId: number) => Promise<unknown>) | undefined;
  readonly #abnormalPerHour: number;
  readonly #now: () => number;

  #pdq = new PdqIndex();
  #md5 = new ExactIndex(16);
  #sha256 = new ExactIndex(32);
  readonly #vpdq = new VpdqIndex();
  readonly #meta = new ByteById();
  readonly #digest = Buffer.alloc(32);
  #position: FeedPosition = FEED_START;
  #load: Load | undefined;
  #ready = false;
  #size = 0;
  #failures = 0;

  #stopped = false;
  #loop: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  readonly #counts = new HourlyCounts();
  /** hash id → when it was reported abnormal: once an hour at most */
  readonly #reported = new Map<number, number>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(db: Kysely<Database>, options: BankMatcherOptions) {
    this.#db = db;
    this.#log = options.log;
    this.#pollMs = options.pollMs ?? 500;
    this.#loadPage = options.loadPageSize ?? 20_000;
    this.#pollPage = options.pollPageSize ?? 5_000;
    this.#onAbnormal = options.onAbnormal;
    this.#abnormalPerHour = options.abnormalMatchesPerHour ?? 1000;
    this.#now = options.now ?? Date.now;
    if (!Number.isInteger(this.#abnormalPerHour) || this.#abnormalPerHour < 1 || this.#abnormalPerHour > 65_000) {
      throw new RangeError('abnormalMatchesPerHour is an integer from 1 to 65,000');
    }
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** Hashes (signals) in the index now. */
  get size(): number {
    return this.#size;
  }

  /** Starts loading the bank (returns at once) and keeps the index fresh until stop(). */
  start(): void {
    if (this.#loop || this.#stopped) return;
    this.#loop = this.#follow();
  }

  /** Stops following the feed; waits for the read in flight and for suspensions under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#wake?.();
    await this.#loop;
    await Promise.allSettled([...this.#pending]);
  }

  async #follow(): Promise<void> {
    while (!this.#stopped && !this.#ready) {
      try {
        await this.#loadStep();
      } catch (error) {
        this.#failed('load', error);
        await this.#sleep(this.#pollMs * LOAD_RETRY_POLLS);
      }
    }
    while (!this.#stopped) {
      await this.#sleep(this.#pollMs);
      if (this.#stopped) return;
      await this.#poll();
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }

  /** A failed read of the feed: logged on the first failure and every 60th (a database down for minutes is one line a half-minute). */
  #failed(phase: 'load' | 'poll', error: unknown): void {
    this.#failures++;
    if (this.#failures === 1 || this.#failures % LOG_EVERY_FAILURES === 0) {
      this.#log.warn({ phase, failures: this.#failures, code: errorCode(error) }, 'the match index could not read the bank’s changes: retrying');
    }
  }

  #recovered(): void {
    if (this.#failures > 0) this.#log.info({ failures: this.#failures }, 'the match index reads the bank’s changes again');
    this.#failures = 0;
  }

  /**
   * The whole bank, page by page from the feed's start, until a page comes back short (caught up with
   * the feed's head). PDQ, MD5 and SHA-256 values are gathered in flat arrays and indexed once at the
   * end; videos are added as read. A failed read throws; the next call resumes at the same position.
   */
  async #loadStep(): Promise<void> {
    const load = (this.#load ??= new Load());
    for (;;) {
      const rows = await readChanges(this.#db, this.#position, this.#loadPage);
      if (this.#stopped) return;
      this.#recovered();
      for (const row of rows) {
        if (!this.#indexable(row)) {
          load.skipped++;
          continue;
        }
        if (row.signal_type === 'vpdq') this.#applySafely(row);
        else this.#gather(load, row);
      }
      const last = rows.at(-1);
      if (last) this.#position = positionOf(last);
      if (rows.length < this.#loadPage) break;
    }
    const { pdq, md5, sha256 } = load.gathered;
    pdq.compact(); // PdqIndex.fromBytes takes each id once: no emptied entries
    this.#pdq = PdqIndex.fromBytes(pdq.ids.subarray(0, pdq.count), pdq.valueBytes);
    this.#md5 = ExactIndex.fromBytes(16, md5.ids.subarray(0, md5.count), md5.valueBytes);
    this.#sha256 = ExactIndex.fromBytes(32, sha256.ids.subarray(0, sha256.count), sha256.valueBytes);
    this.#size += this.#pdq.size + this.#md5.size + this.#sha256.size;
    this.#load = undefined;
    this.#ready = true;
    this.#log.info({ hashes: this.#size, skipped: load.skipped, ms: Date.now() - load.started }, 'match index loaded');
  }

  /** A row the indexes can hold: its id within uint32 (logged once per read otherwise). */
  #indexable(row: FeedRow): boolean {
    if (row.id >= 1 && row.id <= MAX_INDEXED_ID) return true;
    this.#log.warn({ hash: row.id, code: 'HASH_ID_OUT_OF_RANGE' }, 'a bank id beyond the match index’s 32 bits: not matchable');
    return false;
  }

  /** One row of the initial load (PDQ, MD5, SHA-256): its latest state replaces what was gathered. */
  #gather(load: Load, row: FeedRow): void {
    load.drop(row.id);
    this.#meta.set(row.id, 0);
    if (row.status !== 'active' || row.value === null) return;
    try {
      load.gather(row as FeedRow & { signal_type: FlatSignal; value: string });
      this.#meta.set(row.id, codeOf(row));
    } catch (error) {
      this.#log.error({ hash: row.id, code: errorCode(error) }, 'a bank row could not be indexed: skipped');
    }
  }

  async #poll(): Promise<void> {
    try {
      for (;;) {
        const rows = await readChanges(this.#db, this.#position, this.#pollPage);
        if (this.#stopped) return;
        this.#recovered();
        for (const row of rows) if (this.#indexable(row)) this.#applySafely(row);
        const last = rows.at(-1);
        if (last) this.#position = positionOf(last);
        if (rows.length < this.#pollPage) return;
      }
    } catch (error) {
      this.#failed('poll', error);
    }
  }

  /** A row the index cannot take (it should not exist: values are checked on the way in) is logged and skipped, never retried forever. */
  #applySafely(row: FeedRow): void {
    try {
      this.#apply(row);
    } catch (error) {
      this.#log.error({ hash: row.id, code: errorCode(error) }, 'a bank row could not be indexed: skipped');
    }
  }

  /** One change: whatever the id was is removed; an active hash is (re)added. */
  #apply(row: FeedRow): void {
    const code = this.#meta.get(row.id) & 7;
    if (code !== 0) {
      // a row's value never changes (the triggers change its state and provenance): the change says what to remove
      this.#remove(row.id, SIGNALS[code] as NonNullable<(typeof SIGNALS)[number]>, row.value);
      this.#meta.set(row.id, 0);
      this.#size--;
    }
    if (row.status !== 'active') return;
    switch (row.signal_type) {
      case 'pdq':
        if (row.value === null) return;
        decodeHex(row.value, 32, this.#digest);
        this.#pdq.add(row.id, this.#digest.subarray(0, 32));
        break;
      case 'md5':
      case 'sha256':
        if (row.value === null) return;
        (row.signal_type === 'md5' ? this.#md5 : this.#sha256).add(row.id, this.#decodeDigest(row.signal_type, row.value));
        break;
      case 'vpdq':
        if (!row.frames || row.frames.length === 0) return;
        this.#vpdq.add(row.id, { frames: row.frames });
        break;
    }
    this.#meta.set(row.id, codeOf(row));
    this.#size++;
  }

  #remove(id: number, signal: 'pdq' | 'md5' | 'sha256' | 'vpdq', value: string | null): void {
    if (signal === 'pdq') this.#pdq.remove(id);
    else if (signal === 'vpdq') this.#vpdq.remove(id);
    else if (value !== null) (signal === 'md5' ? this.#md5 : this.#sha256).remove(id, this.#decodeDigest(signal, value));
  }

  /** An MD5 or SHA-256 as bytes, in a buffer reused by the next call. */
  #decodeDigest(signal: 'md5' | 'sha256', hex: string): Uint8Array {
    const bytes = DIGEST_BYTES[signal];
    decodeHex(hex, bytes, this.#digest);
    return this.#digest.subarray(0, bytes);
  }

  #provenance(id: number): HashMatch['provenance'] {
    return (this.#meta.get(id) & VERIFIED) !== 0 ? 'analyst_verified' : 'self_submitted';
  }

  /**
   * Matches for each item, in order, every index present: PDQ within `maxDistance` (at most 31),
   * nearest first; MD5 and SHA-256 exactly; videos with either share at 80 % or more, best first. At
   * most MAX_MATCHES_PER_ITEM each. Throws IndexNotReadyError until the bank is loaded.
   */
  match(items: readonly MatchItem[], maxDistance: number): MatchResponse['results'] {
    if (!this.#ready) throw new IndexNotReadyError('the match index is loading');
    const distance = Math.max(0, Math.min(MAX_MATCH_DISTANCE, Math.floor(maxDistance)));
    const results: MatchResponse['results'] = new Array(items.length);
    for (let index = 0; index < items.length; index++) {
      const item = items[index] as MatchItem;
      const matches: HashMatch[] = [];
      switch (item.signalType) {
        case 'pdq': {
          const found = this.#pdq.query(item.value, distance);
          for (let i = 0; i < found.length && i < MAX_MATCHES_PER_ITEM; i++) {
            const { id, distance: d } = found[i] as { id: number; distance: number };
            matches.push({ hashId: id, signalType: 'pdq', provenance: this.#provenance(id), distance: d });
          }
          break;
        }
        case 'md5':
        case 'sha256': {
          const index = item.signalType === 'md5' ? this.#md5 : this.#sha256;
          for (const id of index.lookup(this.#decodeDigest(item.signalType, item.value), MAX_MATCHES_PER_ITEM)) {
            matches.push({ hashId: id, signalType: item.signalType, provenance: this.#provenance(id), distance: 0 });
          }
          break;
        }
        case 'vpdq': {
          // the index's order: the higher share first, then the lower
          const found = this.#vpdq.query({ frames: item.value }, { distance });
          for (let i = 0; i < found.length && i < MAX_MATCHES_PER_ITEM; i++) {
            const m = found[i] as (typeof found)[number];
            matches.push({ hashId: m.videoId, signalType: 'vpdq', provenance: this.#provenance(m.videoId), queryPercent: m.queryPercent, targetPercent: m.targetPercent });
          }
          break;
        }
      }
      if (matches.length > 0) {
        const now = this.#now();
        for (const m of matches) this.#count(m.hashId, now);
      }
      results[index] = { index, matches };
    }
    return results;
  }

  /**
   * Counts a match. A hash that matches abnormally often (it may match anything: a flat image, a
   * crafted hash) is reported once, then not again for an hour (the report suspends it; an analyst
   * who restores it is not overruled at once).
   */
  #count(id: number, now: number): void {
    const n = this.#counts.add(id, now);
    if (n <= this.#abnormalPerHour || !this.#onAbnormal) return;
    const reportedAt = this.#reported.get(id);
    if (reportedAt !== undefined && now - reportedAt < HOUR_MS) return;
    if (this.#reported.size > 10_000) {
      for (const [other, at] of this.#reported) if (now - at >= HOUR_MS) this.#reported.delete(other);
    }
    this.#reported.set(id, now);
    this.#log.warn({ hash: id, matches: n }, 'a hash matches abnormally often: suspending it for review');
    const pending = this.#onAbnormal(id)
      .catch((error: unknown) => this.#log.error({ hash: id, code: errorCode(error) }, 'could not suspend a hash that matches abnormally often'))
      .finally(() => this.#pending.delete(pending));
    this.#pending.add(pending);
  }
}
