import type { WorkflowLog, WorkflowRun } from '../../api/types.js';
import type { WatchResult } from '../../watch/engine.js';
import { jsonText } from '../json-text.js';
import { renderWatchEndErrors } from '../render-end.js';
import { endOptions, type ReporterContext, type WatchReporter, writeLines } from './reporter.js';

/**
 * The part the machine-readable reporters share: stdout holds only results, so whatever
 * explains a non-zero exit (lost contact, timeout, waiting for a person) goes to stderr.
 */
function machineReporter(
  ctx: ReporterContext,
  events: WatchReporter['events'],
  writeResult: (result: WatchResult, exitCode: number) => void,
): WatchReporter {
  let runId = '';
  return {
    events,
    async start(id) {
      runId = id;
    },
    finish(result, exitCode) {
      writeResult(result, exitCode);
      writeLines(ctx.io.stderr, renderWatchEndErrors(result, endOptions(ctx, runId), ctx.errPalette, ctx.clock.now(), exitCode));
    },
    dispose() {},
  };
}

/** --json: nothing while watching, then the final run (logs included) as one document on stdout. */
export function createJsonReporter(ctx: ReporterContext): WatchReporter {
  return machineReporter(ctx, {}, (result) => {
    if (result.run) ctx.io.stdout.write(`${jsonText(result.run, { indent: 2 })}\n`);
  });
}

function withoutLogs(run: WorkflowRun): unknown {
  if (typeof run !== 'object' || run === null || Array.isArray(run)) return run;
  const { logs: _logs, ...rest } = run;
  return rest;
}

/** --output ndjson: a `run` event per status change, a `log` event per new step, a last `result`. */
export function createNdjsonReporter(ctx: ReporterContext): WatchReporter {
  // jsonText, not JSON.stringify: the same bytes, but a run nested 100,000 deep does not throw.
  const emit = (event: object) => void ctx.io.stdout.write(`${jsonText(event)}\n`);
  const events = {
    // Run events leave the logs out (they come as log events) to keep lines small.
    onRun: (run: WorkflowRun) => emit({ type: 'run', run: withoutLogs(run) }),
    onLog: (log: WorkflowLog) => emit({ type: 'log', log }),
  };
  return machineReporter(ctx, events, (result, exitCode) => emit({ type: 'result', run: result.run ?? null, exit_code: exitCode }));
}

/** --quiet: nothing but what explains a non-zero exit, on stderr. */
export function createQuietReporter(ctx: ReporterContext): WatchReporter {
  return machineReporter(ctx, {}, () => {});
}
