// Takedown notices end to end, in headless Chromium against the built server: an admin adds a host to
// the directory from its page, opens a case with two links (one on that host, one on a host nobody
// knows), previews the notice — the exact text that leaves, in French, with the link and the good-faith
// statement — sends it, and an SMTP server in this process receives it once. The link moves to "notice
// sent", then "acknowledged" by hand; the unknown host is on the "to do" list; and the person, on a
// phone, reads in their follow-up that a removal request went to the host.
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
import { startSmtpServer, type TestSmtpServer } from '../../server/test/smtp';
import { halteCommand, openPage, PHONE, requireBuilt } from '../test/e2e';
import { startServer, stopServer, type Server } from '../test/server';

const skip = chromiumUnavailable();

const LAPTOP = { width: 1280, height: 900 };
const ADMIN = 'admin.notices-e2e@association.example';
const PASSWORD = 'une phrase de passe assez longue 2026';
const HOST_ADDRESS = 'abuse@halte-e2e-host.fr';
const KNOWN_LINK = 'https://www.halte-e2e-host.fr/video/31415';
const UNKNOWN_LINK = 'https://nobody-knows-this-host.fr/p/1';

describe.skipIf(skip !== null)('takedown notices end to end: directory, preview, send, track, follow-up', () => {
  let dataDir: string;
  let smtp: TestSmtpServer;
  let server: Server | undefined;
  let origin: string;
  let browser: Browser | undefined;
  let env: Record<string, string>;
  let enrolmentToken = '';
  let person: { reference: string; pin: string };
  const contexts: BrowserContext[] = [];

  const halte = (args: string[]) => halteCommand(dataDir, env, args);
  const newPage = (viewport: { width: number; height: number }) => openPage(browser, viewport, contexts);

  beforeAll(async () => {
    requireBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'halte-notices-e2e-'));
    smtp = await startSmtpServer();
    env = {
      HALTE_SECRET_KEY: randomBytes(32).toString('base64'),
      HALTE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      HALTE_MAIL_FROM: 'Halte <signalements@halte.example.org>',
      HALTE_PUBLIC_URL: 'http://halte.localhost',
    };
    halte(['migrate']);
    const added = halte(['staff', 'add', '--email', ADMIN, '--role', 'admin', '--child-safety']);
    enrolmentToken = /#([A-Za-z0-9_-]{43})/.exec(added)?.[1] ?? '';
    expect(enrolmentToken, added).not.toBe('');
    server = await startServer(dataDir, env);
    origin = server.origin;
    const res = await fetch(`${origin}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        situations: ['ncii_diffusion'],
        ageGroup: 'adult',
        madeWhenMinor: false,
        country: 'FR',
        immediateDanger: false,
        items: [
          { kind: 'url', url: KNOWN_LINK },
          { kind: 'url', url: UNKNOWN_LINK },
        ],
        consents: { shareWithPartners: false, contactMe: false },
        language: 'fr',
      }),
    });
    expect(res.status).toBe(201);
    person = (await res.json()) as { reference: string; pin: string };
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stopServer(server);
    await smtp?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a host, sends a notice once, tracks the link, and the person reads it in plain words', async () => {
    const { page, errors } = await newPage(LAPTOP);
    // enrol and log in (TOTP)
    await page.goto(`${origin}/staff/enrol#${enrolmentToken}`);
    await page.getByTestId('enrol-password').fill(PASSWORD);
    await page.getByTestId('enrol-password-again').fill(PASSWORD);
    await page.getByTestId('enrol-password-submit').click();
    const secret = (await page.getByTestId('enrol-secret').innerText()).replace(/\s+/g, '');
    const totp = new TOTP({ issuer: 'Halte', label: ADMIN, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
    const enrolledAt = Date.now();
    await page.getByTestId('enrol-code').fill(totp.generate({ timestamp: enrolledAt }));
    await page.getByTestId('enrol-code-submit').click();
    await page.getByTestId('enrol-login-link').click();
    await page.getByTestId('login-email').fill(ADMIN);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-code').fill(totp.generate({ timestamp: enrolledAt + 30_000 }));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('staff-whoami').waitFor();

    // the directory: seeded entries, and a new host with an e-mail channel
    await page.getByTestId('nav-hosts').click();
    await page.locator('[data-host-id="instagram"]').waitFor();
    await page.getByTestId('hosts-new').click();
    await page.getByTestId('host-id').fill('e2e-host');
    await page.getByTestId('host-name').fill('Hébergeur E2E');
    await page.getByTestId('host-domains').fill('halte-e2e-host.fr');
    await page.getByTestId('host-channels').fill(`email, ${HOST_ADDRESS}, abuse desk`);
    await page.getByTestId('host-country').fill('FR');
    await page.getByTestId('host-regulator').fill('Arcom (FR)');
    await page.getByTestId('host-source').fill('test fixture');
    await page.getByTestId('host-confirmed').check();
    await page.getByTestId('host-save').click();
    await page.locator('[data-host-id="e2e-host"]').waitFor();

    // the due list: the link on an unknown host waits for an admin
    await page.getByTestId('nav-due').click();
    await page.getByTestId('due-item').first().waitFor();
    expect(await page.locator('[data-reason="unknown_host"]').count()).toBe(1);
    expect(await page.getByTestId('due-list').innerText()).toContain('nobody-knows-this-host.fr');

    // the case: two links, one known
    await page.goto(`${origin}/staff#/case/1`);
    await page.getByTestId('case-takedowns').waitFor();
    const known = page.locator('[data-testid="takedown-link"]').filter({ hasText: KNOWN_LINK });
    await known.getByTestId('takedown-host').waitFor();
    expect(await known.getByTestId('takedown-host').innerText()).toContain('Hébergeur E2E');
    const unknown = page.locator('[data-testid="takedown-link"]').filter({ hasText: UNKNOWN_LINK });
    expect(await unknown.getByTestId('takedown-host').innerText()).toContain('nobody-knows-this-host.fr');
    await known.locator('input[type="checkbox"]').check();

    // preview: the exact text, French, with the link and the four DSA elements; then send
    await page.getByTestId('takedown-preview').click();
    const preview = page.getByTestId('takedown-preview-text');
    await preview.waitFor();
    const text = await preview.innerText();
    for (const expected of [KNOWN_LINK, 'Je déclare de bonne foi', 'article 16, paragraphe 2', 'signalements@halte.example.org', 'Aucune image']) expect(text).toContain(expected);
    expect(text).not.toContain(person.reference);
    await page.getByTestId('takedown-send').click();
    await page.getByTestId('takedown-notices-status').filter({ hasText: /enregistr/ }).waitFor();

    // the SMTP server receives it once; the case shows it sent and the link moved
    await expect.poll(() => smtp.received.filter((m) => m.rcptTo.includes(HOST_ADDRESS)).length, { timeout: 30_000 }).toBe(1);
    await expect
      .poll(async () => {
        await page.getByTestId('case-refresh').click();
        return page.getByTestId('takedown-notice').first().getAttribute('data-state');
      }, { timeout: 30_000 })
      .toBe('sent');
    expect(await known.getAttribute('data-state')).toBe('notice_sent');
    const mail = smtp.received.find((m) => m.rcptTo.includes(HOST_ADDRESS));
    expect(mail?.text).toContain(KNOWN_LINK);
    expect(mail?.raw).not.toContain(person.reference);

    // the host acknowledged: marked by hand
    await known.locator('input[type="checkbox"]').check();
    await page.getByTestId('takedown-move-acknowledged').click();
    await expect.poll(async () => known.getAttribute('data-state')).toBe('acknowledged');
    expect(smtp.received.filter((m) => m.rcptTo.includes(HOST_ADDRESS))).toHaveLength(1);
    expect(errors).toEqual([]);

    // the person, on a phone
    const phone = await newPage(PHONE);
    await phone.page.goto(`${origin}/#/follow-up`);
    await phone.page.getByLabel('Référence du dossier').fill(person.reference);
    await phone.page.getByLabel('Code PIN', { exact: true }).fill(person.pin);
    await phone.page.getByRole('button', { name: 'Ouvrir mon dossier' }).click();
    await phone.page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();
    const body = await phone.page.locator('body').innerText();
    expect(body).toContain('Une demande de retrait a été envoyée à Hébergeur E2E pour 1 lien.');
    expect(body).toContain('Hébergeur E2E a bien reçu la demande de retrait.');
    expect(phone.errors).toEqual([]);
  });
});
