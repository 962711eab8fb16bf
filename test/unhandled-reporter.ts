// Repeats, after vitest's summary, the errors no test caught (an unhandled rejection, an 'error'
// event with no listener): CI logs are often read from the end, and these fail the run.
import type { Reporter, TestModule } from 'vitest/node';

type RunEnd = NonNullable<Reporter['onTestRunEnd']>;

export default class UnhandledErrorsReporter implements Reporter {
  onTestRunEnd: RunEnd = (_modules: readonly TestModule[], errors) => {
    if (errors.length === 0) return;
    const lines = errors.map((raw, i) => {
      const e = raw as { name?: string; message?: string; code?: string; stack?: string; VITEST_TEST_PATH?: string };
      const where = (e.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()).join(' | ');
      return `  ${i + 1}. ${e.name ?? 'Error'}${e.code ? ` [${e.code}]` : ''}: ${e.message ?? String(raw)}${e.VITEST_TEST_PATH ? ` (while ${e.VITEST_TEST_PATH} ran)` : ''}\n     ${where}`;
    });
    process.stdout.write(`\nUnhandled errors (${errors.length}), repeated:\n${lines.join('\n')}\n`);
  };
}
