import type { WorkflowRun } from '../../api/types.js';
import { createWatchReporter } from '../../ui/reporters/create.js';
import { chooseReporterKind } from '../../ui/reporters/reporter.js';
import type { SpinnerFactory } from '../../ui/spinner.js';
import { type WatchResult, watchRun } from '../../watch/engine.js';
import { exitCodeForWatch } from '../../watch/exit-code.js';
import type { Factory } from '../../factory.js';
import { isCiDialect } from '../../ci/detect.js';
import type { OutputOptions } from './output-flags.js';
import type { WatchOptions } from './watch-flags.js';
import { StdoutClosedError, stdoutClosedLines, stopCode } from '../stop-reasons.js';
import { clean } from '../../ui/format.js';

/**
 * Follows a run until it ends and returns the exit code of the contract: the engine polls,
 * a reporter (spinner, plain lines, JSON, NDJSON or quiet) shows it. Used by `run watch` and
 * by execute, rerun and resume with --watch. Lost contact and an unknown final status are
 * reported as one line on stderr and exit 5; auth and not-found errors are thrown.
 */
export async function followRun(
  ctx: Factory,
  runId: string,
  initialRun: WorkflowRun | undefined,
  watch: WatchOptions,
  output: OutputOptions,
  createSpinner?: SpinnerFactory,
): Promise<number> {
  const { deps } = ctx;
  const client = await ctx.client();
  const kind = chooseReporterKind(output, ctx.interactive);
  const ciFormat = ctx.io.ciFormat(output.ciFormat);
  const reporterCtx = { io: deps.io, clock: deps.clock, palette: ctx.palette, errPalette: ctx.errPalette, watch, width: ctx.io.terminalWidth() };
  // Text mode in a CI with a dialect of its own: groups and annotations (--json, ndjson, -q unchanged).
  // (The CI modules load only when a CI dialect or a report asks for them: not on every watch.)
  const reporter =
    (kind === 'plain' || kind === 'tty') && isCiDialect(ciFormat)
      ? (await import('../../ui/reporters/ci.js')).createCiReporter(reporterCtx, (await import('./ci-report.js')).ciDialectFor(ctx, ciFormat))
      : createWatchReporter(kind, reporterCtx, createSpinner);
  // After the outcome is known, whatever it is: --junit and GitHub's step outputs and summary.
  const reports = async (result: WatchResult, exitCode: number) =>
    output.junit === undefined && ciFormat !== 'github'
      ? exitCode
      : (await import('./ci-report.js')).finishRunReports(ctx, [{ run: result.run ?? { id: runId }, ending: result.outcome, exitCode }], exitCode, {
          ciFormat,
          junit: output.junit,
          strict: watch.strict,
        });
  try {
    await reporter.start(runId, initialRun);
    const result = await watchRun(
      client,
      deps.clock,
      {
        runId,
        initialRun,
        timeoutMs: watch.timeoutMs,
        intervalMs: watch.intervalMs,
        maxOutageMs: watch.maxOutageMs,
        waitApproval: watch.waitApproval,
        signal: deps.signal,
      },
      reporter.events,
    );
    const code = exitCodeForWatch(result, { strict: watch.strict });
    const stopped = result.outcome === 'interrupted' ? stopCode(deps.signal.reason) : undefined;
    if (stopped !== undefined && deps.signal.reason instanceof StdoutClosedError) {
      // Nobody reads the results any more: one line on stderr says why alto stopped.
      deps.io.stderr.write(stdoutClosedLines(deps.signal.reason, clean(runId), `alto run watch ${clean(runId)}`));
      return reports(result, stopped);
    }
    // SIGTERM is treated like Ctrl-C (the reporter says how to re-attach), with its own code.
    reporter.finish(result, stopped ?? code);
    return await reports(result, stopped ?? code);
  } finally {
    reporter.dispose();
  }
}
