import { formatDuration } from '../../util/duration.js';
import { oneLine, recordOf, text } from '../format.js';
import { renderWatchEnd } from '../render-end.js';
import { renderApprovalWait } from '../render-approval.js';
import { renderLog } from '../render-log.js';
import { renderStatusChange } from '../render-run.js';
import { endOptions, type ReporterContext, type WatchReporter, writeLines } from './reporter.js';

/** Silence after which the plain reporter says it is still watching. */
export const HEARTBEAT_MS = 30_000;

/**
 * CI logs and pipes: append-only lines, no spinner and no escape codes unless the palette has
 * colour. One line per status change and per step on stdout; retries and a heartbeat after
 * 30 s of silence on stderr. The heartbeat is driven by polls and the clock, not by a timer.
 */
export function createPlainReporter(ctx: ReporterContext): WatchReporter {
  const { io, clock, palette, errPalette } = ctx;
  let runId = '';
  let watchStart = clock.now();
  let lastOutput = watchStart;
  let announced: unknown;
  const out = (lines: string[]) => {
    writeLines(io.stdout, lines);
    lastOutput = clock.now();
  };
  const err = (lines: string[]) => {
    writeLines(io.stderr, lines);
    lastOutput = clock.now();
  };
  return {
    events: {
      onRun(run, prev) {
        // The run execute/rerun/resume just announced is not announced twice.
        if (prev !== undefined || run !== announced) out(renderStatusChange(run, prev, palette));
        if (ctx.watch.waitApproval && run.status === 'awaiting_ui_interaction') err(renderApprovalWait(run, errPalette));
      },
      onLog(log) {
        out(renderLog(log, palette, { verbose: ctx.watch.verbose, width: ctx.width }));
      },
      onPoll(run) {
        const now = clock.now();
        if (now - lastOutput < HEARTBEAT_MS) return;
        const elapsed = formatDuration(now - watchStart);
        const r = recordOf(run);
        // No local time here: the step and status lines show the server's, and one clock is shown.
        err([`still ${text(r.status, '?', 100)}: run ${text(r.id ?? runId, '?', 200)}, watching for ${elapsed}`]);
      },
      onRetry(info) {
        const what = `${oneLine(recordOf(recordOf(info).error).message, 500) || 'request failed'}; retrying in ${formatDuration(info.delayMs)} (attempt ${text(info.attempt, '?', 20)})`;
        err([`${errPalette.warning('API error:')} ${what}`]);
      },
    },
    async start(id, initialRun) {
      runId = id;
      announced = initialRun;
      watchStart = clock.now();
      lastOutput = watchStart;
    },
    finish(result) {
      const end = renderWatchEnd(result, endOptions(ctx, runId), palette, errPalette, clock.now());
      writeLines(io.stdout, end.out);
      writeLines(io.stderr, end.err);
    },
    dispose() {},
  };
}
