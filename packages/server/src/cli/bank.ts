// SKELETON — to be written (issue 6): `halte bank export|import`.
import type { CliIo } from './io.js';

export async function runBank(_args: readonly string[], io: CliIo): Promise<number> {
  io.stderr.write('halte bank: not written yet\n');
  return 2;
}
