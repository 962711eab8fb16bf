// The match index of this server instance: the whole active bank in memory — PDQ in a multi-index
// PdqIndex, videos in a VpdqIndex, MD5/SHA-256 in ExactIndex tables — loaded from the bank's change
// feed when the server starts and kept fresh by following that feed (every pollMs). A hash written on
// any instance is matchable on every instance within about pollMs plus a query. Until the load has
// caught up, match() throws IndexNotReadyError: the route answers 503, never a silent no-match.
import type { HashMatch, MatchItem, MatchResponse } from '@halte/contract';
import { hexToBytes, PdqIndex, VpdqIndex } from '@halte/pdq';
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
  /** called once a window when a hash matches more than abnormalMatchesPerHour (the caller suspends it) */
  readonly onAbnormal?: (hashId: number) => Promise<unknown>;
  /** matches of one hash, in this instance, in a clock hour, above which it is reported abnormal (default 1,000) */
  readonly abnormalMatchesPerHour?: number;
}

/** Matches listed per item at most (closest first): bounds the answer. */
export const MAX_MATCHES_PER_ITEM = 100;
const LOAD_PAGE = 20_000;
const POLL_PAGE = 5_000;
const MAX_ID = 0xfffffffe;

// per id, one byte: the signal (low 3 bits) and the provenance (bit 3)
const SIGNAL_CODE = { pdq: 1, md5: 2, sha256: 3, vpdq: 4 } as const;
const SIGNALS = [null, 'pdq', 'md5', 'sha256', 'vpdq'] as const;
const VERIFIED = 8;

/** An MD5 or SHA-256 in hex (validated by the contract or the database) as bytes. */
function digestBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** A growable byte per id. */
class ByteById {
  bytes = new Uint8Array(1024);
  get(id: number): number {
    return id < this.bytes.length ? (this.bytes[id] as number) : 0;
  }
  set(id: number, value: number): void {
    if (id >= this.bytes.length) {
      const next = new Uint8Array(Math.max(id + 1, this.bytes.length * 2));
      next.set(this.bytes);
      this.bytes = next;
    }
    this.bytes[id] = value;
  }
}

export class BankMatcher {
  readonly #db: Kysely<Database>;
  readonly #log: Logger;
  readonly #pollMs: number;
  readonly #onAbnormal: ((hashId: number) => Promise<unknown>) | undefined;
  readonly #abnormalPerHour: number;

  #pdq = new PdqIndex();
  readonly #md5 = new ExactIndex(16);
  readonly #sha256 = new ExactIndex(32);
  readonly #vpdq = new VpdqIndex();
  readonly #meta = new ByteById();
  #position: FeedPosition = FEED_START;
  #ready = false;
  #size = 0;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #hour = -1;
  readonly #hits = new Map<number, number>();
  readonly #reported = new Set<number>();

  constructor(db: Kysely<Database>, options: BankMatcherOptions) {
    this.#db = db;
    this.#log = options.log;
    this.#pollMs = options.pollMs ?? 500;
    this.#onAbnormal = options.onAbnormal;
    this.#abnormalPerHour = options.abnormalMatchesPerHour ?? 1000;
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
    if (this.#running || this.#stopped) return;
    this.#running = this.#load().then(
      () => this.#schedule(),
      (error: unknown) => {
        this.#log.error({ err: error }, 'the match index could not load: retrying');
        this.#running = undefined;
        if (!this.#stopped) this.#timer = setTimeout(() => this.start(), this.#pollMs * 4);
      },
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#poll().then(() => this.#schedule());
    }, this.#pollMs);
  }

  /** The whole bank: PDQ hashes gathered in flat arrays and indexed in one pass, the rest added as read. */
  async #load(): Promise<void> {
    const started = Date.now();
    let ids = new Uint32Array(1 << 16);
    let hashes = new Uint8Array(ids.length * 32);
    let n = 0;
    /** position in the arrays + 1, by id: a row changed during the load comes again, later */
    let slotById = new Uint32Array(1 << 16);
    for (;;) {
      const rows = await readChanges(this.#db, this.#position, LOAD_PAGE);
      if (this.#stopped) return;
      for (const row of rows) {
        if (row.signal_type !== 'pdq') {
          this.#applySafely(row);
          continue;
        }
        if (row.id > MAX_ID) continue;
        if (row.id >= slotById.length) {
          const next = new Uint32Array(Math.max(row.id + 1, slotById.length * 2));
          next.set(slotById);
          slotById = next;
        }
        const earlier = slotById[row.id] as number;
        if (earlier !== 0) ids[earlier - 1] = 0; // superseded: id 0 is never a bank id
        if (row.status !== 'active' || row.value === null) {
          slotById[row.id] = 0;
          continue;
        }
        if (n === ids.length) {
          const moreIds = new Uint32Array(n * 2);
          moreIds.set(ids);
          ids = moreIds;
          const moreHashes = new Uint8Array(n * 2 * 32);
          moreHashes.set(hashes);
          hashes = moreHashes;
        }
        ids[n] = row.id;
        hashes.set(hexToBytes(row.value), n * 32);
        slotById[row.id] = ++n;
        this.#meta.set(row.id, SIGNAL_CODE.pdq | (row.provenance === 'analyst_verified' ? VERIFIED : 0));
      }
      const last = rows.at(-1);
      if (last) this.#position = positionOf(last);
      if (rows.length < LOAD_PAGE) break;
    }
    // keep the live entries only (superseded ones have id 0)
    let live = 0;
    for (let i = 0; i < n; i++) {
      if (ids[i] === 0) continue;
      if (live !== i) {
        ids[live] = ids[i] as number;
        hashes.copyWithin(live * 32, i * 32, i * 32 + 32);
      }
      live++;
    }
    this.#pdq = live === 0 ? new PdqIndex() : PdqIndex.fromBytes(ids.slice(0, live), hashes.slice(0, live * 32));
    this.#size += live;
    this.#ready = true;
    this.#log.info({ hashes: this.#size, ms: Date.now() - started }, 'match index loaded');
  }

  async #poll(): Promise<void> {
    try {
      for (;;) {
        const rows = await readChanges(this.#db, this.#position, POLL_PAGE);
        if (this.#stopped) return;
        for (const row of rows) this.#applySafely(row);
        const last = rows.at(-1);
        if (last) this.#position = positionOf(last);
        if (rows.length < POLL_PAGE) return;
      }
    } catch (error) {
      // no personal data in a feed error: codes and messages of the database only
      this.#log.warn({ err: error }, 'the match index could not read the bank’s changes: retrying');
    }
  }

  /** A row the index cannot take (it should not exist: the database checks values) is logged and skipped, never retried forever. */
  #applySafely(row: FeedRow): void {
    try {
      this.#apply(row);
    } catch (error) {
      this.#log.error({ err: error, hash: row.id }, 'a bank row could not be indexed: skipped');
    }
  }

  /** One change: whatever the id was is removed; an active hash is (re)added. */
  #apply(row: FeedRow): void {
    if (row.id > MAX_ID) return;
    const code = this.#meta.get(row.id) & 7;
    if (code !== 0) {
      // a row's value never changes: the change carries what to remove
      this.#remove(row.id, SIGNALS[code] as NonNullable<(typeof SIGNALS)[number]>, row.value);
      this.#meta.set(row.id, 0);
      this.#size--;
    }
    if (row.status !== 'active') return;
    switch (row.signal_type) {
      case 'pdq':
        if (row.value === null) return;
        this.#pdq.add(row.id, row.value);
        break;
      case 'md5':
      case 'sha256': {
        if (row.value === null) return;
        const digest = digestBytes(row.value);
        (row.signal_type === 'md5' ? this.#md5 : this.#sha256).add(row.id, digest);
        break;
      }
      case 'vpdq':
        if (!row.frames || row.frames.length === 0) return;
        this.#vpdq.add(row.id, { frames: row.frames });
        break;
    }
    this.#meta.set(row.id, SIGNAL_CODE[row.signal_type] | (row.provenance === 'analyst_verified' ? VERIFIED : 0));
    this.#size++;
  }

  #remove(id: number, signal: 'pdq' | 'md5' | 'sha256' | 'vpdq', value: string | null): void {
    if (signal === 'pdq') this.#pdq.remove(id);
    else if (signal === 'vpdq') this.#vpdq.remove(id);
    else if (value !== null) (signal === 'md5' ? this.#md5 : this.#sha256).remove(id, digestBytes(value));
  }

  #provenance(id: number): HashMatch['provenance'] {
    return (this.#meta.get(id) & VERIFIED) !== 0 ? 'analyst_verified' : 'self_submitted';
  }

  /** Matches for each item, in order; throws IndexNotReadyError until the bank is loaded. */
  match(items: readonly MatchItem[], maxDistance: number): MatchResponse['results'] {
    if (!this.#ready) throw new IndexNotReadyError('the match index is loading');
    const results: MatchResponse['results'] = [];
    items.forEach((item, index) => {
      let matches: HashMatch[];
      switch (item.signalType) {
        case 'pdq':
          matches = this.#pdq
            .query(item.value, maxDistance)
            .slice(0, MAX_MATCHES_PER_ITEM)
            .map((m) => ({ hashId: m.id, signalType: 'pdq', provenance: this.#provenance(m.id), distance: m.distance }));
          break;
        case 'md5':
        case 'sha256':
          matches = (item.signalType === 'md5' ? this.#md5 : this.#sha256)
            .lookup(digestBytes(item.value))
            .slice(0, MAX_MATCHES_PER_ITEM)
            .map((id) => ({ hashId: id, signalType: item.signalType, provenance: this.#provenance(id), distance: 0 }));
          break;
        case 'vpdq':
          matches = this.#vpdq
            .query({ frames: item.value }, { distance: maxDistance })
            .sort((a, b) => Math.min(b.queryPercent, b.targetPercent) - Math.min(a.queryPercent, a.targetPercent))
            .slice(0, MAX_MATCHES_PER_ITEM)
            .map((m) => ({ hashId: m.videoId, signalType: 'vpdq', provenance: this.#provenance(m.videoId), queryPercent: m.queryPercent, targetPercent: m.targetPercent }));
          break;
      }
      for (const m of matches) this.#count(m.hashId);
      results.push({ index, matches });
    });
    return results;
  }

  /** Counts a match; a hash matching abnormally often is reported once an hour (it may match anything). */
  #count(id: number): void {
    const hour = Math.floor(Date.now() / 3_600_000);
    if (hour !== this.#hour) {
      this.#hour = hour;
      this.#hits.clear();
      this.#reported.clear();
    }
    const n = (this.#hits.get(id) ?? 0) + 1;
    this.#hits.set(id, n);
    if (n > this.#abnormalPerHour && !this.#reported.has(id) && this.#onAbnormal) {
      this.#reported.add(id);
      this.#log.warn({ hash: id, matches: n }, 'a hash matches abnormally often: suspending it for review');
      this.#onAbnormal(id).catch((error: unknown) => this.#log.error({ err: error, hash: id }, 'could not suspend a hash'));
    }
  }
}
