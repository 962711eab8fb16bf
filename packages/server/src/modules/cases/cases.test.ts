// Staff case work over HTTP, on PGlite and PostgreSQL: the queue's order and filters, who may see and do
// what (every refusal with its code, audited), the workflow, qualification, hash review, notes, the
// answer reaching the person's follow-up and an e-mail reaching an SMTP server, settings, statistics.
import {
  AnswerDraft,
  AnswerSent,
  AssigneeList,
  CaseDetail,
  FollowupView,
  QueuePage,
  Settings,
  Statistics,
  urgencyAt,
  type ReportRequest,
  type StaffRole,
} from '@halte/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestApp, type TestApp } from '../../../test/app.js';
import { BACKENDS } from '../../../test/database.js';
import { startTestJobs, waitFor } from '../../../test/jobs.js';
import { startSmtpServer, type TestSmtpServer } from '../../../test/smtp.js';
import { harness, testClock, type Member } from '../../../test/staff.js';
import { loadConfig } from '../../config/config.js';
import { QUEUES } from '../../jobs/registry.js';
import { subsystemLogger, createRootLogger } from '../../log/logger.js';
import { createMailer, type Mailer } from '../../mail/mailer.js';
import { MAIL_SEND, mailSendHandler } from '../../mail/send.js';
import { verifyAuditChain } from '../audit/log.js';
import { DEFAULT_SETTINGS } from './settings.js';

const SUMMARY = 'Il menace de tout publier <img src=x onerror=alert(1)> ce soir.';
const EMAIL = 'personne.cases@example.org';
const FAST_MAIL = { ...MAIL_SEND, retry: { limit: 3, delaySeconds: 1, backoff: true } };
const TEST_QUEUES = [FAST_MAIL, ...QUEUES.filter((q) => q.name !== MAIL_SEND.name)];

type Facts = Partial<Pick<ReportRequest, 'situations' | 'ageGroup' | 'madeWhenMinor' | 'country' | 'immediateDanger' | 'language'>> & { contact?: boolean };

describe.each(BACKENDS)('staff case work on %s', (backend) => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  const clock = testClock();
  const h = harness(() => t, clock);
  const team: Partial<Record<'analyst' | 'analystChild' | 'other' | 'supervisor' | 'admin', Member>> = {};
  const m = (k: keyof typeof team): Member => team[k] as Member;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    mailer = createMailer(loadConfig({ HALTE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, HALTE_MAIL_FROM: 'Halte <no-reply@halte.example.org>', HALTE_PUBLIC_URL: 'http://localhost:8080' }).mail);
    t = await createTestApp(backend, undefined, {
      now: clock.now,
      jobs: async (database, sealer) => {
        const jobs = await startTestJobs(database, TEST_QUEUES);
        const log = subsystemLogger(createRootLogger({ level: 'silent' }), 'mail');
        await jobs.work(FAST_MAIL, mailSendHandler({ db: database.db, sealer, mailer, publicUrl: 'http://localhost:8080', log }));
        return jobs;
      },
    });
    // the clock of the staff module and of the database agree (priorities, badges)
    clock.advance(Date.now() - clock.now().getTime());
    const roles: [keyof typeof team, StaffRole, boolean][] = [
      ['analyst', 'analyst', false],
      ['analystChild', 'analyst', true],
      ['other', 'analyst', true],
      ['supervisor', 'supervisor', true],
      ['admin', 'admin', true],
    ];
    for (const [key, role, child] of roles) team[key] = await h.member(role, child);
  });
  afterAll(async () => {
    await t?.close();
    mailer?.close();
    await smtp?.close();
  });

  async function report(facts: Facts = {}): Promise<{ id: number; reference: string; pin: string }> {
    const body: ReportRequest = {
      situations: facts.situations ?? ['cyberharassment'],
      ageGroup: facts.ageGroup ?? 'adult',
      madeWhenMinor: facts.madeWhenMinor ?? false,
      country: facts.country ?? 'FR',
      immediateDanger: facts.immediateDanger ?? false,
      items: [
        { kind: 'image', pdq: 'f'.repeat(64), quality: 90, md5: 'a'.repeat(32), sha256: 'b'.repeat(64) },
        { kind: 'url', url: 'https://example.com/p/1' },
      ],
      summary: SUMMARY,
      consents: { shareWithPartners: true, contactMe: facts.contact ?? false },
      ...(facts.contact ? { contact: { email: EMAIL } } : {}),
      ...(facts.language ? { language: facts.language } : {}),
    };
    const res = await t.app.inject({ method: 'POST', url: '/api/reports', payload: body });
    expect(res.statusCode, res.body).toBe(201);
    const { reference, pin } = res.json() as { reference: string; pin: string };
    const row = await t.database.db.selectFrom('case').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();
    return { id: row.id, reference, pin };
  }

  const get = (url: string, who: Member) => h.get(url, who);
  const post = (url: string, body: unknown, who: Member) => h.post(url, body, h.as(who));
  const put = (url: string, body: unknown, who: Member) => t.app.inject({ method: 'PUT', url, payload: body as Record<string, unknown>, headers: h.as(who) });
  const code = (res: { statusCode: number; body: string }) => [res.statusCode, res.body === '' ? null : (JSON.parse(res.body) as { error?: { code: string } }).error?.code ?? null];
  const view = async (id: number, who: Member) => {
    const res = await get(`/api/staff/cases/${id}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return CaseDetail.parse(res.json());
  };
  const queueOf = async (who: Member, query = '') => {
    const res = await get(`/api/staff/cases${query}`, who);
    expect(res.statusCode, res.body).toBe(200);
    return QueuePage.parse(res.json());
  };
  /** every open case the account can see, through every page */
  async function wholeQueue(who: Member, query = ''): Promise<QueuePage['cases']> {
    const all: QueuePage['cases'] = [];
    let cursor: string | null = null;
    do {
      const page: QueuePage = await queueOf(who, `?limit=7${query}${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...page.cases);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return all;
  }
  const audit = async (action: string, caseId: number) =>
    t.database.db.selectFrom('audit_entry').select(['actor_id', 'data']).where('action', '=', action).where('target_id', '=', String(caseId)).orderBy('seq').execute();

  it('stores the priority the contract defines, for every combination of facts (database trigger = urgencyAt)', async () => {
    const { id } = await report({ situations: ['sextortion'], immediateDanger: true });
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const at = (hours: number) => new Date(Date.parse('2026-11-20T12:00:00.000Z') + Math.round(hours * 3600_000));
    for (let i = 0; i < 40; i++) {
      const f = {
        createdAt: at(rand() * 100),
        immediateDanger: rand() < 0.5,
        involvesMinor: rand() < 0.5,
        sextortion: rand() < 0.5,
        deadlineAt: rand() < 0.4 ? at(rand() * 300) : null,
        lastAnsweredAt: rand() < 0.5 ? at(100 + rand() * 50) : null,
        personWaitingSince: rand() < 0.5 ? at(150 + rand() * 50) : null,
      };
      const row = await sql<{ urgency_at: Date }>`update "case" set created_at = ${f.createdAt}, immediate_danger = ${f.immediateDanger},
          age_group = ${f.involvesMinor ? 'minor' : 'adult'}, made_when_minor = false,
          situations = ${f.sextortion ? ['sextortion'] : ['cyberharassment']}::text[], deadline_at = ${f.deadlineAt},
          last_answered_at = ${f.lastAnsweredAt}, person_waiting_since = ${f.personWaitingSince}
        where id = ${id} returning urgency_at`.execute(t.database.db);
      expect(row.rows[0]?.urgency_at.toISOString(), JSON.stringify(f)).toBe(urgencyAt(f).toISOString());
    }
    await sql`update "case" set status = 'closed' where id = ${id}`.execute(t.database.db);
  });

  it('puts the most urgent person first, pages without skipping or repeating, and filters', async () => {
    await sql`update "case" set status = 'closed' where status <> 'withdrawn'`.execute(t.database.db);
    const harassment = await report();
    const danger = await report({ immediateDanger: true, situations: ['cyberharassment'] });
    const minor = await report({ ageGroup: 'minor', situations: ['grooming'] });
    const sextortion = await report({ situations: ['sextortion'], country: 'BE' });
    const madeMinor = await report({ madeWhenMinor: true, situations: ['ncii_diffusion'] });
    // yesterday's harassment report has waited longer than a sextortion of now (12 h boost) …
    await sql`update "case" set created_at = now() - interval '30 hours' where id = ${harassment.id}`.execute(t.database.db);
    const seen = await wholeQueue(m('supervisor'));
    expect(seen.map((c) => c.id)).toEqual([danger.id, harassment.id, minor.id, madeMinor.id, sextortion.id]);
    expect(seen.map((c) => c.priority)).toEqual([...seen.map((c) => c.priority)].sort((a, b) => b - a));
    expect(seen[1]?.badges).toEqual(['first_answer_overdue']);
    expect(seen[0]).toMatchObject({ immediateDanger: true, status: 'new', assignee: null, items: { images: 1, videos: 0, urls: 1 }, unansweredMessages: 0 });

    // an account without the child-safety permission does not see minors' cases at all
    expect((await wholeQueue(m('analyst'))).map((c) => c.id)).toEqual([danger.id, harassment.id, sextortion.id]);
    expect((await wholeQueue(m('analystChild'))).map((c) => c.id)).toHaveLength(5);

    // filters and the reference search
    expect((await wholeQueue(m('supervisor'), '&country=BE')).map((c) => c.id)).toEqual([sextortion.id]);
    expect((await wholeQueue(m('supervisor'), '&situation=grooming')).map((c) => c.id)).toEqual([minor.id]);
    expect((await wholeQueue(m('supervisor'), `&reference=${sextortion.reference.toLowerCase().replace(/-/g, ' ')}`)).map((c) => c.id)).toEqual([sextortion.id]);
    expect(await wholeQueue(m('analyst'), `&reference=${minor.reference}`)).toEqual([]);
    expect((await wholeQueue(m('supervisor'), '&status=closed')).length).toBeGreaterThan(0);

    // claim: it leaves the unassigned view and shows under "mine"
    expect((await post(`/api/staff/cases/${danger.id}/claim`, {}, m('analyst'))).statusCode).toBe(204);
    expect((await wholeQueue(m('analyst'), '&assignee=me')).map((c) => c.id)).toEqual([danger.id]);
    expect((await wholeQueue(m('analyst'), '&assignee=none')).map((c) => c.id)).not.toContain(danger.id);
    // another analyst no longer sees it; a supervisor does, with its assignee
    expect((await wholeQueue(m('other'))).map((c) => c.id)).not.toContain(danger.id);
    expect((await wholeQueue(m('supervisor'), `&assignee=${m('analyst').id}`))[0]).toMatchObject({ id: danger.id, assignee: { id: m('analyst').id, email: m('analyst').email } });

    // a person's message climbs the queue
    const before = (await wholeQueue(m('supervisor'))).find((c) => c.id === sextortion.id);
    await sql`update "case" set last_answered_at = now(), first_answered_at = now() where id = ${sextortion.id}`.execute(t.database.db);
    const answered = (await wholeQueue(m('supervisor'))).find((c) => c.id === sextortion.id);
    expect(answered?.priority).toBeLessThan((before?.priority ?? 0) - 24 * 6);
  });

  it('refuses bad queries and ids with their codes', async () => {
    for (const query of ['?status=open', '?limit=0', '?limit=101', '?cursor=abc', '?assignee=someone', '?country=fr', '?situation=x', `?reference=${'x'.repeat(41)}`, '?sort=age']) {
      expect(code(await get(`/api/staff/cases${query}`, m('supervisor'))), query).toEqual([400, 'VALIDATION_FAILED']);
    }
    for (const id of ['0', '-1', 'abc', '1.5', '12345678901234567', '1%00', '%F0%9F%98%80']) {
      expect(code(await get(`/api/staff/cases/${id}`, m('supervisor'))), id).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(code(await get('/api/staff/cases/%2e%2e', m('supervisor')))).toEqual([404, 'NOT_FOUND']);
    expect(code(await get('/api/staff/cases/999999999', m('supervisor')))).toEqual([404, 'CASE_NOT_FOUND']);
    expect(code(await h.get('/api/staff/cases'))).toEqual([401, 'STAFF_SESSION_REQUIRED']);
    expect(code(await h.get('/api/staff/cases/1'))).toEqual([401, 'STAFF_SESSION_REQUIRED']);
  });

  it('lets only authorised staff read a case, decrypted, each read audited before', async () => {
    const adult = await report({ contact: true });
    const child = await report({ ageGroup: 'minor', situations: ['sextortion'] });

    const c = await view(adult.id, m('analyst'));
    expect(c).toMatchObject({ reference: adult.reference, summary: SUMMARY, contact: { email: EMAIL }, status: 'new', language: 'fr', involvesMinor: false });
    expect(c.items.map((i) => [i.kind, i.review])).toEqual([['image', 'self_submitted'], ['url', 'self_submitted']]);
    expect(c.offences.length).toBeGreaterThan(10);
    expect(c.offences.every((o) => o.country === 'FR')).toBe(true);
    expect(c.offences[0]?.suggested).toBe(true);
    expect(c.offences.some((o) => !o.confirmed)).toBe(true);
    expect(c.moves).toEqual(['triaged', 'in_progress', 'closed']);
    expect(c.may).toEqual({ claim: true, work: true, reassign: false });
    expect((await audit('case.read', adult.id)).map((e) => e.actor_id)).toEqual([m('analyst').id]);

    // a minor's case: not found for an account without the permission, and the attempt is audited
    expect(code(await get(`/api/staff/cases/${child.id}`, m('analyst')))).toEqual([404, 'CASE_NOT_FOUND']);
    expect(code(await post(`/api/staff/cases/${child.id}/claim`, {}, m('analyst')))).toEqual([404, 'CASE_NOT_FOUND']);
    expect((await audit('case.access_denied', child.id)).map((e) => e.data)).toEqual([
      { permission: 'cases.read', reason: 'child_safety' },
      { permission: 'cases.claim', reason: 'child_safety' },
    ]);
    expect(await audit('case.read', child.id)).toEqual([]);
    expect((await view(child.id, m('analystChild'))).involvesMinor).toBe(true);

    // assigned to someone else: analysts may not read it; supervisors may
    expect((await post(`/api/staff/cases/${adult.id}/claim`, {}, m('other'))).statusCode).toBe(204);
    expect(code(await post(`/api/staff/cases/${adult.id}/claim`, {}, m('analystChild')))).toEqual([409, 'CASE_ALREADY_ASSIGNED']);
    expect(code(await get(`/api/staff/cases/${adult.id}`, m('analyst')))).toEqual([403, 'CASE_NOT_ASSIGNEE']);
    expect(code(await post(`/api/staff/cases/${adult.id}/notes`, { body: 'x' }, m('analyst')))).toEqual([403, 'CASE_NOT_ASSIGNEE']);
    expect((await view(adult.id, m('supervisor'))).assignee).toEqual({ id: m('other').id, email: m('other').email });
  });

  it('refuses state changes without the CSRF token, from another site, and for a disabled account at once', async () => {
    const { id } = await report();
    const who = m('analystChild');
    const noToken = await h.post(`/api/staff/cases/${id}/claim`, {}, { cookie: who.cookie });
    expect(code(noToken)).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const wrong = await h.post(`/api/staff/cases/${id}/claim`, {}, { cookie: who.cookie, 'x-csrf-token': 'A'.repeat(43) });
    expect(code(wrong)).toEqual([403, 'CSRF_TOKEN_INVALID']);
    const crossSite = await h.post(`/api/staff/cases/${id}/claim`, {}, { ...h.as(who), origin: 'https://evil.example' });
    expect(code(crossSite)).toEqual([403, 'FORBIDDEN']);
    expect((await view(id, m('supervisor'))).assignee).toBeNull();

    const doomed = await h.member('analyst', true);
    expect((await get(`/api/staff/cases/${id}`, doomed)).statusCode).toBe(200);
    expect((await post(`/api/staff/accounts/${doomed.id}/disable`, {}, m('admin'))).statusCode).toBe(200);
    expect(code(await get(`/api/staff/cases/${id}`, doomed))).toEqual([401, 'STAFF_SESSION_REQUIRED']);
    expect(code(await post(`/api/staff/cases/${id}/claim`, {}, doomed))).toEqual([401, 'STAFF_SESSION_REQUIRED']);
  });

  it('moves a case through the workflow; refuses other moves; only supervisors reopen or reassign', async () => {
    const { id } = await report();
    const a = m('analystChild');
    expect((await post(`/api/staff/cases/${id}/claim`, {}, a)).statusCode).toBe(204);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'waiting' }, a))).toEqual([409, 'CASE_TRANSITION_REFUSED']);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'new' }, a))).toEqual([409, 'CASE_TRANSITION_REFUSED']);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'withdrawn' }, a))).toEqual([409, 'CASE_TRANSITION_REFUSED']);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'archived' }, a))).toEqual([400, 'VALIDATION_FAILED']);
    for (const to of ['triaged', 'in_progress', 'waiting', 'in_progress', 'closed']) {
      expect(code(await post(`/api/staff/cases/${id}/status`, { to }, a)), to).toEqual([204, null]);
    }
    expect((await view(id, a)).moves).toEqual([]);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'in_progress' }, a))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
    expect((await view(id, m('supervisor'))).moves).toEqual(['in_progress']);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'in_progress' }, m('supervisor')))).toEqual([204, null]);
    const events = (await view(id, m('supervisor'))).timeline.filter((e) => e.kind === 'status_changed').map((e) => `${String(e.data['from'])}→${String(e.data['to'])}`);
    expect(events).toEqual(['new→triaged', 'triaged→in_progress', 'in_progress→waiting', 'waiting→in_progress', 'in_progress→closed', 'closed→in_progress']);

    // reassigning: supervisors only; never to someone without the child-safety permission for a minor's case
    expect(code(await post(`/api/staff/cases/${id}/assign`, { staffId: m('other').id }, a))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
    expect(code(await post(`/api/staff/cases/${id}/assign`, { staffId: m('other').id }, m('supervisor')))).toEqual([204, null]);
    expect(code(await post(`/api/staff/cases/${id}/assign`, { staffId: 999999 }, m('supervisor')))).toEqual([422, 'ASSIGNEE_INVALID']);
    expect(code(await post(`/api/staff/cases/${id}/assign`, { staffId: 'x' }, m('supervisor')))).toEqual([400, 'VALIDATION_FAILED']);
    const child = await report({ ageGroup: 'minor' });
    expect(code(await post(`/api/staff/cases/${child.id}/assign`, { staffId: m('analyst').id }, m('supervisor')))).toEqual([422, 'ASSIGNEE_INVALID']);
    expect(code(await post(`/api/staff/cases/${child.id}/assign`, { staffId: m('analystChild').id }, m('supervisor')))).toEqual([204, null]);
    expect(code(await post(`/api/staff/cases/${child.id}/assign`, { staffId: null }, m('supervisor')))).toEqual([204, null]);
    const assignees = AssigneeList.parse((await get('/api/staff/assignees', m('supervisor'))).json());
    expect(assignees.accounts.map((x) => x.id)).toContain(m('analyst').id);
    expect(code(await get('/api/staff/assignees', m('analyst')))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
  });

  it('qualifies with the offences of the country (unconfirmed ones marked), reviews fingerprints, keeps notes internal', async () => {
    const { id, reference, pin } = await report({ situations: ['sextortion'] });
    const a = m('analystChild');
    expect(code(await put(`/api/staff/cases/${id}/qualification`, { offenceIds: ['be-escroquerie'] }, a))).toEqual([422, 'OFFENCE_UNKNOWN']);
    expect(code(await put(`/api/staff/cases/${id}/qualification`, { offenceIds: ['fr-nothing'] }, a))).toEqual([422, 'OFFENCE_UNKNOWN']);
    expect(code(await put(`/api/staff/cases/${id}/qualification`, { offenceIds: ['fr-chantage', 'fr-chantage'] }, a))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await put(`/api/staff/cases/${id}/qualification`, { offenceIds: ['fr-chantage', 'fr-hypertrucage-sexuel'] }, a))).toEqual([204, null]);
    const c = await view(id, a);
    expect(c.qualification).toMatchObject({ offenceIds: ['fr-chantage', 'fr-hypertrucage-sexuel'], by: { id: a.id } });
    expect(c.offences.find((o) => o.id === 'fr-hypertrucage-sexuel')?.confirmed).toBe(false);

    const [image, url] = c.items;
    expect(code(await post(`/api/staff/cases/${id}/items/${url?.id}/review`, { review: 'analyst_verified' }, a))).toEqual([404, 'ITEM_NOT_FOUND']);
    expect(code(await post(`/api/staff/cases/${id}/items/999999/review`, { review: 'analyst_verified' }, a))).toEqual([404, 'ITEM_NOT_FOUND']);
    expect(code(await post(`/api/staff/cases/${id}/items/${image?.id}/review`, { review: 'self_submitted' }, a))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/${id}/items/${image?.id}/review`, { review: 'rejected' }, a))).toEqual([204, null]);
    expect(code(await post(`/api/staff/cases/${id}/items/${image?.id}/review`, { review: 'analyst_verified' }, a))).toEqual([204, null]);
    expect((await view(id, a)).items[0]).toMatchObject({ review: 'analyst_verified', reviewedBy: { id: a.id } });

    const note = 'NOTE-internal: the profile looks like a known scam ring';
    expect((await post(`/api/staff/cases/${id}/notes`, { body: note }, a)).statusCode).toBe(201);
    expect(code(await post(`/api/staff/cases/${id}/notes`, { body: '   ' }, a))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await post(`/api/staff/cases/${id}/notes`, { body: 'x'.repeat(4001) }, a))).toEqual([400, 'VALIDATION_FAILED']);
    expect((await view(id, a)).notes.map((n) => n.body)).toEqual([note]);
    expect(code(await put(`/api/staff/cases/${id}/deadline`, { deadlineAt: '2026-12-24T20:00:00+01:00' }, a))).toEqual([204, null]);
    expect(code(await put(`/api/staff/cases/${id}/deadline`, { deadlineAt: '2026-12-24T20:00:00' }, a))).toEqual([400, 'VALIDATION_FAILED']);
    expect((await view(id, a)).deadlineAt).toBe('2026-12-24T19:00:00.000Z');

    // none of it reaches the person: notes, reviews, qualification and staff events stay internal
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const personal = await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } });
    expect(personal.body).not.toContain('NOTE-internal');
    expect(FollowupView.parse(personal.json()).timeline.map((e) => e.kind)).toEqual(['report_received']);
    // the note is sealed at rest
    const dump = (await sql<{ row: string }>`select n::text as row from case_note n`.execute(t.database.db)).rows.map((r) => r.row).join('\n');
    expect(dump).not.toContain('NOTE-internal');
  });

  it('drafts an answer from the case, sends it to the follow-up, and an e-mail (without content) to the person', async () => {
    const { id, reference, pin } = await report({ situations: ['sextortion'], contact: true, language: 'en' });
    const a = m('analystChild');
    await put(`/api/staff/cases/${id}/qualification`, { offenceIds: ['fr-chantage'] }, a);
    const draftRes = await get(`/api/staff/cases/${id}/answer-draft?template=first_answer`, a);
    expect(draftRes.statusCode, draftRes.body).toBe(200);
    const draft = AnswerDraft.parse(draftRes.json());
    expect(draft.language).toBe('en');
    expect(draft.body).toContain('Blackmail (Code pénal, art. 312-10');
    expect(draft.body).toContain('17 or 112');
    expect(draft.body).not.toContain(SUMMARY);
    const fr = AnswerDraft.parse((await get(`/api/staff/cases/${id}/answer-draft?template=closing&language=fr`, a)).json());
    expect(fr.body).toMatch(/^Bonjour,/);
    expect(code(await get(`/api/staff/cases/${id}/answer-draft?template=whatever`, a))).toEqual([400, 'VALIDATION_FAILED']);

    const text = `${draft.body}\n\nANSWER-${id}`;
    const sent = await post(`/api/staff/cases/${id}/answer`, { body: text }, a);
    expect(sent.statusCode, sent.body).toBe(201);
    expect(AnswerSent.parse(sent.json()).emailQueued).toBe(true);
    expect(code(await post(`/api/staff/cases/${id}/answer`, { body: '' }, a))).toEqual([400, 'VALIDATION_FAILED']);
    const c = await view(id, a);
    expect(c).toMatchObject({ status: 'in_progress', firstAnsweredAt: expect.any(String) });
    expect(c.badges).toEqual([]);

    // the person sees it in the follow-up
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    const personal = FollowupView.parse((await t.app.inject({ method: 'GET', url: '/api/followup', headers: { cookie } })).json());
    expect(personal.messages.map((x) => [x.author, x.body])).toEqual([['staff', text]]);
    expect(personal.status).toBe('in_progress');
    expect(personal.timeline.map((e) => e.kind)).toEqual(['report_received', 'message_from_team']);

    // the e-mail says a message waits, in the person's language, and nothing of the case
    await waitFor(() => smtp.received.some((x) => x.rcptTo.includes(EMAIL)), 20_000, 'the e-mail');
    const mail = smtp.received.find((x) => x.rcptTo.includes(EMAIL));
    expect(mail?.headers.get('subject')).toBe('A message is waiting in your follow-up');
    expect(mail?.raw).not.toContain(`ANSWER-${id}`);
    expect(mail?.raw).not.toContain(reference);

    // the person answers back: the case climbs the queue and shows the message as unanswered
    await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: { body: 'Merci' }, headers: { cookie } });
    const queued = (await wholeQueue(a, '&assignee=none')).find((x) => x.id === id);
    expect(queued?.unansweredMessages).toBe(1);
  });

  it('reopens a closed case when the person writes, so that their message reaches the queue', async () => {
    const { id, reference, pin } = await report();
    const s = m('supervisor');
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'closed' }, s))).toEqual([204, null]);
    expect((await wholeQueue(s)).map((c) => c.id)).not.toContain(id);
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/messages', payload: { body: 'Elles sont revenues' }, headers: { cookie } })).statusCode).toBe(201);
    const back = (await wholeQueue(s)).find((c) => c.id === id);
    expect(back).toMatchObject({ status: 'in_progress', unansweredMessages: 1 });
    const moved = (await view(id, s)).timeline.filter((e) => e.kind === 'status_changed').map((e) => [e.actor.kind, e.data['to'], e.visibleToPerson]);
    expect(moved).toEqual([['staff', 'closed', false], ['person', 'in_progress', false]]);
  });

  it('refuses every change to a withdrawn case', async () => {
    const { id, reference, pin } = await report();
    const login = await t.app.inject({ method: 'POST', url: '/api/followup/session', payload: { reference, pin } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
    expect((await t.app.inject({ method: 'POST', url: '/api/followup/withdraw', payload: {}, headers: { cookie } })).statusCode).toBe(200);
    const s = m('supervisor');
    expect(code(await post(`/api/staff/cases/${id}/claim`, {}, s))).toEqual([409, 'CASE_WITHDRAWN']);
    expect(code(await post(`/api/staff/cases/${id}/answer`, { body: 'hello' }, s))).toEqual([409, 'CASE_WITHDRAWN']);
    expect(code(await post(`/api/staff/cases/${id}/status`, { to: 'closed' }, s))).toEqual([409, 'CASE_WITHDRAWN']);
    expect(code(await post(`/api/staff/cases/${id}/notes`, { body: 'x' }, s))).toEqual([409, 'CASE_WITHDRAWN']);
    const c = await view(id, s);
    expect(c).toMatchObject({ status: 'withdrawn', summary: null, contact: null, moves: [], may: { claim: false, work: false, reassign: false } });
  });

  it('lets admins change the sharing of unreviewed fingerprints (audited), and supervisors read statistics', async () => {
    expect(code(await get('/api/staff/settings', m('supervisor')))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
    expect(Settings.parse((await get('/api/staff/settings', m('admin'))).json())).toEqual(DEFAULT_SETTINGS);
    expect(code(await put('/api/staff/settings', { shareSelfSubmittedBeforeReview: 'no' }, m('admin')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await put('/api/staff/settings', { shareSelfSubmittedBeforeReview: false, extra: 1 }, m('admin')))).toEqual([400, 'VALIDATION_FAILED']);
    const changed = await put('/api/staff/settings', { shareSelfSubmittedBeforeReview: false }, m('admin'));
    expect(changed.json()).toEqual({ ...DEFAULT_SETTINGS, shareSelfSubmittedBeforeReview: false });
    // a change of nothing writes nothing
    expect((await put('/api/staff/settings', {}, m('admin'))).json()).toEqual({ ...DEFAULT_SETTINGS, shareSelfSubmittedBeforeReview: false });
    expect(code(await put('/api/staff/settings', { noticeReminderHours: 0 }, m('admin')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(code(await put('/api/staff/settings', { noticeNotifierEmail: 'nope' }, m('admin')))).toEqual([400, 'VALIDATION_FAILED']);
    expect(Settings.parse((await get('/api/staff/settings', m('admin'))).json()).shareSelfSubmittedBeforeReview).toBe(false);
    await put('/api/staff/settings', { shareSelfSubmittedBeforeReview: true }, m('admin'));
    const entries = await t.database.db.selectFrom('audit_entry').select('data').where('action', '=', 'settings.changed').orderBy('seq').execute();
    expect(entries.map((e) => e.data)).toEqual([
      { ...DEFAULT_SETTINGS, changed: ['shareSelfSubmittedBeforeReview'], shareSelfSubmittedBeforeReview: false },
      { ...DEFAULT_SETTINGS, changed: ['shareSelfSubmittedBeforeReview'], shareSelfSubmittedBeforeReview: true },
    ]);

    expect(code(await get('/api/staff/statistics', m('analyst')))).toEqual([403, 'STAFF_PERMISSION_DENIED']);
    const stats = Statistics.parse((await get('/api/staff/statistics', m('supervisor'))).json());
    const open = await t.database.db.selectFrom('case').select(sql<number>`count(*)::int`.as('n')).where('status', 'in', ['new', 'triaged', 'in_progress', 'waiting']).executeTakeFirstOrThrow();
    expect(Object.entries(stats.byStatus).filter(([s]) => ['new', 'triaged', 'in_progress', 'waiting'].includes(s)).reduce((n, [, v]) => n + v, 0)).toBe(open.n);
    expect(stats.overdue.first_answer_overdue).toBeGreaterThanOrEqual(0);
    expect(stats.firstAnswerHoursMedian).not.toBeNull();
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ intact: true });
  });
});
