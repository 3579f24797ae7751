/**
 * Runs a fan-out for a command (`wf execute --each`, `run watch a b c`): one rate budget for
 * the process, the API client adapted to the engine (every call and every retry of the client
 * draws from that budget), a reporter for the output mode, and the one exit code.
 */
import { createRateBudget } from '../../api/rate-budget.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { clean } from '../../ui/format.js';
import { isCiDialect } from '../../ci/detect.js';
import { type FanoutApi, type FanoutPlan, type FanoutResult, runFanout } from '../../fanout/engine.js';
import { createFanoutJsonReporter, createFanoutNdjsonReporter } from '../../ui/reporters/fanout-machine.js';
import { createFanoutQuietReporter, createFanoutTextReporter, type FanoutReporter, type FanoutReporterContext } from '../../ui/reporters/fanout-reporter.js';
import { startOraSpinner, type SpinnerFactory } from '../../ui/spinner.js';
import { StdoutClosedError, stopCode } from '../stop-reasons.js';
import type { OutputOptions } from './output-flags.js';
import type { WatchOptions } from './watch-flags.js';

const MINUTE_MS = 60_000;

export interface FanoutRunOptions {
  concurrency: number;
  failFast: boolean;
  /** --rate: requests per minute for the whole fan-out. */
  rate: number;
  /** --interval when given; else the engine's fan-out default (5 s). */
  intervalMs?: number;
  watch: WatchOptions;
  output: OutputOptions;
}

function createReporter(f: Factory, output: OutputOptions, ctx: FanoutReporterContext): FanoutReporter {
  if (output.json) return createFanoutJsonReporter(ctx.out);
  if (output.ndjson) return createFanoutNdjsonReporter(ctx.out);
  if (output.quiet) return createFanoutQuietReporter(ctx);
  return createFanoutTextReporter(ctx);
}

/**
 * After a fan-out, the same CI reports as a single watch, one entry per run: groups and annotations
 * in a CI dialect (text mode), --junit, GitHub's step outputs (`run-ids`) and summary. The CI
 * modules load only when one of them is asked for.
 */
async function reportToCi(f: Factory, plan: FanoutPlan, opts: FanoutRunOptions, result: FanoutResult, code: number): Promise<number> {
  const ciFormat = f.io.ciFormat(opts.output.ciFormat);
  const textMode = !opts.output.json && !opts.output.ndjson && !opts.output.quiet;
  if (opts.output.junit === undefined && ciFormat !== 'github' && !(textMode && isCiDialect(ciFormat))) return code;
  const { finishRunReports, reportRunsToCi } = await import('./ci-report.js');
  const workflow = plan.workflowId;
  const runs = result.results
    .filter((r) => r.exitCode !== null)
    .map((r) => ({
      run: r.run ?? { id: r.runId ?? '' },
      workflow,
      label: r.label,
      ending: r.outcome === 'not_started' ? undefined : r.outcome,
      error: r.outcome === 'launch_failed' ? r.error?.message : undefined,
      exitCode: r.exitCode ?? undefined,
    }));
  if (textMode) reportRunsToCi(f, ciFormat, runs, { verbose: opts.watch.verbose });
  return finishRunReports(f, runs, code, { ciFormat, junit: opts.output.junit, strict: opts.watch.strict });
}

/** Runs the plan to its end and returns the most severe exit code (or 130/141/143 when stopped). */
export async function runFanoutCommand(f: Factory, plan: FanoutPlan, opts: FanoutRunOptions, createSpinner: SpinnerFactory = startOraSpinner): Promise<number> {
  const { deps } = f;
  const client = await f.client();
  const budget = createRateBudget({ limit: opts.rate, windowMs: MINUTE_MS });
  // Each call may retry through an outage for --max-outage; its retries take slots of the budget.
  const call = (signal: AbortSignal) => ({ signal, retryBudget: budget, retryUntil: deps.clock.now() + Math.max(opts.watch.maxOutageMs, 1000) });
  const api: FanoutApi = {
    async launch(item, key, signal) {
      const workflowId = (plan as { workflowId: string }).workflowId;
      const run = await client.executeWorkflow(workflowId, item.context, key, call(signal));
      // A replayed key of another workflow's run: following it would report on the wrong workflow.
      const owner = typeof run.workflow_id === 'string' ? run.workflow_id : run.workflow?.id;
      if (typeof owner === 'string' && owner !== workflowId) {
        throw new UsageError(`the API answered with run ${clean(run.id)} of workflow ${clean(owner)}: this Idempotency-Key was already used for it`, 'use one --idempotency-key per workflow');
      }
      return run;
    },
    listPage: (workflowId, page, signal) => client.listRuns(workflowId, page, call(signal)),
    getRun: (runId, signal) => client.getRun(runId, call(signal)),
  };
  const total = plan.kind === 'launch' ? plan.items.length : plan.runIds.length;
  const reporter = createReporter(f, opts.output, {
    out: deps.io.stdout,
    err: deps.io.stderr,
    clock: deps.clock,
    palette: f.palette,
    errPalette: f.errPalette,
    total,
    verbose: opts.watch.verbose,
    width: f.io.terminalWidth(),
    spinner: f.interactive ? createSpinner : undefined,
  });
  try {
    await reporter.start();
    const result = await runFanout(
      { api, clock: deps.clock, budget },
      plan,
      {
        concurrency: opts.concurrency,
        failFast: opts.failFast,
        strict: opts.watch.strict,
        needLogs: opts.watch.verbose || opts.output.json,
        timeoutMs: opts.watch.timeoutMs,
        intervalMs: opts.intervalMs,
        maxOutageMs: opts.watch.maxOutageMs,
        waitApproval: opts.watch.waitApproval,
        signal: deps.signal,
      },
      (e) => reporter.onEvent(e),
    );
    const stopped = deps.signal.aborted ? stopCode(deps.signal.reason) : undefined;
    if (stopped !== undefined && deps.signal.reason instanceof StdoutClosedError) {
      deps.io.stderr.write(`alto: ${deps.signal.reason.message}; the runs keep going\n`);
      return stopped;
    }
    reporter.finish(result);
    return await reportToCi(f, plan, opts, result, stopped ?? result.exitCode);
  } finally {
    reporter.dispose();
  }
}
