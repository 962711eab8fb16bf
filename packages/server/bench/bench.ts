// npm run bench -w @halte/server — report submissions and follow-up reads against `halte serve`
// (a separate process, as in production) on PGlite and, when HALTE_BENCH_DATABASE_URL or
// HALTE_TEST_DATABASE_URL is set, on PostgreSQL. The load generator (autocannon) shares the machine's
// cores with the server: compare figures from one run. Prints one JSON report on stdout.
// Options: --seconds=N (default 10), --connections=N (default 20).
// `npm run -s bench -w @halte/server -- cases` runs the case-work benchmark instead (cases-bench.ts),
// `-- bank` the hash bank's (bank-bench.ts), `-- chat` the live chat's (chat-bench.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import autocannon from 'autocannon';
import pg from 'pg';

import { log, startServer, stopServer } from './process.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 10);
const CONNECTIONS = arg('connections', 20);
const SERVER_URL = process.env['HALTE_BENCH_DATABASE_URL'] ?? process.env['HALTE_TEST_DATABASE_URL'];

const hex = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((seed * 7 + i * 13) % 16).toString(16)).join('');
const REPORT = JSON.stringify({
  situations: ['sextortion', 'ncii_diffusion'],
  ageGroup: 'minor',
  madeWhenMinor: true,
  country: 'FR',
  postalCode: '69003',
  immediateDanger: false,
  items: [
    ...[1, 2, 3].map((s) => ({ kind: 'image', pdq: hex(64, s), quality: 100, md5: hex(32, s), sha256: hex(64, s + 10) })),
    { kind: 'url', url: 'https://social.example/p/123' },
    { kind: 'url', url: 'https://video.example/watch?v=abc' },
  ],
  summary: 'Quelqu’un menace de publier des photos si je ne paie pas.',
  contact: { email: 'bench@example.org' },
  consents: { shareWithPartners: true, contactMe: true },
});



async function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ ...options, duration: SECONDS, connections: CONNECTIONS }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function figures(result: autocannon.Result) {
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The key the benchmark's server seals with (a throwaway: the database is too). */
const BENCH_KEY = 'YmVuY2htYXJrLW9ubHkta2V5LWZvci1oYWx0ZS0wMDA=';

async function benchBackend(name: string, env: Record<string, string>): Promise<unknown> {
  const { url, child } = await startServer({ HALTE_SECRET_KEY: BENCH_KEY, ...env });
  try {
    log(`${name}: server at ${url}; ${SECONDS} s × ${CONNECTIONS} connections`);
    await run({ url: `${url}/api/health`, duration: 2 }); // warm-up
    const reports = await run({ url: `${url}/api/reports`, method: 'POST', headers: { 'content-type': 'application/json' }, body: REPORT });
    log(`${name}: reports ${figures(reports).requestsPerSecond}/s p99 ${reports.latency.p99} ms`);
    const created = await (await fetch(`${url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: REPORT })).json() as { reference: string; pin: string };
    const login = await fetch(`${url}/api/followup/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: created.reference, pin: created.pin }),
    });
    if (login.status !== 201) throw new Error(`follow-up login failed: ${login.status}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const reads = await run({ url: `${url}/api/followup`, headers: { cookie } });
    log(`${name}: follow-up reads ${figures(reads).requestsPerSecond}/s p99 ${reads.latency.p99} ms`);
    return { database: name, reports: figures(reports), followupReads: figures(reads) };
  } finally {
    await stopServer(child);
  }
}

async function main(): Promise<void> {
  const results = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'halte-bench-'));
  try {
    results.push(await benchBackend('pglite', { HALTE_DATA_DIR: dataDir }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (SERVER_URL) {
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query('drop database if exists halte_bench with (force)');
    await admin.query('create database halte_bench');
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = '/halte_bench';
    const keyDir = mkdtempSync(join(tmpdir(), 'halte-bench-'));
    try {
      results.push(await benchBackend('postgresql', { HALTE_DATABASE_URL: url.toString(), HALTE_DATA_DIR: keyDir }));
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  } else {
    log('PostgreSQL skipped: set HALTE_BENCH_DATABASE_URL (or HALTE_TEST_DATABASE_URL) to a server');
  }
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, connections: CONNECTIONS, results }, null, 2)}\n`);
}

if (process.argv.slice(2).includes('cases')) {
  const { runCasesBench } = await import('./cases-bench.js');
  await runCasesBench();
} else if (process.argv.slice(2).includes('bank')) {
  const { runBankBench } = await import('./bank-bench.js');
  await runBankBench();
} else if (process.argv.slice(2).includes('chat')) {
  const { runChatBench } = await import('./chat-bench.js');
  await runChatBench();
} else {
  await main();
}
