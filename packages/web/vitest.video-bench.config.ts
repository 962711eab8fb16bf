// Only for the Chromium half of the video benchmark (packages/web/src/video/bench.run.ts).
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['packages/web/src/video/bench.run.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    reporters: ['dot'],
  },
});
