// Node side of the video harness: builds harness/index.html with Vite (the app's real video worker,
// @halte/pdq from its sources), serves it with the videos a test or the bench names, and drives it in
// headless Chromium (packages/pdq/test/chromium.ts).
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright-core';
import { build, defaultClientConditions } from 'vite';

import { launchChromium } from '../../../../pdq/test/chromium';
import type { HarnessRequest, HarnessResult } from './main';

export type { HarnessRequest, HarnessResult };

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mp4': 'video/mp4', '.webm': 'video/webm' };

export interface Harness {
  readonly page: Page;
  /** Hashes the video served as `name` in the real worker. */
  hash(name: string, request?: Omit<HarnessRequest, 'url'>): Promise<HarnessResult>;
  /** Hashes a file on this machine, picked in the page's file input as a person would (disk-backed). */
  hashFile(path: string, request?: Omit<HarnessRequest, 'url'>): Promise<HarnessResult>;
  close(): Promise<void>;
}

/** `videos`: name → a file path or the bytes themselves, served at /videos/<name>. */
export async function startHarness(videos: Readonly<Record<string, string | Uint8Array>>): Promise<Harness> {
  const out = mkdtempSync(join(tmpdir(), 'halte-video-harness-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    await build({
      configFile: false,
      root: fileURLToPath(new URL('.', import.meta.url)),
      logLevel: 'silent',
      resolve: { conditions: ['source', ...defaultClientConditions] },
      worker: { format: 'es' },
      build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: true },
    });
    const listening = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (path.startsWith('/videos/')) {
        const video = videos[path.slice('/videos/'.length)];
        if (video === undefined) return void res.writeHead(404).end();
        const type = TYPES[extname(path)] ?? 'application/octet-stream';
        if (typeof video !== 'string') return void res.writeHead(200, { 'content-type': type }).end(video);
        res.writeHead(200, { 'content-type': type });
        return void createReadStream(video).pipe(res);
      }
      const file = join(out, path === '/' ? 'index.html' : path);
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const address = listening.address();
    // 127.0.0.1 is a secure context: WebCodecs is exposed there (not on about:blank).
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (globalThis as unknown as { harnessReady?: boolean }).harnessReady === true);
    const opened = browser;
    return {
      page,
      hash: (name, request = {}) =>
        page.evaluate(
          (r) => (globalThis as unknown as { hashVideo: (r: HarnessRequest) => Promise<HarnessResult> }).hashVideo(r),
          { ...request, url: `/videos/${name}`, name } satisfies HarnessRequest,
        ),
      hashFile: async (path, request = {}) => {
        await page.locator('#pick').setInputFiles(path);
        return page.evaluate((r) => (globalThis as unknown as { hashVideo: (r: HarnessRequest) => Promise<HarnessResult> }).hashVideo(r), request);
      },
      close: async () => {
        await opened.close();
        await new Promise((resolve) => listening.close(resolve));
        rmSync(out, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    server?.close();
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
}
