// The authenticator's secret as a QR code: uqr encodes the otpauth:// URI into a matrix of modules,
// drawn here as SVG rectangles (React elements: no innerHTML, nothing the CSP would refuse). Each run of
// dark modules on a row is one rectangle, so a version-6 code is a few hundred elements, not thousands.
import { encode } from 'uqr';

export interface Run {
  readonly x: number;
  readonly y: number;
  readonly width: number;
}

/** The horizontal runs of dark modules of `matrix` (rows of booleans, true = dark). */
export function darkRuns(matrix: readonly (readonly boolean[])[]): Run[] {
  const runs: Run[] = [];
  matrix.forEach((row, y) => {
    let start = -1;
    for (let x = 0; x <= row.length; x += 1) {
      const dark = x < row.length && row[x] === true;
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        runs.push({ x: start, y, width: x - start });
        start = -1;
      }
    }
  });
  return runs;
}

export interface QrDrawing {
  /** modules per side, quiet zone included */
  readonly size: number;
  readonly runs: readonly Run[];
}

/**
 * The drawing of `text` as a QR code: error correction M (a phone camera on a laptop screen), and the
 * standard's quiet zone of 4 modules, which scanners need to find the code.
 */
export function qrDrawing(text: string): QrDrawing {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  return { size, runs: darkRuns(data) };
}
