#!/usr/bin/env node
// The `halte` command of the repository root (npx halte …): runs the built CLI of @halte/server.
import { existsSync } from 'node:fs';

const entry = new URL('../packages/server/dist/bin/halte.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('halte: the project is not built yet; run "npm run build" first\n');
  process.exit(1);
}
await import(entry.href);
