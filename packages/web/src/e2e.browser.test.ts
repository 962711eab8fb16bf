// End to end, with nothing in between: the built web app served by the real server (`halte serve`, the
// built command, on a fresh embedded database), driven in headless Chromium at phone size (390×844).
// A report with 3 pictures, 1 video and 2 links, the video hashed in the page's worker; no request
// carries picture or video content or leaves the origin; the follow-up with the reference and PIN read
// from the screen (the case, a message, another video and a link added, the export, the withdrawal);
// then, the server stopped, the database itself shows what the withdrawal left.
//
// Needs `npm run build` first (`npm test` does it): packages/web/dist and packages/server/dist.
// Chromium: packages/pdq/test/chromium.ts (skipped visibly when missing, fails under CI=true).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { hammingDistance } from '@halte/pdq';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chromiumUnavailable, launchChromium } from '../../pdq/test/chromium';
import { startServer, stopServer, type Server } from '../test/server';
import { openDatabase } from '../../server/src/db/database';
import { QUICK_EXIT_URL } from './components/quick-exit';

const skip = chromiumUnavailable();

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WEB_DIST_INDEX = join(REPO, 'packages/web/dist/index.html');
const SERVER_DIST_BIN = join(REPO, 'packages/server/dist/bin/halte.js');
const FIXTURES = join(REPO, 'packages/pdq/test/fixtures');
const IMAGE_FILES = ['bridge-mods/aaa-orig.jpg', 'reg-test-input/labelme-subset/q0746.jpg', 'misc-images/wee.jpg'];
const IMAGES = IMAGE_FILES.map((file) => readFileSync(join(FIXTURES, file)));
const VIDEO_FIXTURES = join(REPO, 'packages/web/test/fixtures');
/** The video of the report (H.264 in MP4, 30 fps) and the one added at the follow-up (VP9 in WebM, 25 fps). */
const VIDEO_FILES = ['pattern-sd-grey-bar.mp4', 'testsrc2-vp9.webm'];
const VIDEOS = VIDEO_FILES.map((file) => readFileSync(join(VIDEO_FIXTURES, file)));
/** The C++ reference's hashes of the report's video, every frame (test/fixtures/README.txt). */
const VIDEO_REFERENCE = new Map(
  readFileSync(join(VIDEO_FIXTURES, 'pattern-sd-grey-bar.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(','))
    .map(([frame, , pdq]) => [Number(frame), pdq as string]),
);
const VIEWPORT = { width: 390, height: 844 };
/** ffmpeg makes a long video at test time (the cancel test); missing, that test is skipped, except under CI=true. */
const FFMPEG = process.env['HALTE_FFMPEG_PATH'] ?? '/usr/bin/ffmpeg';
const noFfmpeg = existsSync(FFMPEG) ? null : `ffmpeg not found at ${FFMPEG} (apt-get install ffmpeg, or set HALTE_FFMPEG_PATH)`;
if (noFfmpeg !== null) {
  if (process.env['CI'] === 'true') throw new Error(`${noFfmpeg}: required under CI=true`);
  console.warn(`SKIPPED the video cancel test: ${noFfmpeg}`);
}
const MAX_REQUEST_BODY = 64 * 1024;
const NEUTRAL_PAGE = '<!doctype html><meta charset="utf-8"><title>Météo</title><p>Météo</p>';

/** The C++ reference's PDQ hash of each fixture (expected-cpp-reference.csv). */
const REFERENCE_PDQ = new Map(
  readFileSync(join(FIXTURES, 'expected-cpp-reference.csv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(','))
    .map(([hash, , file]) => [file as string, hash as string]),
);
const EXPECTED_PDQ = IMAGE_FILES.map((file) => REFERENCE_PDQ.get(file));

// What the person enters (the export must give it back; the withdrawal must erase it).
const SUMMARY = 'Il menace de montrer les photos si je ne paie pas.';
const EMAIL = 'personne.e2e@example.org';
const POSTAL_CODE = '75011';
const LINKS = ['https://example.com/photos/123', 'https://www.example.org/u/someone'];
const ADDED_LINK = 'https://example.net/copie/456';
const MESSAGE = 'Bonjour, une autre copie est apparue hier soir.';

// --- "no picture or video bytes in any request" ----------------------------------------------

const WINDOW = 32;
const OFFSETS = 8;

/**
 * What betrays file content in a body: a 32-byte window of each file, taken at 8 evenly spaced
 * offsets, raw, or in base64 at any alignment (each window's 30 bytes from a 3-byte boundary of its
 * own, at the 3 possible shifts, encode to the same 40 characters wherever the encoding starts).
 */
const SIGNATURES = [...IMAGE_FILES, ...VIDEO_FILES].flatMap((name, index) => {
  const file = [...IMAGES, ...VIDEOS][index] as Buffer;
  return Array.from({ length: OFFSETS }, (_, i) => {
    const offset = Math.floor((i * (file.length - WINDOW)) / (OFFSETS - 1));
    const window = file.subarray(offset, offset + WINDOW);
    const base64 = [0, 1, 2].map((shift) => window.subarray(shift, shift + 30).toString('base64'));
    return { what: `${name} at ${offset}`, raw: window, base64: [...base64, ...base64.map((b) => b.replace(/\+/g, '-').replace(/\//g, '_'))] };
  });
});

function contentLeaks(body: Buffer): string[] {
  const found: string[] = [];
  if (body.length > MAX_REQUEST_BODY) found.push(`body of ${body.length} bytes`);
  const text = body.toString('latin1');
  for (const signature of SIGNATURES) {
    if (body.includes(signature.raw)) found.push(`bytes of ${signature.what}`);
    if (signature.base64.some((encoded) => text.includes(encoded))) found.push(`base64 of ${signature.what}`);
  }
  return found;
}

// --- accessibility: axe-core, evaluated through the DevTools protocol (the app's CSP refuses inline scripts)

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };
    const axe = (globalThis as unknown as { axe: { run: (context: Document) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
}

// ------------------------------------------------------------------------------------------------

describe.skipIf(skip !== null)('Halte end to end: the built app on the real server, in Chromium (390×844)', () => {
  let dataDir: string;
  let server: Server | undefined;
  let origin: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(WEB_DIST_INDEX)) throw new Error(`the web app is not built (${WEB_DIST_INDEX} is missing): run "npm run build" first`);
    if (!existsSync(SERVER_DIST_BIN)) throw new Error(`the server is not built (${SERVER_DIST_BIN} is missing): run "npm run build" first`);
    dataDir = mkdtempSync(join(tmpdir(), 'halte-e2e-'));
    server = await startServer(dataDir);
    origin = server.origin;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function openPage() {
    if (browser === undefined) throw new Error('no browser');
    const context = await browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    const page = await context.newPage();
    const requests: { url: string; method: string; body: Buffer }[] = [];
    page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), body: request.postDataBuffer() ?? Buffer.alloc(0) }));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    return { context, page, requests, errors };
  }

  async function logIn(page: Page, reference: string, pin: string): Promise<void> {
    await page.getByLabel('Référence du dossier').fill(reference);
    await page.getByLabel('Code PIN', { exact: true }).fill(pin);
    await page.getByRole('button', { name: 'Ouvrir mon dossier' }).click();
    await page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();
  }

  it('detects picture or video content in a request body (the check below can fail)', () => {
    const image = IMAGES[1] as Buffer;
    const middle = Math.floor((3 * (image.length - WINDOW)) / (OFFSETS - 1));
    expect(contentLeaks(Buffer.from(JSON.stringify({ pdq: 'a'.repeat(64) })))).toEqual([]);
    expect(contentLeaks(image.subarray(middle - 10, middle + 50))).not.toEqual([]);
    for (const shift of [0, 1, 2]) {
      const encoded = Buffer.from(`{"x":"${image.subarray(middle - 40 - shift, middle + 60).toString('base64')}"}`);
      expect(contentLeaks(encoded).some((leak) => leak.startsWith('base64 of')), `shift ${shift}`).toBe(true);
    }
    expect(contentLeaks(Buffer.alloc(MAX_REQUEST_BODY + 1))).toEqual([`body of ${MAX_REQUEST_BODY + 1} bytes`]);
    const video = VIDEOS[0] as Buffer;
    expect(contentLeaks(video.subarray(video.length - 100)).some((leak) => leak.startsWith(`bytes of ${VIDEO_FILES[0]}`))).toBe(true);
  });

  it('ends the follow-up session on the server at quick exit', async () => {
    // A case made directly through the API: this test is about the session, not the report.
    const created = await fetch(`${origin}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ situations: ['sextortion'], ageGroup: 'adult', madeWhenMinor: false, country: 'BE', immediateDanger: false, items: [], consents: { shareWithPartners: false, contactMe: false } }),
    });
    expect(created.status).toBe(201);
    const { reference, pin } = (await created.json()) as { reference: string; pin: string };

    const { context, page } = await openPage();
    await context.route(`${new URL(QUICK_EXIT_URL).origin}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: NEUTRAL_PAGE }));
    await page.goto(`${origin}/#/follow-up`);
    await logIn(page, reference, pin);
    expect((await context.request.get(`${origin}/api/followup`)).status()).toBe(200);

    await page.getByRole('button', { name: 'Quitter rapidement' }).click();
    await page.waitForURL(QUICK_EXIT_URL);
    // The keepalive DELETE ended the session: the cookie the browser may still hold opens nothing.
    await expect.poll(async () => (await context.request.get(`${origin}/api/followup`)).status()).toBe(401);
    await context.close();
  });

  it.skipIf(noFfmpeg !== null)('shows a long video’s progress while it is hashed, and stops it on cancel (follow-up, axe while hashing)', async () => {
    // A case made through the API; a 2-minute video made here (1 s to make, some seconds to hash).
    const created = await fetch(`${origin}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ situations: ['ncii_diffusion'], ageGroup: 'adult', madeWhenMinor: false, country: 'FR', immediateDanger: false, items: [], consents: { shareWithPartners: false, contactMe: false } }),
    });
    expect(created.status).toBe(201);
    const { reference, pin } = (await created.json()) as { reference: string; pin: string };
    const scratch = mkdtempSync(join(tmpdir(), 'halte-e2e-video-'));
    try {
      const long = join(scratch, 'long.mp4');
      execFileSync(FFMPEG, ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=120', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '30', '-pix_fmt', 'yuv420p', long]);
      const { context, page, requests, errors } = await openPage();
      await page.goto(`${origin}/#/follow-up`);
      await logIn(page, reference, pin);
      await page.locator('input[type=file]').setInputFiles(long);
      const cancel = page.getByRole('button', { name: 'Arrêter le calcul long.mp4' });
      await cancel.waitFor();
      await page.getByRole('progressbar', { name: 'Avancement du calcul pour long.mp4' }).waitFor();
      await page.getByText(/^Calcul de l’empreinte\s:\s\d+\s%$/).waitFor();
      const hashing = await seriousViolations(page);
      await cancel.click();
      await page.getByText('Calcul arrêté. Cette vidéo ne sera pas envoyée.').waitFor();
      // The same button, now "Remove", keeps the focus.
      const remove = page.getByRole('button', { name: 'Retirer long.mp4' });
      expect(await remove.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await page.getByText('Empreintes calculées : 1 sur 1').count()).toBe(1);
      const stopped = await seriousViolations(page);
      await remove.click();
      expect(await page.getByText('long.mp4').count()).toBe(0);
      // Nothing to send: said, and nothing sent.
      await page.getByRole('button', { name: 'Ajouter à mon dossier' }).click();
      await page.getByText('Choisissez une image ou une vidéo, ou ajoutez un lien d’abord.').waitFor();
      expect(requests.filter((request) => new URL(request.url).pathname === '/api/followup/items')).toEqual([]);
      expect({ hashing, stopped }).toEqual({ hashing: [], stopped: [] });
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('reports 3 pictures, a video and 2 links, follows the case with the reference and PIN, exports it, withdraws it; the database keeps only tombstones', { timeout: 180_000 }, async () => {
    const { context, page, requests, errors } = await openPage();
    const violations: Record<string, string[]> = {};
    await page.goto(`${origin}/#/report`);
    const next = page.getByRole('button', { name: 'Continuer' });

    // --- the report -------------------------------------------------------------------------------
    await page.getByLabel(/Quelqu’un me fait du chantage/).check();
    await page.getByLabel(/Des images intimes de moi ont été partagées/).check();
    await next.click();
    await page.getByRole('heading', { level: 2, name: 'Âge' }).waitFor();
    await page.getByLabel('18 ans ou plus').check();
    await page.getByLabel('Non, ou il n’y a pas d’images').check();
    await next.click();
    await page.getByRole('heading', { level: 2, name: 'Pays' }).waitFor();
    await page.getByLabel('France').check();
    await page.getByLabel(/Code postal/).fill(POSTAL_CODE);
    await next.click();
    await page.getByRole('heading', { level: 2, name: 'Sécurité' }).waitFor();
    await page.getByLabel('Non', { exact: true }).check();
    await next.click();

    await page.getByRole('heading', { level: 2, name: 'Images' }).waitFor();
    await page.locator('input[type=file]').setInputFiles([...IMAGE_FILES.map((file) => join(FIXTURES, file)), join(VIDEO_FIXTURES, VIDEO_FILES[0] as string)]);
    await page.getByText('Empreintes calculées : 4 sur 4').waitFor({ timeout: 60_000 });
    expect(await page.getByText('Empreinte prête').count()).toBe(4);
    expect(await page.locator('img.thumb').count()).toBe(3); // no thumbnail of the video
    violations['report: pictures and a video'] = await seriousViolations(page);
    await next.click();

    await page.getByRole('heading', { level: 2, name: 'Liens' }).waitFor();
    const address = page.getByLabel('Adresse de la page');
    for (const link of LINKS) {
      await address.fill(link);
      await address.press('Enter');
    }
    await page.getByText('Liens dans la liste : 2.').waitFor();
    await next.click();

    await page.getByRole('heading', { level: 2, name: 'Votre message et votre accord' }).waitFor();
    await page.getByLabel(/que s’est-il passé/).fill(SUMMARY);
    await page.getByLabel(/empreintes de mes images soient transmises/).check();
    await page.getByLabel(/J’accepte que l’équipe de Halte me contacte/).check();
    await page.getByLabel('Adresse e-mail').fill(EMAIL);
    await next.click();

    await page.getByRole('heading', { level: 2, name: 'Vérifier et envoyer' }).waitFor();
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Votre signalement est envoyé' }).waitFor();
    const reference = (await page.getByTestId('reference').textContent()) ?? '';
    const pin = (await page.getByTestId('pin').textContent()) ?? '';
    expect(reference).toMatch(/^HLT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(pin).toMatch(/^\d{8}$/);
    await page.getByRole('button', { name: 'J’ai noté mon PIN : terminer' }).click();

    // --- the follow-up: reference and PIN as read on the screen --------------------------------
    await page.getByRole('navigation').getByRole('link', { name: 'Suivre mon dossier' }).click();
    await logIn(page, reference, pin);
    expect(await page.getByTestId('case-reference').textContent()).toBe(reference);
    expect(await page.getByTestId('case-status').textContent()).toBe('Reçu. L’équipe de Halte va le lire.');
    const items = page.getByTestId('case-items').locator('li');
    expect(await items.count()).toBe(6);
    const itemTexts = await items.allTextContents();
    expect(itemTexts.filter((text) => text.startsWith('Empreinte numérique de l’image n°'))).toHaveLength(3);
    expect(itemTexts.filter((text) => text.startsWith('Empreinte numérique de la vidéo n° 1'))).toHaveLength(1);
    for (const link of LINKS) expect(itemTexts.filter((text) => text.includes(link))).toHaveLength(1);
    // Links are shown, never offered as links to open.
    expect(await page.getByTestId('case-items').locator('a').count()).toBe(0);
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('Votre signalement est reçu.').waitFor();
    await timeline.getByText('3 empreintes d’images, 1 empreinte de vidéo et 2 liens').waitFor();
    violations['case'] = await seriousViolations(page);
    // The same case in English, then back to French.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 2, name: 'Your case' }).waitFor();
    await timeline.getByText('Your report was received.').waitFor();
    await timeline.getByText('3 picture fingerprints, 1 video fingerprint and 2 links').waitFor();
    expect(await page.getByTestId('case-status').textContent()).toBe('Received. The Halte team will read it.');
    violations['case (en)'] = await seriousViolations(page);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('heading', { level: 2, name: 'Votre dossier' }).waitFor();

    // A message to the team.
    await page.getByLabel('Écrire à l’équipe').fill(MESSAGE);
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Message envoyé. L’équipe le lira.').waitFor();
    await page.getByTestId('messages').getByText(MESSAGE).waitFor();
    await timeline.getByText('Vous avez écrit à l’équipe.').waitFor();
    expect(await page.getByLabel('Écrire à l’équipe').inputValue()).toBe('');

    // Another video (VP9 in WebM), hashed in the page, and one more link, added to the case (the link
    // already in the case is refused before sending).
    await page.locator('input[type=file]').setInputFiles(join(VIDEO_FIXTURES, VIDEO_FILES[1] as string));
    await page.getByText('Empreintes calculées : 1 sur 1').waitFor({ timeout: 60_000 });
    const addLink = page.getByRole('textbox', { name: 'Adresse de la page' });
    await addLink.fill(LINKS[0] as string);
    await addLink.press('Enter');
    await page.getByText('Ce lien est déjà dans votre dossier.').waitFor();
    await addLink.fill(ADDED_LINK);
    await addLink.press('Enter');
    await page.getByRole('button', { name: 'Ajouter à mon dossier' }).click();
    await page.getByText('Ajouté à votre dossier : 1 empreinte de vidéo et 1 lien.').waitFor();
    await expect.poll(() => items.count()).toBe(8);
    expect(await page.getByText('Empreinte numérique de la vidéo n° 2').count()).toBe(1);
    await timeline.getByText('Vous avez ajouté des éléments à votre dossier.').waitFor();

    // The export: a file saved from a Blob, with what was entered and the fingerprints.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger mes données' }).click()]);
    expect(download.suggestedFilename()).toBe(`${reference}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      reference: string;
      summary: string | null;
      contact: { email?: string } | null;
      postalCode: string | null;
      fingerprints: { kind: string; pdq: string | null; sha256: string; vpdq: { frame: number }[] | null }[];
      messages: { author: string; body: string }[];
      items: { kind: string; url: string | null }[];
    };
    expect(exported.reference).toBe(reference);
    expect(exported.summary).toBe(SUMMARY);
    expect(exported.contact).toEqual({ email: EMAIL });
    expect(exported.postalCode).toBe(POSTAL_CODE);
    expect(exported.fingerprints.filter((f) => f.kind === 'image').map((f) => f.pdq)).toEqual(EXPECTED_PDQ);
    expect(exported.fingerprints.filter((f) => f.kind === 'video').map((f) => [f.sha256, f.vpdq?.map((frame) => frame.frame)])).toEqual([
      [createHash('sha256').update(VIDEOS[0] as Buffer).digest('hex'), [0, 30, 60, 90, 120, 150, 180]],
      [createHash('sha256').update(VIDEOS[1] as Buffer).digest('hex'), [0, 25, 50]],
    ]);
    expect(exported.messages).toMatchObject([{ author: 'person', body: MESSAGE }]);
    expect(exported.items.filter((item) => item.kind === 'url').map((item) => item.url)).toEqual([...LINKS, ADDED_LINK]);
    await page.getByText('Le fichier est enregistré sur votre appareil.').waitFor();

    // The withdrawal: a confirmation that says what happens, by keyboard; then the withdrawn state.
    await page.getByRole('button', { name: 'Retirer mon signalement' }).click();
    const confirmTitle = page.getByRole('heading', { level: 3, name: 'Retirer votre signalement ?' });
    await confirmTitle.waitFor();
    expect(await confirmTitle.evaluate((element) => element === document.activeElement)).toBe(true);
    const confirm = page.locator('#withdraw-confirm');
    await confirm.getByText(/^Effacé tout de suite\s:\svotre message, vos coordonnées, votre code postal, les liens/).waitFor();
    await confirm.getByText(/^Gardé\s:\sles empreintes numériques de vos images et vidéos, seulement pour que les plateformes partenaires les effacent/).waitFor();
    await confirm.getByText(/ne peut pas être annulé/).waitFor();
    violations['withdrawal confirmation'] = await seriousViolations(page);
    // "No" first: nothing happens, focus returns to the button.
    await page.getByRole('button', { name: 'Non, garder mon dossier' }).click();
    expect(await page.getByRole('button', { name: 'Retirer mon signalement' }).evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Oui, retirer mon signalement' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Votre signalement est retiré' }).waitFor();
    await page.getByText(/^Vos données personnelles sont effacées/).waitFor();
    violations['withdrawn'] = await seriousViolations(page);
    expect(violations).toEqual({ 'report: pictures and a video': [], case: [], 'case (en)': [], 'withdrawal confirmation': [], withdrawn: [] });
    // The server ended the session and cleared the cookie.
    expect((await context.cookies()).filter((cookie) => cookie.name === 'halte_followup')).toEqual([]);
    expect((await context.request.get(`${origin}/api/followup`)).status()).toBe(401);

    // Logging in again shows the withdrawn case: nothing can be added, links erased, fingerprints as withdrawals.
    await page.getByRole('navigation').getByRole('link', { name: 'Accueil' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Suivre mon dossier' }).click();
    await logIn(page, reference, pin);
    expect(await page.getByTestId('case-status').textContent()).toBe('Retiré. Vos données personnelles ont été effacées. Rien ne peut plus être ajouté.');
    expect(await page.getByRole('button', { name: 'Envoyer le message' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ajouter à mon dossier' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Retirer mon signalement' }).count()).toBe(0);
    expect(await page.getByText('Lien effacé.').count()).toBe(3);
    expect(await page.getByText(/^Retirée\s:\sgardée seulement pour que les plateformes partenaires l’effacent/).count()).toBe(5);
    expect(await page.getByText(MESSAGE).count()).toBe(0);
    await page.getByTestId('timeline').getByText(/^Vous avez retiré votre signalement/).waitFor();
    await page.getByRole('button', { name: 'Fermer le suivi' }).click();
    await page.getByText(/^Le suivi est fermé/).waitFor();
    expect((await context.request.get(`${origin}/api/followup`)).status()).toBe(401);

    // --- every request the page made ------------------------------------------------------------
    const sent = (path: string) => requests.some((request) => new URL(request.url).pathname === path && request.method !== 'GET');
    expect(['/api/reports', '/api/followup/session', '/api/followup/messages', '/api/followup/items', '/api/followup/withdraw'].filter((path) => !sent(path))).toEqual([]);
    expect(requests.some((request) => request.url.endsWith('/api/followup/export'))).toBe(true);
    for (const request of requests) {
      expect(contentLeaks(request.body), `${request.method} ${request.url}`).toEqual([]);
      if (request.url.startsWith('data:')) continue;
      const url = request.url.startsWith('blob:') ? request.url.slice('blob:'.length) : request.url;
      expect(new URL(url).origin, `${request.method} ${request.url}`).toBe(origin);
    }
    expect(errors).toEqual([]);
    await context.close();

    // --- the database itself, the server stopped (one process per embedded data directory) ------
    expect(await stopServer(server)).toBe(0);
    expect(server?.output()).toContain('stopping (SIGTERM)');
    const database = await openDatabase({ kind: 'pglite', dataDir }, 'e2e test');
    try {
      const row = await database.db.selectFrom('case').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();
      expect(row.status).toBe('withdrawn');
      expect(row.withdrawn_at).not.toBeNull();
      expect(row.summary_enc).toBeNull();
      expect(row.contact_enc).toBeNull();
      expect(row.postal_code).toBeNull();
      const messages = await database.db.selectFrom('message').select('id').where('case_id', '=', row.id).execute();
      expect(messages).toEqual([]);
      const sessions = await database.db.selectFrom('followup_session').select('case_id').where('case_id', '=', row.id).execute();
      expect(sessions).toEqual([]);
      const caseItems = await database.db.selectFrom('case_item').selectAll().where('case_id', '=', row.id).orderBy('id').execute();
      expect(caseItems).toHaveLength(8);
      for (const item of caseItems) {
        expect(item.url, `item ${item.id}`).toBeNull();
        expect(item.withdrawn_at, `item ${item.id}`).not.toBeNull();
      }
      // The tombstones: enough for partners to delete the fingerprints.
      expect(caseItems.filter((item) => item.kind === 'image').map((item) => item.pdq)).toEqual(EXPECTED_PDQ);
      // The videos: their digests and frames as hashed in the page, one frame a second; the report's
      // within the reference's tolerance of the C++ reference's hashes of the same frames.
      const videoItems = caseItems.filter((item) => item.kind === 'video');
      expect(videoItems.map((item) => [item.md5, item.sha256])).toEqual(
        VIDEOS.map((video) => [createHash('md5').update(video).digest('hex'), createHash('sha256').update(video).digest('hex')]),
      );
      const frames = videoItems.map((item) => item.vpdq as { frame: number; timestamp: number; pdq: string; quality: number }[]);
      expect(frames.map((list) => list.map((f) => [f.frame, f.timestamp]))).toEqual([
        [0, 30, 60, 90, 120, 150, 180].map((frame) => [frame, frame / 30]),
        [0, 25, 50].map((frame) => [frame, frame / 25]),
      ]);
      for (const f of frames[0] ?? []) expect(hammingDistance(f.pdq, VIDEO_REFERENCE.get(f.frame) as string), `frame ${f.frame}`).toBeLessThan(31);
      // The timeline keeps its events: kinds and counts, nothing the person wrote.
      expect(await database.db.selectFrom('event').select('kind').where('case_id', '=', row.id).orderBy('id').execute()).toEqual([
        { kind: 'report_received' },
        { kind: 'message_from_person' },
        { kind: 'items_added' },
        { kind: 'withdrawn' },
      ]);
    } finally {
      await database.close();
    }
  });
});
