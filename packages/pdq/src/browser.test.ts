import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chromiumUnavailable, launchChromium } from '../test/chromium.js';
import { decodePng, fixture, readCsv } from '../test/helpers.js';
import { hammingDistance, pdqDihedral, pdqHash } from './index.js';

// The package as it ships (dist, through its package.json exports), bundled by Vite, running in a
// dedicated Web Worker of headless Chromium.
const skip = chromiumUnavailable();
const reference = new Map(readCsv('expected-cpp-reference.csv').map(([hash, , file]) => [file as string, hash as string]));

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.png': 'image/png', '.jpg': 'image/jpeg' };

describe.skipIf(skip !== null)('@halte/pdq in a browser Web Worker', () => {
  let out: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'halte-pdq-web-'));
    await build({
      root: fileURLToPath(new URL('../test/browser/', import.meta.url)),
      logLevel: 'silent',
      build: { outDir: out, emptyOutDir: true, minify: true },
      worker: { format: 'es' },
    });
    const raw = decodePng(fixture('reg-test-input/pen-and-coaster.png')).data;
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      if (path === '/raw/pen-and-coaster.rgba') return void res.writeHead(200).end(raw);
      const file = path.startsWith('/fixtures/') ? fixture(path.slice('/fixtures/'.length)) : join(out, path === '/' ? 'index.html' : path);
      readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => (globalThis as unknown as { pdqReady?: boolean }).pdqReady === true);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('hashes pixels in the worker exactly as Node does, with no Node globals there', async () => {
    const png = decodePng(fixture('reg-test-input/pen-and-coaster.png'));
    const image = { data: png.data, width: png.width, height: png.height, channels: 4 as const };
    const result = await page.evaluate(
      async ({ width, height }) => {
        const data = new Uint8Array(await (await fetch('/raw/pen-and-coaster.rgba')).arrayBuffer());
        return (globalThis as unknown as { pdqInWorker: (r: object) => Promise<Record<string, unknown>> }).pdqInWorker({
          pixels: { data, width, height, channels: 4 },
        });
      },
      { width: png.width, height: png.height },
    );
    expect(result['error']).toBeUndefined();
    expect(result['hasProcess']).toBe(false);
    expect(result['hash']).toBe(pdqHash(image).hash);
    expect(result['hash']).toBe(reference.get('reg-test-input/pen-and-coaster.png'));
    expect(result['quality']).toBe(100);
    expect(result['rotate90']).toBe(pdqDihedral(image).hashes.rotate90);
  });

  it.each([
    ['reg-test-input/pen-and-coaster.png', 0],
    ['bridge-mods/aaa-orig.jpg', 10],
    ['reg-test-input/labelme-subset/q0746.jpg', 10],
  ])('decodes %s with the browser and lands within %i bits of the reference', async (file, bits) => {
    const result = await page.evaluate(
      async (url) => (globalThis as unknown as { pdqInWorker: (r: object) => Promise<Record<string, unknown>> }).pdqInWorker({ url }),
      `/fixtures/${file}`,
    );
    expect(result['error']).toBeUndefined();
    const distance = hammingDistance(result['hash'] as string, reference.get(file) as string);
    console.info(`browser decode of ${file}: ${distance} bits from the C++ reference`);
    expect(distance).toBeLessThanOrEqual(bits);
  });
});
