// The report items of the chosen files' fingerprints: each file once (the same bytes picked twice are
// one item), a picture as an `image` item, a video as a `video` item with its frames.
import type { ReportItem } from '@halte/contract';

import { isVideoHashes, type FileHashes } from './protocol';

export function fileItems(files: readonly FileHashes[]): ReportItem[] {
  const items: ReportItem[] = [];
  const seen = new Set<string>();
  for (const hashes of files) {
    if (seen.has(hashes.sha256)) continue;
    seen.add(hashes.sha256);
    if (isVideoHashes(hashes)) {
      items.push({ kind: 'video', md5: hashes.md5, sha256: hashes.sha256, vpdq: hashes.vpdq.map(({ frame, timestamp, pdq, quality }) => ({ frame, timestamp, pdq, quality })) });
    } else {
      items.push({ kind: 'image', pdq: hashes.pdq, quality: hashes.quality, md5: hashes.md5, sha256: hashes.sha256 });
    }
  }
  return items;
}
