import type { CiDialect } from '../../ci/dialect.js';
import { ciRunsLines } from '../../ci/run-report.js';
import { recordOf, text } from '../format.js';
import { renderLog } from '../render-log.js';
import { createPlainReporter } from './plain.js';
import type { ReporterContext, WatchReporter } from './reporter.js';
import { writeLines } from './reporter.js';

/**
 * A CI log in a runner's own dialect (GitHub, GitLab, Buildkite, Azure). While the run goes: the
 * plain reporter's append-only lines, each step as one line (progress a person can follow). At the
 * end, once the outcome is known: the run's step logs and outputs in one collapsible group (GitLab
 * and Buildkite need the outcome when they print the header: a success collapsed, a failure open),
 * annotations (an error for a failed run, warnings for a step error under a completed run and for
 * an approval wait), then the plain summary outside the group. Server text passes the dialect's
 * `untrusted`, so no step output can issue a runner command.
 */
export function createCiReporter(ctx: ReporterContext, dialect: CiDialect): WatchReporter {
  const plain = createPlainReporter(ctx);
  let runId = '';
  return {
    events: {
      ...plain.events,
      onLog(log) {
        // One line a step while it runs; whole outputs come in the group at the end.
        writeLines(ctx.io.stdout, renderLog(log, ctx.palette, { width: ctx.width }));
      },
    },
    async start(id, initialRun) {
      runId = id;
      await plain.start(id, initialRun);
    },
    finish(result, exitCode) {
      const run = result.run ?? { id: runId };
      writeLines(ctx.io.stdout, ciRunsLines(dialect, [{ run, ending: result.outcome, verbose: ctx.watch.verbose }]));
      // Buildkite groups have no end: without a header of its own the summary would sit in the
      // (collapsed) group of the run. `+++` keeps it open.
      if (dialect.format === 'buildkite') writeLines(ctx.io.stdout, dialect.groupStart(`alto: run ${text(recordOf(run).id, runId, 200)}`, 'failure'));
      plain.finish(result, exitCode);
    },
    dispose: () => plain.dispose(),
  };
}
