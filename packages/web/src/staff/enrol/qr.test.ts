import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';

import { darkRuns, qrDrawing } from './qr';

describe('darkRuns', () => {
  it('turns each run of dark modules on a row into one rectangle', () => {
    const matrix = [
      [true, true, false, true],
      [false, false, false, false],
      [false, true, true, true],
    ];
    expect(darkRuns(matrix)).toEqual([
      { x: 0, y: 0, width: 2 },
      { x: 3, y: 0, width: 1 },
      { x: 1, y: 2, width: 3 },
    ]);
    expect(darkRuns([])).toEqual([]);
  });
});

describe('qrDrawing', () => {
  const uri = 'otpauth://totp/Halte:analyst%40example.org?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Halte&algorithm=SHA1&digits=6&period=30';

  it('covers exactly the dark modules of the code, with a quiet zone of 4', () => {
    const drawing = qrDrawing(uri);
    const { data, size } = encode(uri, { ecc: 'M', border: 4 });
    expect(drawing.size).toBe(size);
    const painted = new Set<string>();
    for (const run of drawing.runs) for (let x = run.x; x < run.x + run.width; x += 1) painted.add(`${x},${run.y}`);
    const dark = data.flatMap((row, y) => row.flatMap((on, x) => (on ? [`${x},${y}`] : [])));
    expect([...painted].sort()).toEqual(dark.sort());
    // the quiet zone is light
    for (const run of drawing.runs) {
      expect(run.y).toBeGreaterThanOrEqual(4);
      expect(run.y).toBeLessThan(size - 4);
      expect(run.x).toBeGreaterThanOrEqual(4);
      expect(run.x + run.width).toBeLessThanOrEqual(size - 4);
    }
    expect(drawing.runs.length).toBeLessThan(dark.length);
  });
});
