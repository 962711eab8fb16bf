// Takedown work over HTTP, on PGlite and PostgreSQL: the host directory, the notice preview and its
// sending to a real SMTP server (in process), forms submitted by hand, the links' states with their
// deadlines and the person's follow-up, escalations, hosts' replies, the link checker against a local
// server, the due list, who may do what, bad input, and withdrawal.
import { createServer, type Server } from 'node:http';

import { CaseTakedowns, DueList, FollowupView, HostDirectory, NoticePreviews, NoticesCreated, type ReportRequest, type StaffRole } from '@halte/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { startTestJobs, waitFor } from '../../../test/jobs.js';
import { startSmtpServer, type TestSmtpServer } from '../../../test/smtp.js';
import { harness, testClock, type Member } from '../../../test/staff.js';
import { loadConfig } from '../../config/config.js';
import { QUEUES } from '../../jobs/registry.js';
import { createRootLogger, subsystemLogger } from '../../log/logger.js';
import { createMailer, type Mailer } from '../../mail/mailer.js';
import { writeSettings } from '../cases/settings.js';
import { NOTICE_SEND, noticeSendHandler } from './outbox.js';
import { LINK_CHECK, linkCheckHandler, sweepTakedowns } from './sweep.js';

const PERSON_EMAIL = 'personne.notices@example.org';
const HOST_EMAIL = 'abuse@halte-test-host.fr';
const FAST_NOTICE = { ...NOTICE_SEND, retry: { limit: 3, delaySeconds: 1, backoff: false } };
const TEST_QUEUES = [FAST_NOTICE, ...QUEUES.filter((q) => q.name !== NOTICE_SEND.name)];

describe.each(BACKENDS)('takedown notices on %s', (backend) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  let web: Server;
  let webPort = 0;
  const clock = testClock();
  const h = harness(() => t, clock);
  const team: Partial<Record<'analyst' | 'analystChild' | 'admin', Member>> = {};
  const m = (k: keyof typeof team): Member => team[k] as Member;
  const log = subsystemLogger(createRootLogger({ level: 'silent' }), 'notices');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // the links the checker visits: /gone answers 404, anything else 200
    web = createServer((req, res) => {
      res.statusCode = req.url?.startsWith('/gone') ? 404 : 200;
      res.end(req.method === 'GET' ? 'content' : undefined);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webPort = (web.address() as { port: number }).port;
    mailer = createMailer(loadConfig({ HALTE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HALTE_MAIL_FROM: 'Halte <signalements@halte.example.org>', HALTE_PUBLIC_URL: 'http://localhost:8080' }).mail);
    t = await createTestApp(backend, undefined, {
      now: clock.now,
      env: { HALTE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HALTE_MAIL_FROM: 'Halte <signalements@halte.example.org>', HALTE_PUBLIC_URL: 'http://localhost:8080' },
      jobs: async (database, sealer) => {
        const jobs = await startTestJobs(database, TEST_QUEUES);
        await jobs.work(FAST_NOTICE, noticeSendHandler({ db: database.db, sealer, mailer, log }));
        await jobs.work(LINK_CHECK, linkCheckHandler({ db: database.db, log, allowHosts: ['127.0.0.1'] }));
        return jobs;
      },
    });
    await t.app.ready();
    clock.advance(Date.now() - clock.now().getTime());
    const roles: [keyof typeof team, StaffRole, boolean][] = [
      ['analyst', 'analyst', false],
      ['analystChild', 'analyst', true],
      ['admin', 'admin', true],
    ];
    for (const [key, role, child] of roles) team[key] = await h.member(role, child);
    // a test host whose channel is an e-mail address (the SMTP server here), and one with a form only
    const put = (id: string, body: unknown) => t.app.inject({ method: 'PUT', url: `/api/staff/hosts/${id}`, headers: h.as(m('admin')), payload: body as Record<string, unknown> });
    const common = { country: 'FR', regulator: 'Arcom (FR)', adult: false, source: 'test fixture', checkedAt: '2026-11-27', confidence: 'confirmed' };
    expect((await put('test-mail-host', { ...common, name: 'Test mail host', domains: ['halte-test-host.fr'], channels: [{ kind: 'email', target: HOST_EMAIL }] })).statusCode).toBe(200);
    expect((await put('test-form-host', { ...common, name: 'Test form host', domains: ['halte-form-host.fr'], channels: [{ kind: 'dsa_form', target: 'https://halte-form-host.fr/dsa' }] })).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    mailer?.close();
    await smtp?.close();
    await new Promise((resolve) => web?.close(resolve));
  });

  async function report(urls: string[], facts: Partial<ReportRequest> = {}): Promise<{ id: number; reference: string; pin: string }> {
    const body: ReportRequest = {
      situations: ['sextortion'],
      ageGroup: 'adult',
      madeWhenMinor: false,
      country: 'FR',
      immediateDanger: false,
      items: urls.map((url) => ({ kind: 'url', url })),
      contact: { email: PERSON_EMAIL },
      consents: { shareWithPartners: false, contactMe: true },
      ...facts,
    } as ReportRequest;
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    const { reference, pin } = res.json() as { reference: string; pin: string };
    const row = await t.database.db.selectFrom('case').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    return { id: Number(row.id), reference, pin };
  }

  const post = (url: string, body: unknown, who: Member) => t.app.inject({ method: 'POST', url, headers: h.as(who), payload: body as Record<string, unknown> });
  const code = (res: { statusCode: number; json: () => unknown }) => [res.statusCode, (res.json() as { error?: { code: string } }).error?.code];
  const takedowns = async (id: number, who = m('analyst')) => CaseTakedowns.parse((await h.get(`/api/staff/cases/${id}/takedowns`, who)).json());
  const linkIds = async (id: number) => (await takedowns(id)).links.map((l) => l.itemId);

  async function followup(c: { reference: string; pin: string }): Promise<FollowupView> {
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference: c.reference, pin: c.pin }, remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` });
    expect(login.statusCode, login.body).toBe(201);
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    return FollowupView.parse((await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).json());
  }

  it('seeds the host directory and lets only admins edit it', async () => {
    const hosts = HostDirectory.parse((await h.get('/api/staff/hosts', m('analyst'))).json()).hosts;
    for (const id of ['instagram', 'pornhub', 'telegram', 'test-mail-host']) expect(hosts.map((x) => x.id)).toContain(id);
    const body = { name: 'X', domains: ['x.com'], channels: [{ kind: 'email', target: 'a@b.fr' }], country: null, regulator: null, adult: false, source: 's', checkedAt: '2026-11-27', confidence: 'unconfirmed' };
    expect(code(await t.app.inject({ method: 'PUT', url: '/api/staff/hosts/x', headers: h.as(m('analyst')), payload: body }))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
    const bad = async (b: unknown, id = 'new-host') => code(await t.app.inject({ method: 'PUT', url: `/api/staff/hosts/${id}`, headers: h.as(m('admin')), payload: b as Record<string, unknown> }));
    expect(await bad({ ...body, channels: [{ kind: 'dsa_form', target: 'http://plain.example' }] })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad({ ...body, channels: [{ kind: 'email', target: 'not-an-address' }] })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad({ ...body, domains: [] })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad({ ...body, domains: ['../etc'] })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad(body, 'Not_A_Slug')).toEqual([400, 'VALIDATION_FAILED']);
    expect(await bad({ ...body, extra: 1 })).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('previews a notice with the four DSA elements, and never the person’s address', async () => {
    const c = await report(['https://www.instagram.com/p/abc123/', 'https://unknown-host-for-halte.fr/x']);
    const links = await takedowns(c.id);
    expect(links.links.map((l) => [l.state, l.host?.id ?? null])).toEqual([
      ['reported', 'instagram'],
      ['reported', null],
    ]);
    const [insta, unknown] = links.links.map((l) => l.itemId) as [number, number];
    const res = await post(`/api/staff/cases/${c.id}/notices/preview`, { itemIds: [insta] }, m('analyst'));
    expect(res.statusCode, res.body).toBe(200);
    const [preview] = NoticePreviews.parse(res.json()).notices;
    expect(preview?.hostId).toBe('instagram');
    expect(preview?.language).toBe('en'); // Meta is established in Ireland
    expect(preview?.text).toContain('https://www.instagram.com/p/abc123/');
    expect(preview?.text).toContain('Article 16(2)(a)');
    expect(preview?.text).toContain('I state in good faith');
    expect(preview?.text).toContain('signalements@halte.example.org');
    expect(preview?.text).not.toContain(PERSON_EMAIL);
    // French on request
    const fr = NoticePreviews.parse((await post(`/api/staff/cases/${c.id}/notices/preview`, { itemIds: [insta], language: 'fr' }, m('analyst'))).json());
    expect(fr.notices[0]?.text).toContain('Je déclare de bonne foi');
    // an unknown host: refused, and on the due list
    expect(code(await post(`/api/staff/cases/${c.id}/notices/preview`, { itemIds: [unknown] }, m('analyst')))).toEqual([422, 'HOST_UNKNOWN']);
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.filter((d) => d.itemId === unknown).map((d) => d.reason)).toEqual(['unknown_host']);
    expect(due.items.some((d) => d.itemId === insta)).toBe(false);
  });

  it('sends an e-mail notice once through SMTP; the link and the person’s follow-up move on', async () => {
    const c = await report(['https://halte-test-host.fr/video/1', 'https://www.halte-test-host.fr/video/2']);
    const ids = await linkIds(c.id);
    const before = smtp.received.length;
    const res = await post(`/api/staff/cases/${c.id}/notices`, { itemIds: ids, language: 'fr' }, m('analyst'));
    expect(res.statusCode, res.body).toBe(201);
    const [created] = NoticesCreated.parse(res.json()).notices;
    expect(created?.state).toBe('queued');
    await waitFor(async () => (await takedowns(c.id)).notices[0]?.state === 'sent', 20_000, 'the notice sent');
    const mails = smtp.received.slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.rcptTo).toContain(HOST_EMAIL);
    expect(mail?.headers.get('subject')).toContain('Notification de contenus illicites');
    expect(mail?.text).toContain('https://halte-test-host.fr/video/1');
    expect(mail?.text).toContain('https://www.halte-test-host.fr/video/2');
    expect(mail?.text).toContain(`HALTE-N${created?.id}`);
    expect(mail?.raw).not.toContain(PERSON_EMAIL);
    expect(mail?.raw).not.toContain(c.reference);
    const after = await takedowns(c.id);
    expect(after.links.map((l) => l.state)).toEqual(['notice_sent', 'notice_sent']);
    expect(after.links[0]?.reminderDueAt).not.toBeNull();
    expect(after.notices[0]?.messageId).toMatch(/^<notice-[0-9a-f-]+@halte\.example\.org>$/);
    expect(mail?.headers.get('message-id')).toBe(after.notices[0]?.messageId);
    // a second notice for the same links: refused (the first one left)
    expect(code(await post(`/api/staff/cases/${c.id}/notices`, { itemIds: ids }, m('analyst')))).toEqual([409, 'TAKEDOWN_MOVE_REFUSED']);
    // the job running again sends nothing
    const jobs = await t.database.db.selectFrom('notice').select('id').where('case_id', '=', c.id).execute();
    await noticeSendHandler({ db: t.database.db, sealer: t.sealer, mailer, log })({ noticeId: Number(jobs[0]?.id) }, { id: 'again', queue: 'notice.send', attempt: 2, lastAttempt: false });
    expect(smtp.received.length - before).toBe(1);
    // the person reads it in plain words, with the host's name
    const view = await followup(c);
    expect(view.timeline.filter((e) => e.kind === 'takedown_progress').map((e) => e.data)).toEqual([{ state: 'notice_sent', host: 'Test mail host', count: 2 }]);
    expect(view.items.map((i) => i.takedown?.state)).toEqual(['notice_sent', 'notice_sent']);
    // acknowledged, then removed, by the analyst; a move that makes no sense is refused
    expect((await post(`/api/staff/cases/${c.id}/takedowns/move`, { itemIds: ids, to: 'acknowledged' }, m('analyst'))).statusCode).toBe(204);
    expect(code(await post(`/api/staff/cases/${c.id}/takedowns/move`, { itemIds: ids, to: 'no_answer' }, m('analyst')))).toEqual([409, 'TAKEDOWN_MOVE_REFUSED']);
    const reply = await post(`/api/staff/cases/${c.id}/takedowns/replies`, { itemIds: ids, body: 'We removed the content. — Trust & Safety', receivedAt: new Date().toISOString(), outcome: 'removed' }, m('analyst'));
    expect(reply.statusCode, reply.body).toBe(201);
    const done = await takedowns(c.id);
    expect(done.links.map((l) => l.state)).toEqual(['removed', 'removed']);
    expect(done.replies[0]?.body).toBe('We removed the content. — Trust & Safety');
    const final = await followup(c);
    expect(final.timeline.filter((e) => e.kind === 'takedown_progress').map((e) => (e.data as { state: string }).state)).toEqual(['notice_sent', 'acknowledged', 'removed']);
    // the PDF of the notice
    const pdf = await h.get(`/api/staff/cases/${c.id}/notices/${created?.id}/pdf`, m('analyst'));
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a form channel gives a text to paste, and moves on when the analyst says it was submitted', async () => {
    const c = await report(['https://halte-form-host.fr/p/1']);
    const [id] = await linkIds(c.id);
    const created = NoticesCreated.parse((await post(`/api/staff/cases/${c.id}/notices`, { itemIds: [id] }, m('analyst'))).json()).notices;
    expect(created.map((n) => n.state)).toEqual(['to_submit']);
    const view = await takedowns(c.id);
    expect(view.notices[0]?.target).toBe('https://halte-form-host.fr/dsa');
    expect(view.notices[0]?.text).toContain('https://halte-form-host.fr/p/1');
    expect(view.links[0]?.state).toBe('reported');
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.find((d) => d.noticeId === created[0]?.id)?.reason).toBe('to_submit');
    const url = `/api/staff/cases/${c.id}/notices/${created[0]?.id}/outcome`;
    expect(code(await post(url, { outcome: 'sent' }, m('analyst')))).toEqual([409, 'NOTICE_STATE_CONFLICT']);
    expect((await post(url, { outcome: 'submitted' }, m('analyst'))).statusCode).toBe(200);
    expect((await takedowns(c.id)).links[0]?.state).toBe('notice_sent');
    expect(code(await post(url, { outcome: 'submitted' }, m('analyst')))).toEqual([409, 'NOTICE_STATE_CONFLICT']);
  });

  it('a reminder falls due after the reminder delay; the analyst sends it, once, and it is no longer due', async () => {
    const c = await report(['https://halte-test-host.fr/reminder/1']);
    const ids = await linkIds(c.id);
    await post(`/api/staff/cases/${c.id}/notices`, { itemIds: ids, language: 'fr' }, m('analyst'));
    await waitFor(async () => (await takedowns(c.id)).notices[0]?.state === 'sent', 20_000, 'the notice sent');
    const dueFor = async () => DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json()).items.filter((d) => d.itemId === ids[0]).map((d) => d.reason);
    // not due before the reminder delay (48 h by default)
    const due = await t.database.db.selectFrom('takedown').select('reminder_due_at').where('item_id', '=', ids[0] as number).executeTakeFirstOrThrow();
    expect(Math.round(((due.reminder_due_at?.getTime() ?? 0) - Date.now()) / 3_600_000)).toBe(48);
    expect(await dueFor()).toEqual([]);
    // 48 h later (the staff sessions would not survive moving the clock: the deadline moves instead)
    await t.database.db.updateTable('takedown').set({ reminder_due_at: new Date(Date.now() - 60_000) }).where('item_id', '=', ids[0] as number).execute();
    expect(await dueFor()).toEqual(['reminder']);
    const before = smtp.received.length;
    const res = await post(`/api/staff/cases/${c.id}/notices`, { itemIds: ids, kind: 'reminder', language: 'fr' }, m('analyst'));
    expect(res.statusCode, res.body).toBe(201);
    await waitFor(async () => (await takedowns(c.id)).notices.filter((n) => n.kind === 'reminder').every((n) => n.state === 'sent'), 20_000, 'the reminder sent');
    const reminders = smtp.received.slice(before).filter((mail) => mail.rcptTo.includes(HOST_EMAIL));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.headers.get('subject')).toMatch(/^Rappel/);
    expect(reminders[0]?.text).toContain('Nous vous avons notifié le');
    const link = (await takedowns(c.id)).links[0];
    expect([link?.state, link?.remindersSent]).toEqual(['notice_sent', 1]);
    expect(await dueFor()).toEqual([]);
  });

  it('the deadline makes an unanswered link due for escalation; the escalation is a text for the authority', async () => {
    await writeSettings(t.database.db, { noticeEscalationHours: 24 }, { kind: 'staff', id: m('admin').id }, new Date());
    const c = await report(['https://halte-form-host.fr/p/2']);
    const [id] = (await linkIds(c.id)) as [number];
    const [n] = NoticesCreated.parse((await post(`/api/staff/cases/${c.id}/notices`, { itemIds: [id] }, m('analyst'))).json()).notices;
    await post(`/api/staff/cases/${c.id}/notices/${n?.id}/outcome`, { outcome: 'submitted' }, m('analyst'));
    const jobs = { send: async () => null };
    // before the deadline nothing moves; after it, no_answer
    expect((await sweepTakedowns({ db: t.database.db, jobs, log, now: () => new Date(Date.now() + 23 * 3_600_000) })).noAnswer).toBe(0);
    await sweepTakedowns({ db: t.database.db, jobs, log, now: () => new Date(Date.now() + 25 * 3_600_000) });
    expect((await takedowns(c.id)).links[0]?.state).toBe('no_answer');
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.find((d) => d.itemId === id)?.reason).toBe('escalation');
    // a Belgian authority for a French case: refused
    expect(code(await post(`/api/staff/cases/${c.id}/takedowns/escalate`, { itemIds: [id], target: 'ibpt' }, m('analyst')))).toEqual([422, 'ESCALATION_REFUSED']);
    const esc = await post(`/api/staff/cases/${c.id}/takedowns/escalate`, { itemIds: [id], target: 'arcom' }, m('analyst'));
    expect(esc.statusCode, esc.body).toBe(201);
    const escalation = (await takedowns(c.id)).notices.find((x) => x.kind === 'escalation');
    expect(escalation?.state).toBe('to_submit');
    expect(escalation?.text).toContain('Signalement à Arcom');
    expect(escalation?.text).toContain('https://halte-form-host.fr/p/2');
    await post(`/api/staff/cases/${c.id}/notices/${escalation?.id}/outcome`, { outcome: 'submitted' }, m('analyst'));
    const link = (await takedowns(c.id)).links[0];
    expect([link?.state, link?.escalatedTo]).toEqual(['escalated', ['arcom']]);
    await writeSettings(t.database.db, { noticeEscalationHours: 7 * 24 }, { kind: 'staff', id: m('admin').id }, new Date());
  });

  it('a minor’s content: no notifier in the notice, child-protection reports prepared, and hidden from accounts without the permission', async () => {
    const c = await report(['https://halte-test-host.fr/minor/1'], { ageGroup: 'minor', situations: ['ncii_diffusion'] });
    expect(code(await h.get(`/api/staff/cases/${c.id}/takedowns`, m('analyst')))).toEqual([404, 'CASE_NOT_FOUND']);
    const ids = await linkIds(c.id).catch(() => [] as number[]);
    expect(ids).toEqual([]);
    const view = await takedowns(c.id, m('analystChild'));
    const id = view.links[0]?.itemId as number;
    expect(code(await post(`/api/staff/cases/${c.id}/notices`, { itemIds: [id] }, m('analyst')))).toEqual([404, 'CASE_NOT_FOUND']);
    const res = await post(`/api/staff/cases/${c.id}/notices`, { itemIds: [id], language: 'fr' }, m('analystChild'));
    expect(res.statusCode, res.body).toBe(201);
    const after = await takedowns(c.id, m('analystChild'));
    const notice = after.notices.find((n) => n.kind === 'notice');
    expect(notice?.text).not.toContain('signalements@halte.example.org');
    expect(notice?.text).toContain('2011/93/UE');
    expect(after.notices.filter((n) => n.kind === 'escalation').map((n) => [n.escalationTarget, n.state])).toEqual([
      ['pharos', 'to_submit'],
      ['e_enfance_3018', 'to_submit'],
    ]);
    // the analyst without the permission does not see it on the due list either
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.some((d) => d.caseId === c.id)).toBe(false);
    await waitFor(async () => (await takedowns(c.id, m('analystChild'))).notices.find((n) => n.kind === 'notice')?.state === 'sent', 20_000, 'the minor’s notice sent');
    // the child-protection report does not move the link; its submission records where it went
    const pharos = after.notices.find((n) => n.escalationTarget === 'pharos');
    await post(`/api/staff/cases/${c.id}/notices/${pharos?.id}/outcome`, { outcome: 'submitted' }, m('analystChild'));
    const link = (await takedowns(c.id, m('analystChild'))).links[0];
    expect([link?.state, link?.escalatedTo]).toEqual(['notice_sent', ['pharos']]);
  });

  it('the link checker proposes "removed" when a link is gone, through the SSRF-safe fetcher', async () => {
    const c = await report([`http://127.0.0.1:${webPort}/gone/1`, `http://127.0.0.1:${webPort}/still/2`]);
    const ids = await linkIds(c.id);
    const res = await post(`/api/staff/cases/${c.id}/takedowns/recheck`, { itemIds: ids }, m('analyst'));
    expect(res.statusCode, res.body).toBe(202);
    await waitFor(async () => (await takedowns(c.id)).links.every((l) => l.lastCheck !== null), 20_000, 'both links checked');
    const links = (await takedowns(c.id)).links;
    expect(links.map((l) => [l.lastCheck?.outcome, l.lastCheck?.detail, l.removalProposedAt !== null])).toEqual([
      ['gone', '404', true],
      ['serving', '200', false],
    ]);
    expect(links[0]?.state).toBe('reported'); // proposed, not decided
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.find((d) => d.itemId === ids[0] && d.reason === 'removal_proposed')).toBeDefined();
    expect((await post(`/api/staff/cases/${c.id}/takedowns/move`, { itemIds: [ids[0]], to: 'removed' }, m('analyst'))).statusCode).toBe(204);
    expect((await takedowns(c.id)).links[0]?.removalProposedAt).toBeNull();
    // without the allowlist, the same local link is refused, never fetched
    const refused = await linkCheckHandler({ db: t.database.db, log, allowHosts: [] });
    await refused({ itemId: ids[1] as number }, { id: 'x', queue: 'link.check', attempt: 1, lastAttempt: false });
    expect((await takedowns(c.id)).links[1]?.lastCheck).toMatchObject({ outcome: 'refused', detail: 'PORT_REFUSED' });
  });

  it('refuses bad input with stable codes', async () => {
    const c = await report(['https://halte-test-host.fr/bad/1']);
    const [id] = (await linkIds(c.id)) as [number];
    const other = await report(['https://halte-test-host.fr/bad/2']);
    const [otherId] = (await linkIds(other.id)) as [number];
    const url = `/api/staff/cases/${c.id}/notices`;
    expect(code(await post(url, { itemIds: [] }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(url, { itemIds: ['1'] }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(url, { itemIds: Array.from({ length: 201 }, (_, i) => i + 1) }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(url, { itemIds: [id], channel: 9 }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(url, { itemIds: [id], channel: 3 }, m('analyst')))).toEqual([422, 'CHANNEL_INVALID']);
    expect(code(await post(url, { itemIds: [id], language: 'de' }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    // another case's link, and a link that does not exist
    expect(code(await post(url, { itemIds: [otherId] }, m('analyst')))).toEqual([404, 'ITEM_NOT_FOUND']);
    expect(code(await post(url, { itemIds: [999_999_999] }, m('analyst')))).toEqual([404, 'ITEM_NOT_FOUND']);
    expect(code(await post(`/api/staff/cases/abc/notices`, { itemIds: [id] }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/999999999/notices`, { itemIds: [id] }, m('analyst')))).toEqual([404, 'CASE_NOT_FOUND']);
    expect(code(await post(`/api/staff/cases/${c.id}/takedowns/move`, { itemIds: [id], to: 'gone' }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/${c.id}/takedowns/replies`, { itemIds: [id], body: 'x'.repeat(20_001), receivedAt: new Date().toISOString(), outcome: null }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/${c.id}/takedowns/replies`, { itemIds: [id], body: 'ok', receivedAt: 'yesterday', outcome: null }, m('analyst')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/${c.id}/notices/999999/outcome`, { outcome: 'submitted' }, m('analyst')))).toEqual([404, 'NOTICE_NOT_FOUND']);
    expect(code(await h.get(`/api/staff/cases/${c.id}/notices/999999/pdf`, m('analyst')))).toEqual([404, 'NOTICE_NOT_FOUND']);
    // without a session, and without the CSRF header
    expect((await t.app.inject({ method: 'GET', url: `/api/staff/cases/${c.id}/takedowns` })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url, headers: { cookie: m('analyst').cookie }, payload: { itemIds: [id] } })).statusCode).toBe(403);
    // nothing was created by any of it
    expect((await takedowns(c.id)).notices).toEqual([]);
  });

  it('a notifier address is required for an adult’s notice when neither the settings nor HALTE_MAIL_FROM give one', async () => {
    const bare = await createTestApp(backend, undefined, { now: clock.now, database: t.database });
    try {
      const c = await report(['https://halte-form-host.fr/p/3']);
      const [id] = await linkIds(c.id);
      const res = await bare.app.inject({ method: 'POST', url: `/api/staff/cases/${c.id}/notices/preview`, headers: h.as(m('analyst')), payload: { itemIds: [id] } });
      expect(code(res)).toEqual([422, 'NOTIFIER_EMAIL_MISSING']);
      await writeSettings(t.database.db, { noticeNotifierEmail: 'equipe@halte.example.org', noticeNotifierName: 'Association Halte' }, { kind: 'staff', id: m('admin').id }, new Date());
      const ok = await bare.app.inject({ method: 'POST', url: `/api/staff/cases/${c.id}/notices/preview`, headers: h.as(m('analyst')), payload: { itemIds: [id] } });
      expect(NoticePreviews.parse(ok.json()).notices[0]?.text).toContain('Association Halte — equipe@halte.example.org');
    } finally {
      await writeSettings(t.database.db, { noticeNotifierEmail: null, noticeNotifierName: 'Halte' }, { kind: 'staff', id: m('admin').id }, new Date());
      await bare.app.close();
    }
  });

  it('withdrawal erases notice texts and replies, and cancels what has not left', async () => {
    const c = await report(['https://halte-form-host.fr/w/1']);
    const [id] = (await linkIds(c.id)) as [number];
    await post(`/api/staff/cases/${c.id}/notices`, { itemIds: [id] }, m('analyst'));
    await post(`/api/staff/cases/${c.id}/takedowns/replies`, { itemIds: [id], body: 'Reçu.', receivedAt: new Date().toISOString(), outcome: null }, m('analyst'));
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference: c.reference, pin: c.pin }, remoteAddress: '10.8.0.1' });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', headers: { cookie }, payload: {} })).statusCode).toBe(200);
    const notices = await t.database.db.selectFrom('notice').select(['state', 'content_enc']).where('case_id', '=', c.id).execute();
    expect(notices.map((n) => [n.state, n.content_enc])).toEqual([['cancelled', null]]);
    expect(await t.database.db.selectFrom('host_reply').select('id').where('case_id', '=', c.id).execute()).toEqual([]);
    const due = DueList.parse((await h.get('/api/staff/takedowns/due', m('analyst'))).json());
    expect(due.items.some((d) => d.caseId === c.id)).toBe(false);
  });
});
