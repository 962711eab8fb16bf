// The public web app as built by Vite, driven in headless Chromium at phone size (390×844).
//
// The HTTP server here is a TEST DOUBLE of Halte's server for UI tests: it serves the built files and
// answers the few API routes the pages call, only to record what the page sends and to give plausible
// answers (shaped and checked by @halte/contract); the follow-up's failure paths are answered through
// Playwright routes. The end-to-end test against packages/server is e2e.browser.test.ts.
// Chromium: packages/pdq/test/chromium.ts (skipped visibly when missing, fails under CI=true).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import { FollowupView, OrientationResponse, ReportCreated, ReportRequest } from '@halte/contract';
import type { Browser, Page, Route } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { chromiumUnavailable, launchChromium } from '../../pdq/test/chromium';
import { QUICK_EXIT_URL } from './components/quick-exit';

const skip = chromiumUnavailable();

const WEB = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../pdq/test/fixtures/', import.meta.url));
const IMAGE_FILES = ['bridge-mods/aaa-orig.jpg', 'reg-test-input/labelme-subset/q0746.jpg', 'misc-images/wee.jpg'];
const IMAGES = IMAGE_FILES.map((file) => readFileSync(join(FIXTURES, file)));
const VIEWPORT = { width: 390, height: 844 };
/** What the test answers in place of the quick-exit site (never contacted). */
const NEUTRAL_PAGE = '<!doctype html><meta charset="utf-8"><title>Météo</title><p>Météo</p>';

/** The C++ reference's PDQ hash and quality of each fixture (expected-cpp-reference.csv). */
const REFERENCE = new Map(
  readFileSync(join(FIXTURES, 'expected-cpp-reference.csv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(','))
    .map(([hash, quality, file]) => [file as string, { pdq: hash as string, quality: Number(quality) }]),
);

// --- what the test double answers -------------------------------------------------------------

const ORIENTATION = OrientationResponse.parse({
  query: { situations: [], age: 'minor', country: 'FR', danger: false },
  danger: false,
  services: [
    {
      id: 'fr-3018',
      name: '3018 – Numéro national contre les violences numériques',
      kind: 'phone',
      contact: '3018',
      channels: [
        { kind: 'phone', contact: '3018' },
        { kind: 'chat', contact: 'https://www.3018.fr (tchat)' },
      ],
      hours: '7j/7, 9h–23h',
      free: true,
      anonymous: true,
      country: 'FR',
      audience: 'minors',
      group: 'youth',
      description: { fr: 'Écoute et conseils, retrait de contenus.', en: 'Listening and advice, content removal.' },
      reason: { fr: 'Pour les moins de 18 ans.', en: 'For people under 18.' },
      notFor: null,
      confirmed: true,
      unconfirmedFields: [],
      hoursConfirmed: true,
      unconfirmedNote: null,
      source: 'test double',
    },
    {
      id: 'fr-fil-sante-jeunes',
      name: 'Fil Santé Jeunes',
      kind: 'phone',
      contact: '0 800 235 236',
      channels: [{ kind: 'phone', contact: '0 800 235 236' }],
      hours: '9h–23h',
      free: true,
      anonymous: true,
      country: 'FR',
      audience: 'minors',
      group: 'support',
      description: { fr: 'Écoute pour les jeunes.', en: 'A listening line for young people.' },
      reason: { fr: 'Pour parler à quelqu’un.', en: 'To talk to someone.' },
      notFor: null,
      confirmed: false,
      unconfirmedFields: ['numéro', 'horaires'],
      hoursConfirmed: false,
      unconfirmedNote: { fr: 'Numéro à vérifier.', en: 'Number to be checked.' },
      source: 'test double',
    },
  ],
  notices: [],
  dataCompiledOn: '2026-11-26',
});

const CREATED = ReportCreated.parse({ reference: 'HLT-4K7P-Q2M9-XC3D', pin: '04817263', warnings: [], orientation: ORIENTATION.services });

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

function apiError(code: string, message: string) {
  return JSON.stringify({ error: { code, message } });
}

/** Serves `root` and plays the API; `reportAnswers` is the list of statuses for the next report posts. */
function testDoubleServer(root: string) {
  const recorded: Recorded[] = [];
  const reportAnswers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://test');
      const body = Buffer.concat(chunks);
      if (url.pathname.startsWith('/api/')) recorded.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      const json = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      if (url.pathname === '/api/orientation' && req.method === 'GET') return json(200, JSON.stringify(ORIENTATION));
      if (url.pathname === '/api/reports' && req.method === 'POST') {
        const status = reportAnswers.shift() ?? 201;
        return status === 201 ? json(201, JSON.stringify(CREATED)) : json(status, apiError('UNAVAILABLE', 'database not ready'));
      }
      if (url.pathname === '/api/followup/session' && req.method === 'POST') return json(401, apiError('FOLLOWUP_LOGIN_FAILED', 'no match'));
      if (url.pathname.startsWith('/api/')) return json(404, apiError('NOT_FOUND', 'no such route'));
      const path = normalize(decodeURIComponent(url.pathname));
      const file = join(root, path === '/' ? 'index.html' : path);
      if (!file.startsWith(root)) return void res.writeHead(403).end();
      readFile(file).then(
        (content) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(content),
        () => res.writeHead(404).end(),
      );
    });
  });
  return { server, recorded, reportAnswers };
}

// --- "no image bytes in any request" ----------------------------------------------------------

/** 32-character blocks at multiples of 32: any 63-character window of `text` contains one. */
function alignedBlocks(text: string): Set<string> {
  const blocks = new Set<string>();
  for (let i = 0; i + 32 <= text.length; i += 32) blocks.add(text.slice(i, i + 32));
  return blocks;
}

const IMAGE_ENCODINGS = IMAGES.map((image) => ({
  raw: alignedBlocks(image.toString('latin1')),
  hex: alignedBlocks(image.toString('hex')),
  base64: [0, 1, 2].map((shift) => alignedBlocks(image.subarray(shift).toString('base64'))),
}));

/**
 * Why `body` may carry image content, or [] when it cannot: at most 64 KiB, no JPEG/PNG signature,
 * and no 64 bytes of any fixture image, raw, in hex or in base64 (any alignment).
 */
function imageLeaks(body: Buffer): string[] {
  const found: string[] = [];
  if (body.length >= 64 * 1024) found.push(`body of ${body.length} bytes`);
  if (body.includes(Buffer.from([0xff, 0xd8, 0xff]))) found.push('JPEG signature');
  if (body.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) found.push('PNG signature');
  if (/data:image\//i.test(body.toString('latin1'))) found.push('data: URL of an image');
  const text = body.toString('latin1');
  IMAGE_ENCODINGS.forEach((encodings, index) => {
    for (let i = 0; i + 32 <= text.length; i++) {
      const window = text.slice(i, i + 32);
      if (encodings.raw.has(window)) found.push(`bytes of ${IMAGE_FILES[index]}`);
      if (encodings.hex.has(window)) found.push(`hex of ${IMAGE_FILES[index]}`);
      if (encodings.base64.some((blocks) => blocks.has(window))) found.push(`base64 of ${IMAGE_FILES[index]}`);
    }
  });
  return [...new Set(found)];
}

// --- accessibility ----------------------------------------------------------------------------

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is added with a script tag
 * where the test turned the page's CSP off (bypassCSP); under the app's CSP, which refuses inline
 * scripts, it is evaluated through the DevTools protocol instead.
 */
async function seriousViolations(page: Page, how: 'script-tag' | 'devtools' = 'script-tag'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) {
    if (how === 'script-tag') await page.addScriptTag({ content: AXE });
    else await page.evaluate(AXE);
  }
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
}

// ----------------------------------------------------------------------------------------------

describe.skipIf(skip !== null)('public web app in Chromium (390×844), against a test double of the server', () => {
  let out: string;
  let double: ReturnType<typeof testDoubleServer>;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'halte-web-'));
    await build({ configFile: join(WEB, 'vite.config.ts'), root: WEB, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    double = testDoubleServer(out);
    server = double.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  beforeEach(() => {
    double.recorded.length = 0;
    double.reportAnswers.length = 0;
  });

  async function openPage(options: { bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true, bypassCSP: options.bypassCSP ?? false });
    const page = await context.newPage();
    const requests: { url: string; method: string; body: Buffer | null }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), body: request.postDataBuffer() }));
    // Uncaught errors and console errors of the app (not the browser's note on each 4xx/5xx answer).
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    return { context, page, requests, errors };
  }

  /** Back, as many times as there are entries, never shows Halte again. */
  async function expectNoWayBack(page: Page): Promise<void> {
    const entries = await page.evaluate(() => history.length);
    for (let step = 1; step <= entries; step++) {
      await page.goBack({ waitUntil: 'load' });
      expect(page.url().startsWith(origin), `after ${step} × back: ${page.url()}`).toBe(false);
    }
  }

  it('detects image content in a request body (the check below can fail)', () => {
    const image = IMAGES[0] as Buffer;
    expect(imageLeaks(Buffer.from(JSON.stringify({ pdq: 'a'.repeat(64) })))).toEqual([]);
    expect(imageLeaks(image.subarray(5000, 5064))).not.toEqual([]);
    expect(imageLeaks(Buffer.from(`{"x":"${image.subarray(7001, 7100).toString('base64')}"}`))).toContain(`base64 of ${IMAGE_FILES[0]}`);
    expect(imageLeaks(Buffer.from(`{"x":"${image.subarray(9000, 9064).toString('hex')}"}`))).toContain(`hex of ${IMAGE_FILES[0]}`);
  });

  it('sends a report with 3 pictures and 2 links: only fingerprints leave, a retry reuses the key, the reference and PIN show', async () => {
    const { context, page, requests, errors } = await openPage();
    // The first sending fails (the service is unavailable); the retry succeeds.
    double.reportAnswers.push(503, 201);
    await page.goto(`${origin}/#/`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

    // Home → report, by keyboard.
    await page.getByRole('link', { name: /Faire un signalement/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/report');
    const next = page.getByRole('button', { name: 'Continuer' });

    // 1. What is happening: nothing ticked → told so, focus on the first box.
    await next.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Cochez au moins une case.').waitFor();
    await page.getByLabel(/Quelqu’un me fait du chantage/).focus();
    await page.keyboard.press('Space');
    await page.getByLabel(/Des images intimes de moi ont été partagées/).focus();
    await page.keyboard.press('Space');
    await next.focus();
    await page.keyboard.press('Enter');

    // 2. Age.
    await page.getByRole('heading', { level: 2, name: 'Âge' }).waitFor();
    await page.getByLabel('18 ans ou plus').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Non, ou il n’y a pas d’images').focus();
    await page.keyboard.press('Space');
    await next.focus();
    await page.keyboard.press('Enter');

    // 3. Country and postal code (Enter in the field moves on).
    await page.getByRole('heading', { level: 2, name: 'Pays' }).waitFor();
    await page.getByLabel('France').focus();
    await page.keyboard.press('Space');
    await page.getByLabel(/Code postal/).fill('75011');
    await page.keyboard.press('Enter');

    // 4. Danger: "yes" shows the numbers at once, before the question, and the person can go on.
    await page.getByRole('heading', { level: 2, name: 'Sécurité' }).waitFor();
    await page.getByLabel('Oui, je suis en danger maintenant').focus();
    await page.keyboard.press('Space');
    const calls = page.locator('a.call');
    await calls.first().waitFor();
    expect(await calls.evaluateAll((links) => links.map((link) => link.getAttribute('href')))).toEqual(['tel:17', 'tel:112', 'sms:114']);
    expect(
      await page.evaluate(() => {
        const numbers = document.querySelector('.emergency');
        const question = document.getElementById('field-immediateDanger');
        return numbers !== null && question !== null && (numbers.compareDocumentPosition(question) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      }),
    ).toBe(true);
    expect(await seriousViolations(page, 'devtools')).toEqual([]);
    await next.focus();
    await page.keyboard.press('Enter');

    // 5. Pictures: chosen on the device, fingerprinted in the worker, local blurred thumbnails.
    await page.getByRole('heading', { level: 2, name: 'Images' }).waitFor();
    await page.locator('input[type=file]').setInputFiles(IMAGE_FILES.map((file) => join(FIXTURES, file)));
    await page.getByText('Empreintes calculées : 3 sur 3').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Empreinte prête').count()).toBe(3);
    const thumbnails = await page.locator('img.thumb').evaluateAll((images) => images.map((image) => [image.getAttribute('src'), image.className]));
    expect(thumbnails).toHaveLength(3);
    for (const [src, className] of thumbnails) {
      expect(src).toMatch(/^blob:/);
      expect(className).toContain('blurred');
    }
    await next.focus();
    await page.keyboard.press('Enter');

    // 6. Links, added with Enter; one without https://.
    await page.getByRole('heading', { level: 2, name: 'Liens' }).waitFor();
    const address = page.getByLabel('Adresse de la page');
    await address.fill('https://example.com/photos/123');
    await address.press('Enter');
    await address.fill('www.example.org/u/someone');
    await address.press('Enter');
    await page.getByText('Liens dans la liste : 2.').waitFor();
    await next.focus();
    await page.keyboard.press('Enter');

    // 7. Message and consent.
    await page.getByRole('heading', { level: 2, name: 'Votre message et votre accord' }).waitFor();
    await page.getByLabel(/que s’est-il passé/).fill('Il menace de montrer les photos.');
    await page.getByLabel(/empreintes de mes images soient transmises/).focus();
    await page.keyboard.press('Space');
    await next.focus();
    await page.keyboard.press('Enter');

    // 8. Review and send: the first try fails, the answers stay, the retry works.
    await page.getByRole('heading', { level: 2, name: 'Vérifier et envoyer' }).waitFor();
    await page.getByRole('button', { name: 'Envoyer le signalement' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Le service est momentanément indisponible.').waitFor();
    await page.getByText('Vos réponses sont gardées sur cette page.').waitFor();
    expect(await page.getByText('https://www.example.org/u/someone').count()).toBe(1);
    await page.getByRole('button', { name: 'Réessayer l’envoi' }).focus();
    await page.keyboard.press('Enter');

    // The reference and the PIN, the warning, the download.
    await page.getByRole('heading', { level: 1, name: 'Votre signalement est envoyé' }).waitFor();
    expect(await page.getByTestId('reference').textContent()).toBe(CREATED.reference);
    expect(await page.getByTestId('pin').textContent()).toBe(CREATED.pin);
    await page.getByText('Personne ne peut le retrouver').waitFor();
    await page.getByText('Information non confirmée').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger dans un fichier texte' }).click()]);
    expect(download.suggestedFilename()).toBe(`${CREATED.reference}.txt`);
    const saved = readFileSync(await download.path(), 'utf8');
    expect(saved).toContain(CREATED.reference);
    expect(saved).toContain(CREATED.pin);
    expect(await seriousViolations(page, 'devtools')).toEqual([]);

    // What the server received: two attempts of the same report under one Idempotency-Key.
    const posts = double.recorded.filter((request) => request.path === '/api/reports');
    expect(posts).toHaveLength(2);
    const [first, retry] = posts as [Recorded, Recorded];
    expect(first.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
    expect(retry.body.equals(first.body)).toBe(true);
    expect(first.headers['content-type']).toBe('application/json');

    const body = JSON.parse(first.body.toString('utf8')) as ReportRequest;
    expect(ReportRequest.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      situations: ['immediate_danger', 'sextortion', 'ncii_diffusion'],
      ageGroup: 'adult',
      madeWhenMinor: false,
      country: 'FR',
      postalCode: '75011',
      immediateDanger: true,
      summary: 'Il menace de montrer les photos.',
      consents: { shareWithPartners: true, contactMe: false },
    });
    expect(body.contact).toBeUndefined();
    const images = body.items.filter((item) => item.kind === 'image');
    const urls = body.items.filter((item) => item.kind === 'url').map((item) => item.url);
    expect(urls).toEqual(['https://example.com/photos/123', 'https://www.example.org/u/someone']);
    // The browser's decode in the worker gives exactly the C++ reference's hashes for these files.
    expect(images).toEqual(
      IMAGE_FILES.map((file, index) => ({
        kind: 'image',
        pdq: REFERENCE.get(file)?.pdq,
        quality: REFERENCE.get(file)?.quality,
        md5: createHash('md5')
          .update(IMAGES[index] as Buffer)
          .digest('hex'),
        sha256: createHash('sha256')
          .update(IMAGES[index] as Buffer)
          .digest('hex'),
      })),
    );

    // No request of the page carried image content, and none went to another site.
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(imageLeaks(request.body ?? Buffer.alloc(0)), `${request.method} ${request.url}`).toEqual([]);
      if (!request.url.startsWith('blob:') && !request.url.startsWith('data:')) expect(new URL(request.url).origin, request.url).toBe(origin);
    }
    for (const request of double.recorded) expect(imageLeaks(request.body), `${request.method} ${request.path}`).toEqual([]);

    // Nothing stored on the device.
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
    expect(await context.cookies()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('leaves for a neutral site with the Quick exit button, and back does not return', async () => {
    const { context, page } = await openPage();
    const neutral: { url: string; referer: string | undefined }[] = [];
    await context.route(`${new URL(QUICK_EXIT_URL).origin}/**`, (route) => {
      neutral.push({ url: route.request().url(), referer: route.request().headers()['referer'] });
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: NEUTRAL_PAGE });
    });
    await page.goto(`${origin}/#/`);
    const length = await page.evaluate(() => history.length);
    // Moving inside the app adds no history entry.
    await page.getByRole('navigation').getByRole('link', { name: 'Signaler' }).click();
    await page.getByLabel(/Quelqu’un me fait du chantage/).check();
    await page.getByRole('navigation').getByRole('link', { name: 'Trouver de l’aide' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trouver de l’aide' }).waitFor();
    expect(await page.evaluate(() => history.length)).toBe(length);

    await page.getByRole('button', { name: 'Quitter rapidement' }).click();
    await page.waitForURL(QUICK_EXIT_URL);
    expect(await page.title()).toBe('Météo');
    expect(neutral).toEqual([{ url: QUICK_EXIT_URL, referer: undefined }]);
    expect(await page.evaluate(() => history.length)).toBe(length);
    await expectNoWayBack(page);
    await context.close();
  });

  it('leaves on Escape pressed twice within a second, not on two presses far apart', async () => {
    const { context, page } = await openPage();
    await context.route(`${new URL(QUICK_EXIT_URL).origin}/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: NEUTRAL_PAGE }),
    );
    await page.goto(`${origin}/#/report`);
    await page.getByLabel(/Quelqu’un me fait du chantage/).check();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1300);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(1300);
    expect(page.url()).toBe(`${origin}/#/report`);

    await page.getByLabel(/Quelqu’un me fait du chantage/).focus();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(150);
    await page.keyboard.press('Escape');
    await page.waitForURL(QUICK_EXIT_URL);
    await expectNoWayBack(page);
    await context.close();
  });

  it('shows help services with the unconfirmed mark, and a clear message when the follow-up fails', async () => {
    const { context, page } = await openPage();
    await page.goto(`${origin}/#/help`);
    await page.getByRole('radio', { name: 'Moins de 18 ans', exact: true }).check();
    await page.getByLabel('France').check();
    await page.getByLabel('Non', { exact: true }).check();
    await page.getByText('Ce qui se passe (facultatif)').click();
    await page.getByLabel(/Quelqu’un me fait du chantage/).check();
    await page.getByRole('button', { name: 'Voir qui peut m’aider' }).click();
    await page.getByRole('heading', { level: 2, name: 'Qui peut vous aider' }).waitFor();
    expect(await page.getByText('Information non confirmée').count()).toBe(1);
    await page.getByText('Numéro à vérifier.').waitFor();
    expect(await page.locator('a[href="tel:3018"]').count()).toBe(1);
    const orientation = double.recorded.filter((request) => request.path.startsWith('/api/orientation'));
    expect(orientation.map((request) => request.path)).toEqual(['/api/orientation?situations=sextortion&age=minor&country=FR&danger=false']);

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByText('Unconfirmed information').waitFor();
    await page.getByText('Number to be checked.').waitFor();

    await page.getByRole('navigation').getByRole('link', { name: 'Follow my case' }).click();
    await page.getByLabel('Case reference').fill('hlt 4k7p q2m9 xc3d');
    await page.getByLabel('PIN', { exact: true }).fill('1234 5678');
    await page.getByRole('button', { name: 'Open my case' }).click();
    await page.getByText('We cannot find a case with this reference and this PIN.').waitFor();
    const login = double.recorded.find((request) => request.path === '/api/followup/session');
    expect(JSON.parse(login?.body.toString('utf8') ?? '{}')).toEqual({ reference: 'HLT-4K7P-Q2M9-XC3D', pin: '12345678' });
    await context.close();
  });

  it('follows a case: an expired session goes back to the PIN and keeps the draft; offline and withdrawn are said plainly', async () => {
    const { context, page, errors } = await openPage();
    const view = FollowupView.parse({
      reference: CREATED.reference,
      status: 'in_progress',
      createdAt: '2026-11-26T10:00:00.000Z',
      situations: ['sextortion'],
      items: [
        { id: 1, kind: 'image', quality: 100, lowQuality: false, url: null, withdrawn: false, addedAt: '2026-11-26T10:00:00.000Z' },
        { id: 2, kind: 'image', quality: 12, lowQuality: true, url: null, withdrawn: false, addedAt: '2026-11-26T10:00:00.000Z' },
        { id: 3, kind: 'url', quality: null, lowQuality: false, url: 'https://example.com/photos/123', withdrawn: false, addedAt: '2026-11-26T10:00:00.000Z' },
      ],
      timeline: [
        { kind: 'report_received', at: '2026-11-26T10:00:00.000Z', data: { images: 2, videos: 0, urls: 1 } },
        { kind: 'message_from_team', at: '2026-11-26T11:00:00.000Z', data: {} },
        // a partner's name comes from its configuration: a long one must not widen the page
        { kind: 'reupload_blocked', at: '2026-11-26T11:30:00.000Z', data: { outcome: 'blocked', partner: 'PlateformePartenaireAuNomParticulièrementLongEtSansEspace', count: 2 } },
      ],
      messages: [{ id: 1, author: 'staff', body: 'Bonjour, nous avons bien reçu votre signalement.', at: '2026-11-26T11:00:00.000Z' }],
      withdrawal: null,
    });
    // What the server answers next, per route (the test double's own server is not reached).
    const answers = { view: view as unknown, message: 'ok' as 'ok' | 'expired' | 'withdrawn' };
    const json = (route: Route, status: number, body: unknown) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
    await context.route('**/api/followup**', async (route) => {
      const { pathname } = new URL(route.request().url());
      const method = route.request().method();
      if (pathname === '/api/followup/session' && method === 'POST') return json(route, 201, { expiresAt: '2026-11-26T12:30:00.000Z' });
      if (pathname === '/api/followup' && method === 'GET') return json(route, 200, answers.view);
      if (pathname === '/api/followup/messages') {
        if (answers.message === 'expired') return json(route, 401, { error: { code: 'SESSION_REQUIRED', message: 'x' } });
        if (answers.message === 'withdrawn') return json(route, 409, { error: { code: 'CASE_WITHDRAWN', message: 'x' } });
        return json(route, 201, {});
      }
      if (pathname === '/api/followup/export') return route.abort('internetdisconnected');
      return json(route, 404, { error: { code: 'NOT_FOUND', message: 'x' } });
    });
    await page.goto(`${origin}/#/follow-up`);
    const logIn = async () => {
      await page.getByLabel('Code PIN', { exact: true }).fill('04817263');
      await page.getByRole('button', { name: 'Ouvrir mon dossier' }).click();
      await page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();
    };
    await page.getByLabel('Référence du dossier').fill(CREATED.reference);
    await logIn();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('case-title');
    expect(await page.getByTestId('case-status').textContent()).toBe('En cours. L’équipe de Halte s’en occupe.');
    await page.getByTestId('timeline').getByText('L’équipe de Halte vous a écrit.').waitFor();
    await page.getByTestId('timeline').getByText('2 empreintes d’images et 1 lien').waitFor();
    await page.getByTestId('timeline').getByText('2 nouvelles mises en ligne ont été bloquées sur PlateformePartenaireAuNomParticulièrementLongEtSansEspace.').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(await page.getByTestId('withdrawal').count()).toBe(0);
    await page.getByText('Bonjour, nous avons bien reçu votre signalement.').waitFor();
    expect(await page.getByText(/^Cette image est trop uniforme pour être reconnue/).count()).toBe(1);

    // The session expired while the person was writing: back to the PIN, reference filled in, draft kept.
    answers.message = 'expired';
    await page.getByLabel('Écrire à l’équipe').fill('Une autre copie est apparue.');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Votre suivi s’est fermé. Saisissez de nouveau votre référence et votre code PIN.').waitFor();
    await page.getByText(/^Le message que vous écriviez est gardé/).waitFor();
    expect(await page.getByLabel('Référence du dossier').inputValue()).toBe(CREATED.reference);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('page-title');
    await logIn();
    expect(await page.getByLabel('Écrire à l’équipe').inputValue()).toBe('Une autre copie est apparue.');

    // No connection: said where it happened, the case stays on screen.
    await page.getByRole('button', { name: 'Télécharger mes données' }).click();
    await page.getByText('La connexion a échoué. Vérifiez votre connexion internet, puis réessayez.').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();

    // Withdrawn meanwhile (from another device): said, and the case shows as withdrawn, with nothing to add.
    answers.message = 'withdrawn';
    answers.view = { ...view, status: 'withdrawn', withdrawal: { appliedBy: 1, partners: 3 } };
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('Retiré. Vos données personnelles ont été effacées. Rien ne peut plus être ajouté.');
    // … and how far the partner platforms have applied the withdrawal, in plain words
    await page.getByRole('heading', { level: 2, name: 'Le retrait auprès des plateformes partenaires' }).waitFor();
    expect(await page.getByTestId('withdrawal-progress').textContent()).toBe('Retrait appliqué par 1 plateforme partenaire sur 3.');
    await page.getByTestId('withdrawal').getByText(/^Ce nombre augmente à mesure que les plateformes confirment/).waitFor();
    expect(await page.getByRole('button', { name: 'Envoyer le message' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retirer mon signalement' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each(['fr', 'en'] as const)('has no serious or critical axe violation on any public page (%s)', async (language) => {
    const { context, page, errors } = await openPage({ bypassCSP: true });
    await page.goto(`${origin}/#/`);
    if (language === 'en') await page.getByRole('button', { name: 'English' }).click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    const words =
      language === 'fr'
        ? { report: 'Signaler', followup: 'Suivre mon dossier', help: 'Trouver de l’aide', privacy: 'Confidentialité', next: 'Continuer', minor: 'Moins de 18 ans', show: 'Voir qui peut m’aider', open: 'Ouvrir mon dossier' }
        : { report: 'Report', followup: 'Follow my case', help: 'Get help', privacy: 'Privacy', next: 'Continue', minor: 'Under 18', show: 'Show who can help me', open: 'Open my case' };
    const menu = page.getByRole('navigation');
    const violations: Record<string, string[]> = {};

    violations['home'] = await seriousViolations(page);

    await menu.getByRole('link', { name: words.report }).click();
    violations['report'] = await seriousViolations(page);
    await page.getByRole('button', { name: words.next }).click();
    await page.locator('.field-error').first().waitFor();
    violations['report with a missing answer'] = await seriousViolations(page);

    await menu.getByRole('link', { name: words.followup }).click();
    await page.getByRole('button', { name: words.open }).click();
    await page.locator('.field-error').first().waitFor();
    violations['follow-up with errors'] = await seriousViolations(page);

    await menu.getByRole('link', { name: words.help, exact: true }).click();
    await page.getByRole('radio', { name: words.minor, exact: true }).check();
    await page.getByLabel(language === 'fr' ? 'Belgique' : 'Belgium').check();
    await page.getByLabel(language === 'fr' ? 'Oui, je suis en danger maintenant' : 'Yes, I am in danger now').check();
    await page.getByRole('button', { name: words.show }).click();
    await page.locator('.service').first().waitFor();
    violations['help with services'] = await seriousViolations(page);

    await menu.getByRole('link', { name: words.privacy }).click();
    violations['privacy'] = await seriousViolations(page);

    expect(violations).toEqual({
      home: [],
      report: [],
      'report with a missing answer': [],
      'follow-up with errors': [],
      'help with services': [],
      privacy: [],
    });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
    expect(errors).toEqual([]);
    await context.close();
  });
});
