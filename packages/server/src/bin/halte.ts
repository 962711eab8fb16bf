// Entry point of the `halte` command (see ../cli/main.ts).
import { main } from '../cli/main.js';

// The first SIGTERM/SIGINT asks for a clean stop; a second one, or a stop that takes over 15 s, ends
// the process at once.
const stopSignal = (): Promise<string> =>
  new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      stopping = true;
      setTimeout(() => process.exit(1), 15_000).unref();
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, stopSignal }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`halte: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70; // EX_SOFTWARE
  },
);
