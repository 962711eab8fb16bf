// A notice e-mail leaves at most once, even when its worker is killed (SIGKILL) between the SMTP
// server accepting it and the database recording it. The worker is a separate process (test/
// notice-worker.mjs, the server's real handler from the build); the SMTP server here kills it the moment
// the message has been received, before answering. After a restart the notice is `uncertain` (an analyst
// checks the mailbox by Message-ID), and exactly one e-mail exists. Killed before the message left, the
// same: never a second e-mail by itself, and one click resends it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';

import { deriveKeys } from '../../crypto/keys.js';
import { Sealer } from '../../crypto/sealed.js';
import { migrateToLatest, openDatabase, type DatabaseTarget } from '../../db/database.js';
import { installJobs, Jobs } from '../../jobs/jobs.js';
import { createRootLogger, subsystemLogger } from '../../log/logger.js';
import { orient } from '../orientation/rules.js';
import { createReport } from '../reports/service.js';
import { createAccount } from '../staff/accounts.js';
import { OPERATOR } from '../audit/log.js';
import { seedHostDirectory, saveHost } from './directory.js';
import { NOTICE_SEND } from './outbox.js';
import { createNotices, noticeOutcome } from './service.js';

const WORKER = fileURLToPath(new URL('../../../test/notice-worker.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/modules/notices/outbox.js', import.meta.url));
const SERVER_URL = process.env['HALTE_TEST_DATABASE_URL'];
const QUEUE = { ...NOTICE_SEND, expireInSeconds: 2, retry: { limit: 5, delaySeconds: 0, backoff: false } };
const log = createRootLogger({ level: 'silent' });

type Backend = 'pglite' | 'postgres';
const BACKENDS: Backend[] = SERVER_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A database the worker process can open too: PGlite in a directory, or a fresh PostgreSQL database. */
async function sharedDatabase(backend: Backend): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'halte-crash-'));
    return { target: { kind: 'pglite', dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `halte_crash_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL as string);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

interface Smtp {
  port: number;
  messageIds: string[];
  /** called when a message has been received, before the server answers 250 */
  onMessage: (() => void) | null;
  /** called at MAIL FROM: before anything of the message was sent */
  onMailFrom: (() => void) | null;
  close: () => Promise<void>;
}

async function smtpServer(): Promise<Smtp> {
  const state: Smtp = { port: 0, messageIds: [], onMessage: null, onMailFrom: null, close: async () => undefined };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onMailFrom(_address, _session, callback) {
      const hook = state.onMailFrom;
      state.onMailFrom = null;
      hook?.();
      callback();
    },
    onData(stream, _session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      stream.on('end', () => {
        state.messageIds.push(/^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '?');
        const hook = state.onMessage;
        state.onMessage = null;
        hook?.();
        // the worker is dead by now: this 250 reaches nobody
        setTimeout(() => callback(), 100);
      });
    },
  });
  // the killed worker's connection ends in a reset: expected here, not a failure of the server
  server.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ECONNRESET') throw error;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.server.address() as { port: number }).port;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

function startWorker(env: Record<string, string>): { child: ChildProcess; settled: Promise<string> } {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const settled = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /SETTLED (\w+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.on('exit', (code, signal) => {
      if (!/SETTLED/.test(out)) reject(new Error(`worker exited (${code ?? signal}) before the notice settled: ${err.slice(-2000)}`));
    });
  });
  settled.catch(() => undefined);
  return { child, settled };
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve())));

/** A case with one link on a host whose channel is e-mail, and a notice about it, queued; the database closed. */
async function prepare(target: DatabaseTarget, secretKey: Uint8Array): Promise<{ noticeId: number; caseId: number; staffId: number }> {
  const database = await openDatabase(target);
  try {
    await migrateToLatest(database.db);
    await installJobs(database, [QUEUE], subsystemLogger(log, 'jobs'));
    await seedHostDirectory(database.db);
    const sealer = await Sealer.create(await deriveKeys(secretKey));
    const now = () => new Date();
    const issued = await createAccount({ db: database.db, now, publicUrl: 'http://localhost:8080' }, { email: `crash.${randomBytes(3).toString('hex')}@staff.example.org`, role: 'analyst', childSafety: false }, OPERATOR);
    const staffId = issued.account.id;
    await saveHost(database.db, 'crash-host', { name: 'Crash host', domains: ['halte-crash-host.fr'], channels: [{ kind: 'email', target: 'abuse@halte-crash-host.fr' }], country: 'FR', regulator: 'Arcom (FR)', adult: false, source: 'test', checkedAt: '2026-11-27', confidence: 'confirmed', active: true }, { kind: 'staff', id: staffId }, now());
    const created = await createReport(
      { db: database.db, sealer, orient },
      { situations: ['ncii_diffusion'], ageGroup: 'adult', madeWhenMinor: false, country: 'FR', immediateDanger: false, items: [{ kind: 'url', url: 'https://halte-crash-host.fr/v/1' }], consents: { shareWithPartners: false, contactMe: false }, language: 'fr' } as never,
      undefined,
    );
    const c = await database.db.selectFrom('case').select('id').where('reference', '=', created.body.reference).executeTakeFirstOrThrow();
    const item = await database.db.selectFrom('case_item').select('id').where('case_id', '=', c.id).executeTakeFirstOrThrow();
    const jobs = new Jobs(database, { logger: subsystemLogger(log, 'jobs') });
    const deps = { db: database.db, sealer, orient, now, jobs, mailFromAddress: 'signalements@halte.example.org' };
    const [notice] = await createNotices(deps, { id: staffId, role: 'analyst', childSafety: false }, Number(c.id), { itemIds: [Number(item.id)], grouping: 'per_host', kind: 'notice' });
    return { noticeId: notice?.id as number, caseId: Number(c.id), staffId };
  } finally {
    await database.close();
  }
}

async function noticeState(target: DatabaseTarget, noticeId: number): Promise<{ state: string; messageId: string | null; events: unknown[] }> {
  const database = await openDatabase(target);
  try {
    const n = await database.db.selectFrom('notice').select(['state', 'message_id', 'case_id']).where('id', '=', noticeId).executeTakeFirstOrThrow();
    const events = await database.db.selectFrom('event').select('data').where('case_id', '=', n.case_id).where('kind', '=', 'notice_outcome').execute();
    return { state: n.state, messageId: n.message_id, events: events.map((e) => e.data) };
  } finally {
    await database.close();
  }
}

describe.each(BACKENDS)('a notice e-mail when its worker is killed (%s)', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** An SMTP server, a database with a queued notice, and the worker's environment. */
  async function setUp() {
    if (!existsSync(BUILT)) throw new Error('the crash test runs the built server: run "npm run build" first (npm test does)');
    const smtp = await smtpServer();
    cleanups.push(smtp.close);
    const { target, drop } = await sharedDatabase(backend);
    cleanups.push(drop);
    const key = new Uint8Array(randomBytes(32));
    const prepared = await prepare(target, key);
    const env = { CRASH_DATABASE: JSON.stringify(target), CRASH_NOTICE_ID: String(prepared.noticeId), CRASH_SECRET_KEY: Buffer.from(key).toString('base64'), CRASH_SMTP_PORT: String(smtp.port) };
    return { smtp, target, key, env, ...prepared };
  }

  it('killed between the SMTP server taking it and the commit: one e-mail, then uncertain — never a second', async () => {
    const { smtp, env, target, noticeId } = await setUp();

    const first = startWorker(env);
    smtp.onMessage = () => first.child.kill('SIGKILL');
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(smtp.messageIds).toHaveLength(1);

    const second = startWorker(env);
    expect(await second.settled).toBe('uncertain');
    await exited(second.child);
    expect(smtp.messageIds).toHaveLength(1);
    const after = await noticeState(target, noticeId);
    expect(after.state).toBe('uncertain');
    expect(smtp.messageIds[0]).toBe(after.messageId);
    expect(after.events).toEqual([{ notice: noticeId, outcome: 'uncertain' }]);
  }, 120_000);

  it('killed before anything left: still never sent by itself; the analyst resends, and exactly one arrives', async () => {
    const { smtp, env, target, key, noticeId, caseId, staffId } = await setUp();

    const first = startWorker(env);
    smtp.onMailFrom = () => first.child.kill('SIGKILL');
    await exited(first.child);
    const second = startWorker(env);
    expect(await second.settled).toBe('uncertain');
    await exited(second.child);
    expect(smtp.messageIds).toHaveLength(0);

    // the analyst checked the mailbox: not there — resend
    const database = await openDatabase(target);
    try {
      const sealer = await Sealer.create(await deriveKeys(key));
      const jobs = new Jobs(database, { logger: subsystemLogger(log, 'jobs') });
      await noticeOutcome({ db: database.db, sealer, orient, now: () => new Date(), jobs, mailFromAddress: 'signalements@halte.example.org' }, { id: staffId, role: 'analyst', childSafety: false }, caseId, noticeId, 'resend');
    } finally {
      await database.close();
    }
    const third = startWorker(env);
    expect(await third.settled).toBe('sent');
    await exited(third.child);
    expect(smtp.messageIds).toHaveLength(1);
  }, 120_000);
});
