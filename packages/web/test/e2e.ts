// What the end-to-end browser tests share: the built app's paths, the two viewports, `halte <args>` on a
// test's embedded database, and a page whose script errors and dialogs are kept for the test to check.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Browser, BrowserContext, Page } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const WEB_DIST_INDEX = join(REPO, 'packages/web/dist/index.html');
export const SERVER_DIST_BIN = join(REPO, 'packages/server/dist/bin/halte.js');
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Fails with what to do when the web app or the server has not been built (`npm test` builds both). */
export function requireBuilt(): void {
  if (!existsSync(WEB_DIST_INDEX)) throw new Error(`the web app is not built (${WEB_DIST_INDEX} is missing): run "npm run build" first`);
  if (!existsSync(SERVER_DIST_BIN)) throw new Error(`the server is not built (${SERVER_DIST_BIN} is missing): run "npm run build" first`);
}

/** `halte <args>` on `dataDir`'s embedded database (the server must not be running: one process per embedded database). */
export function halteCommand(dataDir: string, env: Readonly<Record<string, string>>, args: readonly string[]): string {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, HALTE_DATA_DIR: dataDir, HALTE_LOG_LEVEL: 'silent' };
  delete childEnv['HALTE_DATABASE_URL'];
  return execFileSync(process.execPath, [join(REPO, 'bin/halte.js'), ...args], { env: childEnv, encoding: 'utf8' });
}

/** A page in a new context (kept in `contexts`, to close after the tests); dialogs are dismissed and recorded. */
export async function openPage(browser: Browser | undefined, viewport: { width: number; height: number }, contexts: BrowserContext[]): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  if (browser === undefined) throw new Error('no browser');
  const context = await browser.newContext({ viewport });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { page, errors, dialogs };
}
