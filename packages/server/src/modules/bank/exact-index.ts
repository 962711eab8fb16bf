// MD5 and SHA-256 digests → bank ids, exactly, in flat typed arrays: an open-addressing table keyed by
// the digest's first 32 bits, each slot holding the id and the whole digest. A million digests cost
// about 40 MB (MD5) or 72 MB (SHA-256) at the table's load of at most ½ — a Map of hex strings would
// cost several times that. The same digest under several ids (one file reported twice) is kept once
// per id.

const EMPTY = 0;
/** A removed slot: probes continue past it; inserts may reuse it. */
const GONE = 0xffffffff;

export class ExactIndex {
  readonly #bytes: number;
  #ids: Uint32Array;
  #digests: Uint8Array;
  #mask: number;
  #used = 0; // live + gone
  #live = 0;

  /** `bytes`: the digest's length (16 for MD5, 32 for SHA-256). */
  constructor(bytes: number, capacity = 1024) {
    this.#bytes = bytes;
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.#ids = new Uint32Array(size);
    this.#digests = new Uint8Array(size * bytes);
    this.#mask = size - 1;
  }

  get size(): number {
    return this.#live;
  }

  get byteLength(): number {
    return this.#ids.byteLength + this.#digests.byteLength;
  }

  #home(digest: Uint8Array): number {
    // digests are uniformly distributed already: their first 4 bytes are a good hash
    return (((digest[0] as number) << 24) | ((digest[1] as number) << 16) | ((digest[2] as number) << 8) | (digest[3] as number)) & this.#mask;
  }

  #equals(slot: number, digest: Uint8Array): boolean {
    const base = slot * this.#bytes;
    for (let i = 0; i < this.#bytes; i++) if (this.#digests[base + i] !== digest[i]) return false;
    return true;
  }

  /** Adds `id` under `digest` (bytes of the configured length; ids 1..2^32−2). */
  add(id: number, digest: Uint8Array): void {
    if ((this.#used + 1) * 2 > this.#ids.length) this.#resize(this.#live * 4 > this.#ids.length ? this.#ids.length * 2 : this.#ids.length);
    let slot = this.#home(digest);
    let reuse = -1;
    for (;;) {
      const at = this.#ids[slot] as number;
      if (at === EMPTY) break;
      if (at === GONE) {
        if (reuse < 0) reuse = slot;
      } else if (at === id && this.#equals(slot, digest)) {
        return; // already there
      }
      slot = (slot + 1) & this.#mask;
    }
    const target = reuse >= 0 ? reuse : slot;
    if (reuse < 0) this.#used++;
    this.#ids[target] = id;
    this.#digests.set(digest, target * this.#bytes);
    this.#live++;
  }

  /** Removes `id` from under `digest`; returns whether it was there. */
  remove(id: number, digest: Uint8Array): boolean {
    let slot = this.#home(digest);
    for (;;) {
      const at = this.#ids[slot] as number;
      if (at === EMPTY) return false;
      if (at === id && this.#equals(slot, digest)) {
        this.#ids[slot] = GONE;
        this.#live--;
        return true;
      }
      slot = (slot + 1) & this.#mask;
    }
  }

  /** The ids banked under `digest` (usually none or one). */
  lookup(digest: Uint8Array): number[] {
    const out: number[] = [];
    let slot = this.#home(digest);
    for (;;) {
      const at = this.#ids[slot] as number;
      if (at === EMPTY) return out;
      if (at !== GONE && this.#equals(slot, digest)) out.push(at);
      slot = (slot + 1) & this.#mask;
    }
  }

  #resize(size: number): void {
    const ids = this.#ids;
    const digests = this.#digests;
    this.#ids = new Uint32Array(size);
    this.#digests = new Uint8Array(size * this.#bytes);
    this.#mask = size - 1;
    this.#used = 0;
    this.#live = 0;
    for (let slot = 0; slot < ids.length; slot++) {
      const id = ids[slot] as number;
      if (id !== EMPTY && id !== GONE) this.add(id, digests.subarray(slot * this.#bytes, (slot + 1) * this.#bytes));
    }
  }
}
