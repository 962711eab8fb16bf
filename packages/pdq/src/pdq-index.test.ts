import { describe, expect, it } from 'vitest';

import { bruteQuery, flipBits, randomHash, readCsv, readLines, seededRandom, toHex } from '../test/helpers.js';
import { PdqIndex, type PdqIndexOptions } from './index.js';

describe('PdqIndex on the reference needles and haystack', () => {
  const needles = readLines('reg-test-input/needles.txt');
  const haystack = readLines('reg-test-input/haystack.txt');
  const expected = readCsv('expected-needles-haystack-d31.csv', true)
    .map(([n, h, d]) => `${n},${h},${d}`)
    .sort();

  it.each([{}, { slots: 8 }, { slots: 12 }, { slots: 16 }, { bufferSize: 64 }] as PdqIndexOptions[])(
    'finds exactly the 250 pairs within 31 (options %j)',
    (options) => {
      const index = new PdqIndex(options);
      haystack.forEach((hash, i) => index.add(i + 1, hash));
      expect(index.size).toBe(haystack.length);
      const found = index
        .queryMany(needles, 31)
        .flatMap((matches, i) => matches.map((m) => `${i + 1},${m.id},${m.distance}`))
        .sort();
      expect(found).toHaveLength(250);
      expect(found).toEqual(expected);
    },
  );

  it('finds the same pairs when built in one pass from bytes and after a round trip through bytes', () => {
    const ids = Uint32Array.from(haystack, (_h, i) => i + 1);
    const bytes = new Uint8Array(haystack.length * 32);
    haystack.forEach((h, i) => bytes.set(Buffer.from(h, 'hex'), i * 32));
    const built = PdqIndex.fromBytes(ids, bytes);
    const restored = PdqIndex.deserialize(built.serialize());
    for (const index of [built, restored]) {
      const count = index.queryMany(needles, 31).reduce((n, m) => n + m.length, 0);
      expect(count).toBe(250);
    }
  });
});

// Every layout the index can pick, with a small buffer so that flushes and merges happen.
const LAYOUTS: PdqIndexOptions[] = [
  { bufferSize: 7 },
  { bufferSize: 50 },
  { slots: 8, bufferSize: 33 },
  { slots: 9 },
  { slots: 10, bufferSize: 100 },
  { slots: 11, bufferSize: 16 },
  { slots: 12 },
  { slots: 13, bufferSize: 64 },
  { slots: 14 },
  { slots: 15, bufferSize: 10 },
  { slots: 16, bufferSize: 128 },
];

function checkAgainstScan(
  index: PdqIndex,
  bank: Map<number, Uint8Array>,
  queries: Uint8Array[],
  distances: readonly number[],
): void {
  for (const q of queries) {
    for (const d of distances) {
      expect(index.query(q, d)).toEqual(bruteQuery(bank, q, d));
    }
  }
}

describe('PdqIndex against a linear scan', () => {
  it.each(LAYOUTS)('agrees on a random bank with planted neighbours at every distance 0..32, with removals (%j)', (options) => {
    const rnd = seededRandom(0x5eed + (options.slots ?? 0) * 101 + (options.bufferSize ?? 0));
    const index = new PdqIndex(options);
    const bank = new Map<number, Uint8Array>();
    const queries: Uint8Array[] = [];
    let id = 1;
    for (let c = 0; c < 40; c++) {
      const centre = randomHash(rnd);
      queries.push(centre);
      for (let d = 0; d <= 32; d++) {
        const h = flipBits(centre, d, rnd);
        bank.set(id, h);
        index.add(id++, d % 2 ? h : toHex(h));
      }
    }
    for (let i = 0; i < 600; i++) {
      const h = randomHash(rnd);
      bank.set(id, h);
      index.add(id++, h);
    }
    expect(index.size).toBe(bank.size);
    checkAgainstScan(index, bank, queries.slice(0, 20), [0, 1, 15, 16, 17, 31, 32]);

    // remove a third of the bank, including planted neighbours, then re-add some under new hashes
    for (const key of [...bank.keys()]) {
      if (rnd() % 3 === 0) {
        expect(index.remove(key)).toBe(true);
        bank.delete(key);
      }
    }
    expect(index.remove(999_999)).toBe(false);
    for (const key of [...bank.keys()].slice(0, 50)) {
      const h = flipBits(bank.get(key) as Uint8Array, 5, rnd);
      bank.set(key, h);
      index.add(key, h); // replaces
    }
    expect(index.size).toBe(bank.size);
    checkAgainstScan(index, bank, queries, [0, 8, 31]);
    const restored = PdqIndex.deserialize(index.serialize(), options);
    expect(restored.size).toBe(bank.size);
    checkAgainstScan(restored, bank, queries.slice(20), [31]);
  });

  it('agrees on clustered banks (many hashes sharing slot values), at radius 0..31 and beyond', () => {
    const rnd = seededRandom(42);
    const bank = new Map<number, Uint8Array>();
    const base = randomHash(rnd);
    // 3,000 hashes within 40 bits of one another: every slot's buckets are crowded
    for (let id = 0; id < 3000; id++) bank.set(id * 7, flipBits(base, rnd() % 41, rnd));
    const ids = Uint32Array.from(bank.keys());
    const bytes = new Uint8Array(ids.length * 32);
    [...bank.values()].forEach((h, i) => bytes.set(h, i * 32));
    for (const options of [{}, { slots: 8 }, { slots: 16 }] as PdqIndexOptions[]) {
      const index = PdqIndex.fromBytes(ids, bytes, options);
      checkAgainstScan(index, bank, [base, flipBits(base, 10, rnd), flipBits(base, 30, rnd), randomHash(rnd)], [0, 5, 20, 31, 40, 64, 256]);
    }
  });

  it('handles an empty index, one hash, and the same hash under many ids', () => {
    const index = new PdqIndex();
    const h = 'f'.repeat(64);
    expect(index.query(h)).toEqual([]);
    index.add(0, h);
    expect(index.query(h)).toEqual([{ id: 0, distance: 0 }]);
    for (let id = 1; id <= 5000; id++) index.add(id, h);
    const all = index.query(h, 0);
    expect(all).toHaveLength(5001);
    expect(all.map((m) => m.id)).toEqual(Array.from({ length: 5001 }, (_, i) => i));
    expect(index.get(4000)).toBe(h);
    expect(index.has(5001)).toBe(false);
  });

  it('stays correct when most of a segment is removed (compaction)', () => {
    const rnd = seededRandom(7);
    const bank = new Map<number, Uint8Array>();
    const index = new PdqIndex({ bufferSize: 32 });
    for (let id = 0; id < 2000; id++) {
      const h = randomHash(rnd);
      bank.set(id, h);
      index.add(id, h);
    }
    for (let id = 0; id < 2000; id++) {
      if (id % 10 !== 0) {
        index.remove(id);
        bank.delete(id);
      }
    }
    expect(index.size).toBe(200);
    const queries = [...bank.values()].slice(0, 30).map((h) => flipBits(h, 12, rnd));
    checkAgainstScan(index, bank, queries, [31]);
    expect(index.stats().segments.every((s) => s.removed * 2 <= s.count)).toBe(true);
  });
});

describe('PdqIndex on bad input', () => {
  const index = new PdqIndex();
  const h = '0'.repeat(64);

  it.each([-1, 1.5, 2 ** 32, Number.NaN, '1', null])('refuses id %j with INDEX_ID_INVALID', (id) => {
    expect(() => index.add(id as number, h)).toThrow(expect.objectContaining({ code: 'INDEX_ID_INVALID' }));
    expect(() => index.remove(id as number)).toThrow(expect.objectContaining({ code: 'INDEX_ID_INVALID' }));
  });

  it.each([-1, 257, 3.5, Number.NaN, '31'])('refuses maxDistance %j with INDEX_DISTANCE_INVALID', (d) => {
    expect(() => index.query(h, d as number)).toThrow(expect.objectContaining({ code: 'INDEX_DISTANCE_INVALID' }));
  });

  it('refuses malformed hashes and leaves the index unchanged', () => {
    index.add(1, h);
    expect(() => index.add(1, 'z'.repeat(64))).toThrow(expect.objectContaining({ code: 'HASH_HEX_INVALID' }));
    expect(() => index.add(2, new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'HASH_BYTES_INVALID' }));
    expect(() => index.query('abc')).toThrow(expect.objectContaining({ code: 'HASH_HEX_INVALID' }));
    expect(index.get(1)).toBe(h);
    expect(index.size).toBe(1);
  });

  it('keeps its own copy of the options', () => {
    const options = { slots: 12, bufferSize: 4 };
    const copy = new PdqIndex(options);
    options.slots = 3; // not a valid slot count: must not reach the index
    for (let id = 0; id < 50; id++) copy.add(id, 'ab'.repeat(32));
    expect(copy.stats().segments.every((s) => s.slots === 12)).toBe(true);
  });

  it('refuses bad options', () => {
    for (const options of [{ slots: 7 }, { slots: 17 }, { slots: 12.5 }, { bufferSize: 0 }, { bufferSize: 2 ** 21 }]) {
      expect(() => new PdqIndex(options)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
    }
  });

  it('refuses damaged serialized bytes', () => {
    const good = new PdqIndex();
    good.add(5, 'ab'.repeat(32));
    good.add(9, 'cd'.repeat(32));
    const bytes = good.serialize();
    const flipped = bytes.slice();
    flipped[20] = (flipped[20] as number) ^ 1;
    const badMagic = bytes.slice();
    badMagic[0] = 0;
    for (const bad of [new Uint8Array(0), bytes.subarray(0, bytes.length - 1), flipped, badMagic, new Uint8Array(100)]) {
      expect(() => PdqIndex.deserialize(bad)).toThrow(expect.objectContaining({ code: 'INDEX_DATA_INVALID' }));
    }
    expect(() => PdqIndex.fromBytes(Uint32Array.of(1, 1), new Uint8Array(64))).toThrow(
      expect.objectContaining({ code: 'INDEX_DATA_INVALID' }),
    );
    expect(PdqIndex.deserialize(bytes).query('ab'.repeat(32), 0)).toEqual([{ id: 5, distance: 0 }]);
  });
});
