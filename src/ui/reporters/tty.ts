import type { WorkflowRun } from '../../api/types.js';
import { formatDuration } from '../../util/duration.js';
import { parseTime, recordOf, text } from '../format.js';
import { renderWatchEnd } from '../render-end.js';
import { renderApprovalWait } from '../render-approval.js';
import { renderLog } from '../render-log.js';
import { type Spinner, type SpinnerFactory, startOraSpinner } from '../spinner.js';
import { endOptions, type ReporterContext, type WatchReporter, writeLines } from './reporter.js';

/** How much older than the watch a run must be for the spinner to count from its started_at. */
const REATTACH_MS = 10_000;

/**
 * A person at a terminal: a spinner on stderr (run id, status, elapsed, last step) with the
 * step logs printed to stdout above it. Only for CommandContext.interactive. The spinner is
 * stopped (cursor shown again) by finish and by dispose, whichever comes first.
 */
export function createTtyReporter(ctx: ReporterContext, createSpinner: SpinnerFactory = startOraSpinner): WatchReporter {
  const { io, clock, palette, errPalette } = ctx;
  let spinner: Spinner | undefined;
  let runId = '';
  let status = '';
  let runStartedAt: number | undefined;
  let watchStart = clock.now();
  let lastStep = '';
  let retryNote = '';

  const line = () => `run ${errPalette.id(text(runId, '?', 200))} ${status}`;
  const suffix = () => {
    const now = clock.now();
    // Our own watch start, unless the run clearly began long before it (a re-attach): the
    // server's clock can be seconds off ours, which would make a fresh run's time jump.
    const since = runStartedAt !== undefined && runStartedAt < watchStart - REATTACH_MS ? runStartedAt : watchStart;
    const parts = [formatDuration(now - since)];
    if (lastStep) parts.push(`last step ${lastStep}`);
    if (retryNote) parts.push(errPalette.warning(retryNote));
    return errPalette.dim(parts.join(' · '));
  };
  const track = (run: WorkflowRun) => {
    const r = recordOf(run);
    status = text(r.status, '?', 100);
    runStartedAt = parseTime(r.started_at) ?? runStartedAt;
    spinner?.setText(line());
  };
  const stop = () => {
    const s = spinner;
    spinner = undefined;
    io.stdout.off('error', stop);
    io.stdout.off('close', stop);
    s?.stop();
  };

  return {
    events: {
      onRun(run, prev) {
        track(run);
        if (ctx.watch.waitApproval && run.status === 'awaiting_ui_interaction' && prev !== run.status) {
          spinner?.clear();
          writeLines(io.stderr, renderApprovalWait(run, errPalette));
          spinner?.render();
        }
      },
      onLog(log) {
        lastStep = text(recordOf(log).node_id, '?', 100);
        const lines = renderLog(log, palette, { verbose: ctx.watch.verbose, width: ctx.width });
        spinner?.clear();
        writeLines(io.stdout, lines);
        spinner?.render();
      },
      onPoll(run) {
        retryNote = '';
        track(run);
      },
      onRetry(info) {
        retryNote = `API error, retry ${text(info.attempt, '?', 20)} in ${formatDuration(info.delayMs)}`;
        spinner?.render();
      },
    },
    async start(id, initialRun) {
      runId = id;
      watchStart = clock.now();
      const r = recordOf(initialRun);
      status = r.status === undefined ? 'connecting' : text(r.status, '?', 100);
      runStartedAt = parseTime(r.started_at);
      spinner = await createSpinner({ stream: io.stderr, text: line(), color: errPalette.enabled, suffix });
      // `alto run watch … | head`: once stdout is gone the spinner stops at once, before the
      // watch winds down and says why on stderr.
      io.stdout.once('error', stop);
      io.stdout.once('close', stop);
    },
    finish(result) {
      stop();
      const end = renderWatchEnd(result, endOptions(ctx, runId), palette, errPalette, clock.now());
      writeLines(io.stdout, end.out);
      writeLines(io.stderr, end.err);
    },
    dispose: stop,
  };
}
