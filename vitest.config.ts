import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources in tests (see each package's "source" export).
    conditions: ['source'],
  },
  // … in the Node environment too (server tests): without this, they ran against the packages' last build.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores here: run files side by side, but do not oversubscribe.
    maxWorkers: 2,
    reporters: ['default', './test/unhandled-reporter.ts'],
  },
});
