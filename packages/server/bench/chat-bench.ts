// `npm run -s bench -w @halte/server -- chat`: the live chat under load, against `halte serve` (a separate
// process) on PGlite and, when HALTE_BENCH_DATABASE_URL or HALTE_TEST_DATABASE_URL is set, on
// PostgreSQL. 500 people start a chat and keep their WebSocket open; then 50 messages a second for 20 s,
// spread over the chats. For each message: the time to its `ack` (stored, committed, numbered) and the
// time until the same message comes back on the socket as a `message` frame — the full delivery path
// (commit → bus → read from the database → push), the one a counsellor's screen takes. Also the server's
// resident memory before and after the sockets opened (per open chat). The load generator shares the
// machine's two cores with the server: compare figures from one run.
// Options: --chats=N (default 500), --rate=N messages/s (default 50), --seconds=N (default 20).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import WebSocket from 'ws';

import { cleanUpOnce, log, onServer, startServer, stopServer } from './process.js';

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const CHATS = arg('chats', 500);
const RATE = arg('rate', 50);
const SECONDS = arg('seconds', 20);
const SERVER_URL = process.env['HALTE_BENCH_DATABASE_URL'] ?? process.env['HALTE_TEST_DATABASE_URL'];
const TARGET_P99_MS = 200;
const BENCH_KEY = randomBytes(32).toString('base64');

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round((kb / 1024) * 10) / 10;
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN) * 10) / 10);

interface Person {
  readonly ws: WebSocket;
  readonly sentAt: Map<string, number>;
}

async function openPerson(origin: string, ackMs: number[], deliveryMs: number[]): Promise<Person> {
  const started = await fetch(`${origin}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ situation: 'sextortion', ageGroup: 'adult', inDanger: false, country: 'FR', language: 'fr' }),
  });
  if (started.status !== 201) throw new Error(`POST /api/chat answered ${started.status}`);
  const { token } = (await started.json()) as { token: string };
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/chat/ws`);
  const sentAt = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token, lastSeq: 0 })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; clientId?: string | null };
      if (frame.type === 'welcome') resolve();
      const at = frame.clientId === undefined || frame.clientId === null ? undefined : sentAt.get(frame.clientId);
      if (at === undefined) return;
      if (frame.type === 'ack') ackMs.push(performance.now() - at);
      if (frame.type === 'message') deliveryMs.push(performance.now() - at);
    });
  });
  return { ws, sentAt };
}

async function measure(env: Record<string, string>): Promise<Record<string, unknown>> {
  const { child, url } = await startServer({ HALTE_SECRET_KEY: BENCH_KEY, ...env });
  try {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = rssMb(child.pid as number);
    const ackMs: number[] = [];
    const deliveryMs: number[] = [];
    const people: Person[] = [];
    const t0 = performance.now();
    for (let i = 0; i < CHATS; i += 25) people.push(...(await Promise.all(Array.from({ length: Math.min(25, CHATS - i) }, () => openPerson(url, ackMs, deliveryMs)))));
    const openSeconds = Math.round((performance.now() - t0) / 10) / 100;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const open = rssMb(child.pid as number);
    log(`${CHATS} chats open in ${openSeconds} s; sending ${RATE} messages/s for ${SECONDS} s`);
    let sent = 0;
    const total = RATE * SECONDS;
    const start = performance.now();
    while (sent < total) {
      const due = Math.floor(((performance.now() - start) / 1000) * RATE);
      for (; sent < Math.min(due, total); sent++) {
        const person = people[sent % people.length] as Person;
        const clientId = `bench-${sent.toString().padStart(8, '0')}`;
        person.sentAt.set(clientId, performance.now());
        person.ws.send(JSON.stringify({ type: 'message', clientId, body: `Message ${sent}: il me menace, que faire ?` }));
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const deadline = performance.now() + 30_000;
    while ((ackMs.length < total || deliveryMs.length < total) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = rssMb(child.pid as number);
    for (const person of people) person.ws.close();
    ackMs.sort((a, b) => a - b);
    deliveryMs.sort((a, b) => a - b);
    return {
      chats: CHATS,
      messages: total,
      acknowledged: ackMs.length,
      delivered: deliveryMs.length,
      ackMs: { p50: percentile(ackMs, 50), p99: percentile(ackMs, 99), max: percentile(ackMs, 100) },
      deliveryMs: { p50: percentile(deliveryMs, 50), p99: percentile(deliveryMs, 99), max: percentile(deliveryMs, 100), targetP99: TARGET_P99_MS },
      memoryMb: { before, withChatsOpen: open, afterLoad: after, perOpenChatKb: Math.round(((open - before) * 1024) / CHATS) },
      openSeconds,
    };
  } finally {
    await stopServer(child);
  }
}

export async function runChatBench(): Promise<void> {
  const results: Record<string, unknown> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'halte-chat-bench-'));
  const database = `halte_chat_bench_${randomBytes(4).toString('hex')}`;
  const cleanUp = cleanUpOnce(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (SERVER_URL) await onServer(SERVER_URL, `drop database if exists ${database} with (force)`).catch(() => undefined);
  });
  try {
    log('chat bench on PGlite');
    results['pglite'] = await measure({ HALTE_DATA_DIR: dataDir });
    if (SERVER_URL) {
      await onServer(SERVER_URL, `create database ${database}`);
      const url = new URL(SERVER_URL);
      url.pathname = `/${database}`;
      log('chat bench on PostgreSQL');
      results['postgres'] = await measure({ HALTE_DATABASE_URL: url.toString(), HALTE_DATA_DIR: dataDir });
    } else {
      log('PostgreSQL skipped: set HALTE_BENCH_DATABASE_URL (or HALTE_TEST_DATABASE_URL) to a server');
    }
  } finally {
    await cleanUp.done();
  }
  process.stdout.write(`${JSON.stringify({ date: new Date().toISOString(), rate: RATE, seconds: SECONDS, results }, null, 2)}\n`);
}
