// Headless Chromium for tests: Debian's package driven by playwright-core (never a downloaded browser).
// Where Chromium is missing the browser tests are skipped with a visible reason, except under CI=true,
// where a missing browser fails the run.
import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['HALTE_CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why browser tests cannot run here, or null when they can. Throws under CI=true. */
export function chromiumUnavailable(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set HALTE_CHROMIUM_PATH)`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}: required under CI=true`);
  console.warn(`SKIPPED browser tests: ${reason}`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}
