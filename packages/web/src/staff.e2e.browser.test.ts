// The staff area end to end, with nothing in between: `halte staff add` prints an enrolment link; in
// headless Chromium the analyst opens it, chooses a password, reads the authenticator secret from the
// page, confirms a TOTP code, logs in with another, claims the most urgent case in the queue, reads it
// (a summary carrying HTML and a `javascript:` link render inert), qualifies it, loads a drafted answer,
// edits and sends it. Then the person, on a phone, opens the follow-up with reference + PIN and reads the
// answer, and an e-mail saying a message waits reaches an SMTP server in this process — without the
// answer's words or the reference. Finally the database shows the read in the audit log.
//
// Needs `npm run build` first (`npm test` does it). Chromium: packages/pdq/test/chromium.ts (skipped
// visibly when missing, fails under CI=true).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chromiumUnavailable, launchChromium } from '../../pdq/test/chromium';
import { openDatabase } from '../../server/src/db/database';
import { verifyAuditChain } from '../../server/src/modules/audit/log';
import { startSmtpServer, type TestSmtpServer } from '../../server/test/smtp';
import { halteCommand, LAPTOP, openPage, PHONE, requireBuilt } from '../test/e2e';
import { startServer, stopServer, type Server } from '../test/server';

const skip = chromiumUnavailable();


const XSS_SUMMARY = 'Il veut 500 € avant ce soir. <img src=x onerror=alert(1)> <script>alert(2)</script>';
const JAVASCRIPT_URL = 'javascript:alert(document.cookie)';
const EMAIL = 'personne.staff-e2e@example.org';
const ANALYST = 'analyste.e2e@association.example';
const PASSWORD = 'une phrase de passe assez longue 2026';
const ANSWER_MARK = 'E2E-ANSWER-7c1f';

describe.skipIf(skip !== null)('the staff area end to end: enrol, log in with TOTP, claim, qualify, answer — the person reads it', () => {
  let dataDir: string;
  let smtp: TestSmtpServer;
  let server: Server | undefined;
  let origin: string;
  let browser: Browser | undefined;
  let env: Record<string, string>;
  const contexts: BrowserContext[] = [];

  const halte = (args: string[]) => halteCommand(dataDir, env, args);

  async function report(body: Record<string, unknown>): Promise<{ reference: string; pin: string }> {
    const res = await fetch(`${origin}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()) as { reference: string; pin: string };
  }

  const newPage = (viewport: { width: number; height: number }) => openPage(browser, viewport, contexts);

  let enrolmentToken = '';
  let person: { reference: string; pin: string };
  let other: { reference: string; pin: string };

  beforeAll(async () => {
    requireBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'halte-staff-e2e-'));
    smtp = await startSmtpServer();
    env = {
      HALTE_SECRET_KEY: randomBytes(32).toString('base64'),
      HALTE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      HALTE_MAIL_FROM: 'Halte <no-reply@halte.example.org>',
      HALTE_PUBLIC_URL: 'http://halte.localhost',
    };
    // the analyst's account, made by the operator before the server runs
    halte(['migrate']);
    const added = halte(['staff', 'add', '--email', ANALYST, '--role', 'analyst', '--child-safety']);
    const link = /http:\/\/halte\.localhost\/staff\/enrol#([A-Za-z0-9_-]{43})/.exec(added);
    expect(link, added).not.toBeNull();
    enrolmentToken = link?.[1] as string;

    server = await startServer(dataDir, env);
    origin = server.origin;
    // the most urgent case (immediate danger), with an e-mail address; and an ordinary one
    person = await report({
      situations: ['sextortion'],
      ageGroup: 'adult',
      madeWhenMinor: false,
      country: 'FR',
      immediateDanger: true,
      items: [{ kind: 'url', url: 'https://example.com/photos/42' }],
      summary: XSS_SUMMARY,
      contact: { email: EMAIL },
      consents: { shareWithPartners: true, contactMe: true },
      language: 'fr',
    });
    other = await report({ situations: ['cyberharassment'], ageGroup: 'adult', madeWhenMinor: false, country: 'FR', immediateDanger: false, items: [], consents: { shareWithPartners: false, contactMe: false } });
    // A `javascript:` link the API would refuse, written straight into the database (as a bug or an
    // attacker with database access could): the staff view must still show it inert.
    await stopServer(server);
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'staff e2e test');
    try {
      const c = await database.db.selectFrom('case').select('id').where('reference', '=', person.reference).executeTakeFirstOrThrow();
      await database.db.insertInto('case_item').values({ case_id: c.id, kind: 'url', pdq: null, quality: null, low_quality: false, md5: null, sha256: null, vpdq: null, url: JAVASCRIPT_URL, host: null }).execute();
    } finally {
      await database.close();
    }
    server = await startServer(dataDir, env);
    origin = server.origin;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stopServer(server);
    await smtp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes from an enrolment link to an answer the person reads, with an e-mail that says nothing of it', async () => {
    const { page, errors, dialogs } = await newPage(LAPTOP);

    // Enrolment: the token is read from the fragment and taken out of the address bar.
    await page.goto(`${origin}/staff/enrol#${enrolmentToken}`);
    await page.getByTestId('enrol-password').waitFor();
    expect(page.url()).not.toContain(enrolmentToken);
    await page.getByTestId('enrol-password').fill(PASSWORD);
    await page.getByTestId('enrol-password-again').fill(PASSWORD);
    await page.getByTestId('enrol-password-submit').click();
    await page.getByTestId('enrol-secret').waitFor();
    expect(await page.getByTestId('enrol-qr').locator('rect').count()).toBeGreaterThan(50);
    const secret = (await page.getByTestId('enrol-secret').innerText()).replace(/\s+/g, '');
    const totp = new TOTP({ issuer: 'Halte', label: ANALYST, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
    const enrolledAt = Date.now();
    await page.getByTestId('enrol-code').fill(totp.generate({ timestamp: enrolledAt }));
    await page.getByTestId('enrol-code-submit').click();
    await page.getByTestId('enrol-done').waitFor();

    // Log in: a code of the next time step (each code is accepted once; the server allows ±1 step).
    await page.getByTestId('enrol-login-link').click();
    await page.getByTestId('login-email').fill(ANALYST);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-code').fill(totp.generate({ timestamp: enrolledAt + 30_000 }));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('staff-whoami').waitFor();
    expect(await page.getByTestId('staff-whoami').innerText()).toContain(ANALYST);

    // The queue: the person in danger first; claim it.
    const table = page.getByTestId('queue-table');
    await table.getByTestId('queue-row').first().waitFor();
    const rows = table.getByTestId('queue-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().innerText()).toContain(person.reference);
    expect(await rows.nth(1).innerText()).toContain(other.reference);
    await rows.first().getByTestId('queue-claim').click();
    await expect.poll(async () => rows.first().getByTestId('queue-assignee').innerText()).toContain(ANALYST);
    // keyboard: the first row is selected; Enter opens it
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.getByTestId('case-summary').waitFor();
    expect(page.url()).toMatch(/\/staff#\/case\/\d+$/);

    // What the person wrote is text: no element made of it, no script run, no javascript: link.
    expect(await page.getByTestId('case-summary').innerText()).toContain('<img src=x onerror=alert(1)>');
    expect(await page.getByTestId('case-summary').locator('img, script').count()).toBe(0);
    expect(await page.getByTestId('case-contact').innerText()).toContain(EMAIL);
    const urls = await page.getByTestId('item-url-text').allInnerTexts();
    expect(urls).toEqual(expect.arrayContaining(['https://example.com/photos/42', JAVASCRIPT_URL]));
    expect(await page.getByTestId('item-url-unsafe').count()).toBe(1);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    const links = await page.getByTestId('item-link').evaluateAll((anchors) => anchors.map((a) => [a.getAttribute('href'), a.getAttribute('rel')]));
    expect(links).toEqual([['https://example.com/photos/42', expect.stringContaining('noopener')]]);

    // Qualify: blackmail (art. 312-10).
    const chantage = page.locator('[data-offence-id="fr-chantage"]');
    await chantage.check();
    await page.getByTestId('qualification-save').click();
    await page.getByTestId('qualification-status').waitFor();
    expect(await page.getByTestId('offence-unconfirmed').count()).toBeGreaterThan(0);

    // Answer: the first-answer template in French, edited, sent after a confirmation.
    await page.getByTestId('answer-template').selectOption('first_answer');
    await page.getByTestId('answer-load').click();
    await expect.poll(async () => page.getByTestId('answer-draft').inputValue()).toContain('Chantage (Code pénal, art. 312-10');
    const draft = await page.getByTestId('answer-draft').inputValue();
    expect(draft).not.toContain('<img');
    await page.getByTestId('answer-draft').fill(`${draft}\n\n${ANSWER_MARK}`);
    await page.getByTestId('answer-send').click();
    await page.getByTestId('answer-confirm-yes').click();
    await page.getByTestId('answer-sent').waitFor();
    expect(await page.getByTestId('answer-sent').getAttribute('data-email-queued')).toBe('true');
    await expect.poll(async () => page.getByTestId('case-status').innerText()).not.toBe('');

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);

    // The person, on a phone: the answer is in the follow-up.
    const phone = await newPage(PHONE);
    await phone.page.goto(`${origin}/#/follow-up`);
    await phone.page.getByLabel('Référence du dossier').fill(person.reference);
    await phone.page.getByLabel('Code PIN', { exact: true }).fill(person.pin);
    await phone.page.getByRole('button', { name: 'Ouvrir mon dossier' }).click();
    await phone.page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();
    await expect.poll(async () => phone.page.locator('body').innerText()).toContain(ANSWER_MARK);
    expect(phone.errors).toEqual([]);

    // The e-mail: to the person's address, in French, saying a message waits — nothing of the case.
    await expect.poll(() => smtp.received.filter((mail) => mail.rcptTo.includes(EMAIL)).length, { timeout: 30_000 }).toBe(1);
    const mail = smtp.received.find((m) => m.rcptTo.includes(EMAIL));
    expect(mail?.headers.get('subject')).toBe('Un message vous attend dans votre suivi');
    for (const secretWord of [ANSWER_MARK, person.reference, person.pin, 'Chantage', '500 €']) expect(mail?.raw).not.toContain(secretWord);
  });

  it('left every step in the audit log, chained, with ids only', async () => {
    await stopServer(server);
    server = undefined;
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'staff e2e test');
    try {
      const c = await database.db.selectFrom('case').select('id').where('reference', '=', person.reference).executeTakeFirstOrThrow();
      const entries = await database.db.selectFrom('audit_entry').select(['action', 'actor_kind', 'target_id', 'data']).orderBy('seq').execute();
      const onCase = entries.filter((e) => e.target_id === String(c.id)).map((e) => e.action);
      expect(onCase).toEqual(expect.arrayContaining(['case.claimed', 'case.read', 'case.qualified', 'case.message_from_team']));
      expect(onCase.indexOf('case.read')).toBeLessThan(onCase.indexOf('case.qualified'));
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['staff.created', 'staff.enrolled', 'staff.login']));
      const text = JSON.stringify(entries);
      for (const personal of [EMAIL, person.reference, ANSWER_MARK, 'menace', '500']) expect(text).not.toContain(personal);
      expect(await verifyAuditChain(database.db)).toMatchObject({ intact: true });
    } finally {
      await database.close();
    }
  });
});
