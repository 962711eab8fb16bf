import { ReportItem } from '@halte/contract';
import { describe, expect, it } from 'vitest';

import { fileItems } from './items';

const image = { pdq: 'ab'.repeat(32), quality: 90, md5: '1'.repeat(32), sha256: '2'.repeat(64) };
const video = { md5: '3'.repeat(32), sha256: '4'.repeat(64), vpdq: [{ frame: 0, timestamp: 0, pdq: 'cd'.repeat(32), quality: 70 }] };

describe('fileItems', () => {
  it('makes an image item of a picture and a video item of a video, each file once, in order', () => {
    const items = fileItems([video, image, { ...image, md5: '5'.repeat(32) }, video]);
    expect(items).toEqual([
      { kind: 'video', ...video },
      { kind: 'image', ...image },
    ]);
    for (const item of items) expect(ReportItem.safeParse(item).success).toBe(true);
  });

  it('sends only the fields the contract knows, whatever else a frame carries', () => {
    const extra = { ...video, vpdq: [{ ...video.vpdq[0], extra: 1 } as (typeof video.vpdq)[number]] };
    const [item] = fileItems([extra]);
    expect(ReportItem.safeParse(item).success).toBe(true);
  });
});
