import type { WorkflowRun } from '../../api/types.js';
import { renderWatchEndErrors } from '../render-end.js';
import { endOptions, type ReporterContext, type WatchReporter, writeLines } from './reporter.js';

/** --json: nothing while watching, then the final run (logs included) as one document on stdout. */
export function createJsonReporter(ctx: ReporterContext): WatchReporter {
  let runId = '';
  return {
    events: {},
    async start(id) {
      runId = id;
    },
    finish(result, exitCode) {
      if (result.run) ctx.io.stdout.write(`${JSON.stringify(result.run, null, 2)}\n`);
      writeLines(ctx.io.stderr, renderWatchEndErrors(result, endOptions(ctx, runId), ctx.errPalette, ctx.clock.now(), exitCode));
    },
    dispose() {},
  };
}

function withoutLogs(run: WorkflowRun): Omit<WorkflowRun, 'logs'> {
  const { logs: _logs, ...rest } = run;
  return rest;
}

/** --output ndjson: a `run` event per status change, a `log` event per new step, a last `result`. */
export function createNdjsonReporter(ctx: ReporterContext): WatchReporter {
  const emit = (event: object) => void ctx.io.stdout.write(`${JSON.stringify(event)}\n`);
  let runId = '';
  return {
    events: {
      // Run events leave the logs out (they come as log events) to keep lines small.
      onRun: (run) => emit({ type: 'run', run: withoutLogs(run) }),
      onLog: (log) => emit({ type: 'log', log }),
    },
    async start(id) {
      runId = id;
    },
    finish(result, exitCode) {
      emit({ type: 'result', run: result.run ?? null, exit_code: exitCode });
      writeLines(ctx.io.stderr, renderWatchEndErrors(result, endOptions(ctx, runId), ctx.errPalette, ctx.clock.now(), exitCode));
    },
    dispose() {},
  };
}

/** --quiet: nothing but what explains a non-zero exit, on stderr. */
export function createQuietReporter(ctx: ReporterContext): WatchReporter {
  let runId = '';
  return {
    events: {},
    async start(id) {
      runId = id;
    },
    finish(result, exitCode) {
      writeLines(ctx.io.stderr, renderWatchEndErrors(result, endOptions(ctx, runId), ctx.errPalette, ctx.clock.now(), exitCode));
    },
    dispose() {},
  };
}
