import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../test/app.js';
import { BACKENDS } from '../../test/database.js';
import { captureLogs, FAST, sleep, startTestJobs, waitFor } from '../../test/jobs.js';
import { freePort, startSmtpServer, type TestSmtpServer } from '../../test/smtp.js';
import { loadConfig } from '../config/config.js';
import type { Jobs } from '../jobs/jobs.js';
import { createJobs, QUEUES, startJobs } from '../jobs/registry.js';
import { subsystemLogger } from '../log/logger.js';
import { createMailer, type Mailer } from './mailer.js';
import { MAIL_SEND, mailSendHandler, sendFollowupMessageMail, type MailDeps, type MailJob } from './send.js';
import { followupPageUrl } from './templates.js';

const PUBLIC_URL = 'https://halte.example.org';
const ADDRESS = 'person.at.risk@example.org';
const SUMMARY = 'SUMMARY-he-threatens-to-post-the-pictures';
const MESSAGE = 'MESSAGE-we-asked-the-host-to-remove-them';
// fast retries in tests: 1 s, 2 s … (production: 30 s doubling, 12 times)
const FAST_MAIL = { ...MAIL_SEND, retry: { limit: 5, delaySeconds: 1, backoff: true } };
const TEST_QUEUES = [FAST_MAIL, ...QUEUES.filter((q) => q.name !== MAIL_SEND.name)];

function mailerFor(port: number, auth = ''): Mailer {
  const config = loadConfig({ HALTE_SMTP_URL: `smtp://${auth}127.0.0.1:${port}`, HALTE_MAIL_FROM: 'Halte <no-reply@halte.example.org>', HALTE_PUBLIC_URL: PUBLIC_URL });
  return createMailer(config.mail);
}

describe.each(BACKENDS)('e-mail from durable jobs (%s)', (backend) => {
  const logs = captureLogs();
  let t: TestApp;
  let smtp: TestSmtpServer;
  let jobs: Jobs | undefined;
  let mailer: Mailer | undefined;

  beforeAll(async () => {
    t = await createTestApp(backend, logs.logger);
    smtp = await startSmtpServer();
    await startTestJobs(t.database, TEST_QUEUES).then((j) => j.stop()); // installs the queues once
  });
  afterEach(async () => {
    await jobs?.stop();
    mailer?.close();
    jobs = undefined;
    mailer = undefined;
  });
  afterAll(async () => {
    await smtp.close();
    await t.close();
    // nothing personal reached a log line: no address, no summary, no message, no reference
    expect(logs.text()).not.toContain(ADDRESS);
    expect(logs.text()).not.toContain(SUMMARY);
    expect(logs.text()).not.toContain(MESSAGE);
    expect(logs.text()).not.toMatch(/HLT-[0-9A-Z]{4}-/);
  });

  const deps = (m: Mailer): MailDeps => ({ db: t.database.db, sealer: t.sealer, mailer: m, publicUrl: PUBLIC_URL, log: subsystemLogger(logs.logger, 'mail') });

  async function work(m: Mailer): Promise<Jobs> {
    mailer = m;
    jobs = await startTestJobs(t.database, TEST_QUEUES, { install: false, logger: logs.logger });
    await jobs.work(FAST_MAIL, mailSendHandler(deps(m)));
    return jobs;
  }

  /** A report through the API; returns its case id, reference and PIN. */
  async function newCase(options: { contactMe?: boolean; email?: string | null } = {}): Promise<{ caseId: number; reference: string; pin: string }> {
    const email = options.email === undefined ? ADDRESS : options.email;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/reports',
      payload: {
        situations: ['sextortion'],
        ageGroup: 'minor',
        madeWhenMinor: true,
        country: 'FR',
        immediateDanger: false,
        items: [],
        summary: SUMMARY,
        ...(email === null ? {} : { contact: { email } }),
        consents: { shareWithPartners: false, contactMe: options.contactMe ?? true },
      },
    });
    expect(res.statusCode).toBe(201);
    const { reference, pin } = res.json<{ reference: string; pin: string }>();
    const { id } = await t.database.db.selectFrom('case').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    return { caseId: id, reference, pin };
  }

  /** What the staff answer (issue 5) will do: the message and its e-mail job in one transaction. */
  async function answer(sender: Pick<Jobs, 'send'>, caseId: number, language: 'fr' | 'en', fail = false): Promise<{ messageId: number; jobId: string | null }> {
    let messageId = 0;
    let jobId: string | null = null;
    await t.database.db.transaction().execute(async (trx) => {
      messageId = (await trx.insertInto('message').values({ case_id: caseId, author: 'staff', body_enc: t.sealer.seal(MESSAGE) }).returning('id').executeTakeFirstOrThrow()).id;
      jobId = await sendFollowupMessageMail(sender, trx, { caseId, messageId, language });
      if (fail) throw new Error('the answer could not be saved');
    });
    return { messageId, jobId };
  }

  const delivery = (messageId: number) =>
    t.database.db.selectFrom('mail_delivery').select(['state', 'attempts', 'sent_at']).where('key', '=', `followup-message:${messageId}`).executeTakeFirst();
  const mailsTo = (address: string) => smtp.received.filter((m) => m.rcptTo.includes(address));

  it.each([
    ['fr', 'Un message vous attend dans votre suivi', 'L’équipe Halte vous a écrit.'],
    ['en', 'A message is waiting in your follow-up', 'The Halte team wrote to you.'],
  ] as const)('tells the person (%s) that a message waits, with a link and nothing of the case', async (language, subject, line) => {
    const sender = await work(mailerFor(smtp.port));
    const { caseId, reference, pin } = await newCase({ email: `${language}.${ADDRESS}` });
    const before = smtp.received.length;
    const { messageId, jobId } = await answer(sender, caseId, language);
    await waitFor(() => smtp.received.length === before + 1, 20_000, 'the e-mail');
    const mail = smtp.received.at(-1);
    if (!mail) throw new Error('no mail');
    expect(mail.mailFrom).toBe('no-reply@halte.example.org');
    expect(mail.rcptTo).toEqual([`${language}.${ADDRESS}`]);
    expect(mail.headers.get('from')).toBe('Halte <no-reply@halte.example.org>');
    expect(mail.headers.get('to')).toBe(`${language}.${ADDRESS}`);
    expect(mail.headers.get('subject')).toBe(subject);
    expect(mail.headers.get('content-language')).toBe(language);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@halte\.example\.org>$/);
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(line);
      expect(body).toContain(followupPageUrl(PUBLIC_URL));
      // nothing of the case: no reference, PIN, summary, message, address, situation
      for (const secret of [reference, pin, SUMMARY, MESSAGE, ADDRESS, 'sextortion', 'minor', 'mineur']) expect(body).not.toContain(secret);
    }
    expect(mail.text).toBe(mail.text.replace(/https?:\/\/\S+/g, (url) => (url.startsWith(`${PUBLIC_URL}/`) ? url : 'FOREIGN')));
    // plain HTML: no image, script, style sheet or frame; every link and source is Halte's own page
    expect(mail.html).not.toMatch(/<(img|script|link|iframe|object|embed)\b/i);
    const urls = [...mail.html.matchAll(/(?:href|src|url)\s*[=(]\s*["']?([^"' )>]+)/gi)].map((m) => m[1]);
    expect(urls).toEqual([followupPageUrl(PUBLIC_URL)]);
    await waitFor(async () => (await sender.job(FAST_MAIL, jobId as string))?.state === 'completed', 5_000, 'completion');
    expect(await delivery(messageId)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('is delivered by the workers halte serve starts', async () => {
    mailer = mailerFor(smtp.port);
    jobs = createJobs(t.database, logs.logger, FAST);
    await startJobs(jobs, { database: t.database, sealer: t.sealer, mailer, publicUrl: PUBLIC_URL, logger: logs.logger });
    const { caseId } = await newCase({ email: `serve.${ADDRESS}` });
    await answer(jobs, caseId, 'en');
    await waitFor(() => mailsTo(`serve.${ADDRESS}`).length === 1, 20_000, 'the e-mail');
  });

  it('sends nothing when the answer’s transaction rolls back', async () => {
    const sender = await work(mailerFor(smtp.port));
    const { caseId } = await newCase({ email: `rollback.${ADDRESS}` });
    await expect(answer(sender, caseId, 'fr', true)).rejects.toThrow('could not be saved');
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from pgboss.job where name = 'mail.send' and (data->'to'->>'caseId')::int = ${caseId}`.execute(t.database.db);
    expect(rows[0]?.count).toBe(0);
    await sleep(1_500);
    expect(mailsTo(`rollback.${ADDRESS}`)).toEqual([]);
  });

  it('sends once: a job sent again, or run again after the SMTP server accepted it, sends nothing more', async () => {
    const m = mailerFor(smtp.port);
    const sender = await work(m);
    const to = `once.${ADDRESS}`;
    const { caseId } = await newCase({ email: to });
    const { messageId } = await answer(sender, caseId, 'fr');
    await waitFor(() => mailsTo(to).length === 1);
    await waitFor(async () => (await delivery(messageId))?.state === 'sent', 5_000, 'the sent-marker');
    // the same message's e-mail queued again: its key is known
    const again = await t.database.db.transaction().execute((trx) => sendFollowupMessageMail(sender, trx, { caseId, messageId, language: 'fr' }));
    expect(again).toBeNull();
    // the job run again, as after a crash between "accepted" and "job completed"
    const payload: MailJob = { key: `followup-message:${messageId}`, template: 'followup-message-waiting', language: 'fr', to: { kind: 'case-contact', caseId } };
    await mailSendHandler(deps(m))(payload, { id: 'rerun', queue: MAIL_SEND.name, attempt: 2, lastAttempt: false });
    await sleep(1_200);
    expect(mailsTo(to)).toHaveLength(1);
    expect(await delivery(messageId)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('waits while another attempt may be sending; resends with the same Message-ID once that attempt is surely dead', async () => {
    const m = mailerFor(smtp.port);
    mailer = m;
    const to = `unknown.${ADDRESS}`;
    const { caseId } = await newCase({ email: to });
    const key = 'followup-message:unknown-outcome';
    const payload: MailJob = { key, template: 'followup-message-waiting', language: 'en', to: { kind: 'case-contact', caseId } };
    const run = () => mailSendHandler(deps(m))(payload, { id: 'direct', queue: MAIL_SEND.name, attempt: 2, lastAttempt: false });
    // an attempt started a moment ago (another worker, or this one before a crash): not sent again yet
    await t.database.db.insertInto('mail_delivery').values({ key, state: 'sending', attempts: 1 }).execute();
    await expect(run()).rejects.toMatchObject({ code: 'MAIL_IN_PROGRESS' });
    expect(mailsTo(to)).toEqual([]);
    // ten minutes later it has surely ended, outcome unknown: at least once wins over never
    await sql`update mail_delivery set updated_at = now() - interval '10 minutes' where key = ${key}`.execute(t.database.db);
    await run();
    expect(mailsTo(to)).toHaveLength(1);
    expect(logs.text()).toContain('an earlier attempt ended without a known outcome');
    expect(await t.database.db.selectFrom('mail_delivery').select(['state', 'attempts']).where('key', '=', key).executeTakeFirst()).toEqual({ state: 'sent', attempts: 2 });
  });

  it('retries while the SMTP server is down, and delivers once it is back', async () => {
    const port = await freePort();
    const sender = await work(mailerFor(port));
    const to = `down.${ADDRESS}`;
    const { caseId } = await newCase({ email: to });
    const { messageId, jobId } = await answer(sender, caseId, 'fr');
    await waitFor(async () => (await sender.job(FAST_MAIL, jobId as string))?.state === 'retry', 20_000, 'a failed attempt');
    const failed = await sender.job(FAST_MAIL, jobId as string);
    expect(JSON.stringify(failed?.output)).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
    expect(JSON.stringify(failed?.output)).not.toContain(to);
    expect(await delivery(messageId)).toMatchObject({ state: 'failed' });
    const back = await startSmtpServer({ port });
    try {
      await waitFor(() => back.received.length === 1, 30_000, 'the delivery after the server came back');
      expect(back.received[0]?.rcptTo).toEqual([to]);
      await waitFor(async () => (await sender.job(FAST_MAIL, jobId as string))?.state === 'completed', 5_000, 'completion');
      expect((await sender.job(FAST_MAIL, jobId as string))?.retryCount).toBeGreaterThanOrEqual(1);
      expect(await delivery(messageId)).toMatchObject({ state: 'sent' });
    } finally {
      await jobs?.stop();
      jobs = undefined;
      await back.close();
    }
  });

  it('without HALTE_SMTP_URL, fails the job clearly and keeps it for a retry; health is unaffected', async () => {
    const sender = await work(createMailer(null));
    const { caseId } = await newCase({ email: `disabled.${ADDRESS}` });
    const { messageId, jobId } = await answer(sender, caseId, 'en');
    await waitFor(async () => (await sender.job(FAST_MAIL, jobId as string))?.state === 'retry', 20_000, 'a failed attempt');
    expect(JSON.stringify((await sender.job(FAST_MAIL, jobId as string))?.output)).toContain('MAIL_DISABLED');
    expect(await delivery(messageId)).toBeUndefined();
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await sender.stop();
    jobs = undefined;
    // configured later: the waiting job goes out
    const fixed = await work(mailerFor(smtp.port));
    await waitFor(async () => (await fixed.job(FAST_MAIL, jobId as string))?.state === 'completed', 30_000, 'the retry with e-mail configured');
    expect(mailsTo(`disabled.${ADDRESS}`)).toHaveLength(1);
  });

  it('sends nothing without consent, without an address, or once the case is withdrawn', async () => {
    const sender = await work(mailerFor(smtp.port));
    const noConsent = await newCase({ email: `noconsent.${ADDRESS}`, contactMe: false });
    const noAddress = await newCase({ email: null });
    const withdrawn = await newCase({ email: `withdrawn.${ADDRESS}` });
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference: withdrawn.reference, pin: withdrawn.pin } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const out = await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', headers: { cookie, 'content-type': 'application/json' }, payload: {} });
    expect(out.statusCode).toBeLessThan(300);
    const answers = [await answer(sender, noConsent.caseId, 'fr'), await answer(sender, noAddress.caseId, 'fr'), await answer(sender, withdrawn.caseId, 'fr')];
    for (const { jobId } of answers) await waitFor(async () => (await sender.job(FAST_MAIL, jobId as string))?.state === 'completed');
    for (const { messageId } of answers) expect(await delivery(messageId)).toMatchObject({ state: 'skipped' });
    expect(mailsTo(`noconsent.${ADDRESS}`)).toEqual([]);
    expect(mailsTo(`withdrawn.${ADDRESS}`)).toEqual([]);
  });

  it('logs in to the SMTP server with the URL’s user and password', async () => {
    const guarded = await startSmtpServer({ auth: { user: 'halte', pass: 'p@ss w0rd' } });
    try {
      const sender = await work(mailerFor(guarded.port, 'halte:p%40ss%20w0rd@'));
      const { caseId } = await newCase({ email: `auth.${ADDRESS}` });
      await answer(sender, caseId, 'en');
      await waitFor(() => guarded.received.length === 1, 20_000, 'the authenticated delivery');
    } finally {
      await jobs?.stop();
      jobs = undefined;
      await guarded.close();
    }
  });
});
