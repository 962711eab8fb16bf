// Entry of the Chromium half of `npm run bench -w @halte/pdq -- video`: run by vitest (it loads the
// TypeScript sources through Vite) with vitest.video-bench.config.ts, never by `npm test`. Reads the
// videos from HALTE_VIDEO_BENCH_VIDEOS (JSON), writes the report to HALTE_VIDEO_BENCH_OUT.
import { writeFileSync } from 'node:fs';

import { it } from 'vitest';

import { benchVideoInChromium, type BenchVideo } from './bench';

it('measures video hashing in headless Chromium', async () => {
  const videos = JSON.parse(process.env['HALTE_VIDEO_BENCH_VIDEOS'] ?? '[]') as BenchVideo[];
  const report = await benchVideoInChromium(videos, (line) => process.stderr.write(`${line}\n`));
  writeFileSync(process.env['HALTE_VIDEO_BENCH_OUT'] ?? 'video-bench-chromium.json', JSON.stringify(report));
}, 3_600_000);
