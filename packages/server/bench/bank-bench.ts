// npm run -s bench -w @halte/server -- bank — issue 6's targets, on PostgreSQL (a fresh database
// halte_bench_bank_<random> on the server of HALTE_BENCH_DATABASE_URL or HALTE_TEST_DATABASE_URL,
// dropped at the end), against `halte serve` as a separate process:
//   - memory: the resident size of a server on an empty bank, then of one holding 1,000,000 PDQ hashes
//     (target: at most 300 MB more), and how long that server takes to load its index;
//   - /api/v1/match with batches of 100 PDQ hashes (half near-duplicates of banked ones, half random):
//     hashes matched per second (target ≥ 20,000);
//   - single-hash /api/v1/match at a fixed 500 requests/s: p99 latency (target ≤ 20 ms);
//   - the feed: the whole bank through GET /api/v1/hashes?limit=10000: items per second (≥ 50,000);
//   - beside the batch figure, the PDQ index alone in this process (batchMatch.indexAlone): a query at
//     distance 31 costs the same in the server, so one core cannot match more hashes than that a second.
// The load generator, the server and PostgreSQL share the machine's cores: compare figures from one run.
// Options: --hashes=N (default 1,000,000), --seconds=N per scenario (default 10).
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { PdqIndex } from '@halte/pdq';
import autocannon from 'autocannon';
import pg from 'pg';

import { cleanUpOnce, halte, log, onServer, startServer, stopServer } from './process.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const HASHES = arg('hashes', 1_000_000);
const SECONDS = arg('seconds', 10);
const BATCH = 100;
const TARGETS = { batchHashesPerSecond: 20_000, singleP99Ms: 20, singleRate: 500, feedItemsPerSecond: 50_000, extraMemoryMb: 300 };

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function untilIndexReady(url: string): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const res = await fetch(`${url}/api/health`);
    const health = (await res.json()) as { bank?: { indexReady: boolean; hashes: number } };
    if (health.bank?.indexReady) return seconds(t0);
    if (performance.now() - t0 > 600_000) throw new Error('the index did not load in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A server's resident size once its index is loaded and it has settled. */
async function serverMemory(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; loadSeconds: number; rssMb: number }> {
  const { child, url } = await startServer(env);
  const loadSeconds = await untilIndexReady(url);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return { child, url, loadSeconds, rssMb: rssMb(child.pid as number) };
}

function flip(hash: string, bits: number): string {
  const bytes = Buffer.from(hash, 'hex');
  for (let i = 0; i < bits; i++) {
    const b = Math.floor(Math.random() * 256);
    bytes[b >> 3] = (bytes[b >> 3] as number) ^ (0x80 >> (b & 7));
  }
  return bytes.toString('hex');
}

/**
 * Requests sent at an even pace (open loop: each at its planned time, whether or not the previous ones
 * have been answered), each one's latency measured. autocannon's overallRate sends each second's quota
 * in a burst at the start of the second, which measures queueing behind that burst, not the service.
 */
async function paced(url: string, headers: Record<string, string>, bodies: string[], rate: number, durationSeconds: number) {
  const total = rate * durationSeconds;
  const latencies: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    inFlight.push(
      fetch(url, { method: 'POST', headers, body: bodies[i % bodies.length] as string }).then(
        async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
          latencies.push(performance.now() - sent);
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  return { requestsPerSecond: Math.round(total / elapsed), latencyP50Ms: at(0.5), latencyP99Ms: at(0.99), latencyMaxMs: at(1), non2xx: failed };
}

/**
 * What the PDQ index alone costs here, in this process: HASHES random hashes (as the seeded bank's),
 * queries at distance 31, half near-duplicates. The route cannot match more hashes a second on one
 * core than 1,000,000 / microsPerQuery: the batch figure is to be read against it.
 */
function indexCeiling(): { microsPerQuery: number; hashesPerSecondPerCore: number } {
  const ids = new Uint32Array(HASHES).map((_, i) => i + 1);
  const hashes = new Uint8Array(randomBytes(HASHES * 32));
  const index = PdqIndex.fromBytes(ids, hashes);
  const queries = Array.from({ length: 2000 }, (_, i) => {
    if (i % 2 === 1) return new Uint8Array(randomBytes(32));
    const at = Math.floor(Math.random() * HASHES) * 32;
    return new Uint8Array(Buffer.from(flip(Buffer.from(hashes.subarray(at, at + 32)).toString('hex'), 1 + Math.floor(Math.random() * 20)), 'hex'));
  });
  // the best of three rounds: the machine's other work only ever adds
  let micros = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (const q of queries) index.query(q, 31);
    micros = Math.min(micros, ((performance.now() - t0) * 1000) / queries.length);
  }
  return { microsPerQuery: Math.round(micros), hashesPerSecondPerCore: Math.round(1_000_000 / micros) };
}

async function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon({ duration: SECONDS, ...options }, (error, result) => (error ? reject(error) : resolve(result))));
}

export async function runBankBench(): Promise<void> {
  const serverUrl = process.env['HALTE_BENCH_DATABASE_URL'] ?? process.env['HALTE_TEST_DATABASE_URL'];
  if (!serverUrl) {
    log('The bank benchmark needs PostgreSQL: set HALTE_BENCH_DATABASE_URL (or HALTE_TEST_DATABASE_URL) to a server, e.g. postgres://postgres@127.0.0.1:5432/test');
    process.exitCode = 2;
    return;
  }
  const name = `halte_bench_bank_${randomBytes(4).toString('hex')}`;
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${name}`;
  const databaseUrl = dbUrl.toString();
  const dataDir = mkdtempSync(join(tmpdir(), 'halte-bench-bank-'));
  const env = { HALTE_DATABASE_URL: databaseUrl, HALTE_SECRET_KEY: randomBytes(32).toString('base64'), HALTE_DATA_DIR: dataDir };
  await onServer(serverUrl, `create database ${name}`);
  log(`database ${name} created; ${HASHES} hashes, ${SECONDS} s per scenario`);

  let server: ChildProcess | undefined;
  let client: pg.Client | undefined;
  const { done } = cleanUpOnce(async () => {
    if (server) await stopServer(server);
    await client?.end().catch(() => undefined);
    await onServer(serverUrl, `drop database if exists ${name} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
    log(`database ${name} dropped`);
  });

  try {
    await halte(['migrate'], env);
    const added = await halte(['partner', 'add', 'Bench', '--scopes', 'fetch,match', '--rate-limit', '1000000'], env);
    const key = /\n(hk_\S+)\n/.exec(added)?.[1];
    if (!key) throw new Error('no key printed by halte partner add');

    log('memory of a server on an empty bank');
    const empty = await serverMemory(env);
    await stopServer(empty.child);

    client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const t0 = performance.now();
    await client.query(
      `insert into bank_hash (signal_type, value, provenance, state, published)
       select 'pdq', md5(random()::text) || md5(random()::text),
         case when g % 3 = 0 then 'analyst_verified' else 'self_submitted' end, 'active', true
       from generate_series(1, $1::int) g`,
      [HASHES],
    );
    await client.query('vacuum analyze bank_hash');
    const seedSeconds = seconds(t0);
    log(`seeded ${HASHES} hashes in ${seedSeconds} s`);
    const sample = (await client.query<{ value: string }>(`select value from bank_hash tablesample system (1) limit 5000`)).rows.map((r) => r.value);

    log('memory of a server holding the bank, and its load time');
    const full = await serverMemory(env);
    server = full.child;
    const { url } = full;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

    // check the answers before measuring them
    const probe = await fetch(`${url}/api/v1/match`, { method: 'POST', headers, body: JSON.stringify({ items: [{ signalType: 'pdq', value: flip(sample[0] as string, 5) }] }) });
    const probed = (await probe.json()) as { results: { matches: { distance: number }[] }[] };
    if (probe.status !== 200 || (probed.results[0]?.matches[0]?.distance ?? 99) > 5) throw new Error(`a near-duplicate does not match: ${JSON.stringify(probed)}`);

    const pick = () => sample[Math.floor(Math.random() * sample.length)] as string;
    const batches = Array.from({ length: 64 }, () =>
      JSON.stringify({
        items: Array.from({ length: BATCH }, (_, i) => ({ signalType: 'pdq', value: i % 2 === 0 ? flip(pick(), 1 + Math.floor(Math.random() * 20)) : randomBytes(32).toString('hex') })),
      }),
    );
    const singles = Array.from({ length: 512 }, (_, i) => JSON.stringify({ items: [{ signalType: 'pdq', value: i % 2 === 0 ? flip(pick(), 8) : randomBytes(32).toString('hex') }] }));
    let b = 0;
    const match = (bodies: string[], counter: () => number) => ({
      url: `${url}/api/v1/match`,
      method: 'POST' as const,
      headers,
      requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, body: bodies[counter() % bodies.length] }) }],
    });

    log('warming up (2 s)');
    await run({ ...match(batches, () => b++), connections: 2, duration: 2 });
    log(`batches of ${BATCH}`);
    const batch = await run({ ...match(batches, () => b++), connections: 4 });
    log(`single hashes at ${TARGETS.singleRate}/s`);
    await paced(`${url}/api/v1/match`, headers, singles, TARGETS.singleRate, 2); // warm-up
    const single = await paced(`${url}/api/v1/match`, headers, singles, TARGETS.singleRate, SECONDS);

    log('the feed, whole bank');
    const t1 = performance.now();
    let cursor = '';
    let items = 0;
    for (;;) {
      const res = await fetch(`${url}/api/v1/hashes?limit=10000&cursor=${encodeURIComponent(cursor)}`, { headers });
      if (res.status !== 200) throw new Error(`feed answered ${res.status}`);
      const page = (await res.json()) as { items: unknown[]; nextCursor: string };
      items += page.items.length;
      cursor = page.nextCursor;
      if (page.items.length < 10_000) break;
    }
    const feedSeconds = (performance.now() - t1) / 1000;
    if (items !== HASHES) throw new Error(`the feed gave ${items} items for ${HASHES} hashes`);
    await stopServer(server);
    server = undefined;
    log('the PDQ index alone, in this process');
    const ceiling = indexCeiling();

    const figures = {
      memory: { emptyRssMb: empty.rssMb, fullRssMb: full.rssMb, extraMb: full.rssMb - empty.rssMb, targetExtraMb: TARGETS.extraMemoryMb, indexLoadSeconds: full.loadSeconds },
      batchMatch: {
        requestsPerSecond: Math.round(batch.requests.average),
        hashesPerSecond: Math.round(batch.requests.average * BATCH),
        target: TARGETS.batchHashesPerSecond,
        latencyP50Ms: batch.latency.p50,
        latencyP99Ms: batch.latency.p99,
        non2xx: batch.non2xx,
        errors: batch.errors,
        indexAlone: ceiling,
      },
      singleMatch: { rate: TARGETS.singleRate, ...single, targetP99Ms: TARGETS.singleP99Ms },
      feed: { items, seconds: Math.round(feedSeconds * 100) / 100, itemsPerSecond: Math.round(items / feedSeconds), target: TARGETS.feedItemsPerSecond },
    };
    const verdict = {
      memory: figures.memory.extraMb <= TARGETS.extraMemoryMb,
      batchMatch: figures.batchMatch.hashesPerSecond >= TARGETS.batchHashesPerSecond && batch.non2xx === 0,
      singleMatch: figures.singleMatch.latencyP99Ms <= TARGETS.singleP99Ms && single.non2xx === 0,
      feed: figures.feed.itemsPerSecond >= TARGETS.feedItemsPerSecond,
    };
    process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), hashes: HASHES, seedSeconds, seconds: SECONDS, figures, meetsTargets: verdict }, null, 2)}\n`);
  } finally {
    await done();
  }
}
