/**
 * Reporters of a fan-out (`wf execute --each`, `run watch a b c`): the engine's events in one
 * output mode. Text: a line as each run starts and ends, a spinner with the counts on a
 * terminal, a heartbeat elsewhere, a summary table. Machine modes live in fanout-machine.ts.
 */
import type { Clock, OutStream } from '../../deps.js';
import type { FanoutCounts, FanoutEvent, FanoutResult, FanoutRunResult } from '../../fanout/engine.js';
import { formatDuration } from '../../util/duration.js';
import { clockTime, listOf, oneLine, recordOf, text } from '../format.js';
import { MARK } from '../marks.js';
import type { Palette } from '../palette.js';
import { renderLog } from '../render-log.js';
import { failingStep, shellWord } from '../render-outcome.js';
import type { Spinner, SpinnerFactory } from '../spinner.js';
import { renderTable } from '../table.js';
import { HEARTBEAT_MS } from './plain.js';
import { writeLines } from './reporter.js';

export interface FanoutReporter {
  onEvent(e: FanoutEvent): void;
  /** Called once before the engine runs (the text reporter starts its spinner here). */
  start(): Promise<void>;
  /** Renders the end: the summary. */
  finish(result: FanoutResult): void;
  /** Stops any spinner; safe twice. */
  dispose(): void;
}

export interface FanoutReporterContext {
  out: OutStream;
  err: OutStream;
  clock: Clock;
  palette: Palette;
  errPalette: Palette;
  /** Runs in the fan-out (contexts or ids). */
  total: number;
  /** Step logs of each run, labelled, at its end. */
  verbose: boolean;
  width: number;
  /** Present on a terminal that may show a spinner (IOStreams.canSpinner). */
  spinner?: SpinnerFactory;
}

/** `12/40 done · 2 failed · 8 running · 20 queued`. */
export function renderCounts(c: FanoutCounts, total: number): string {
  return `${c.done}/${total} done · ${c.failed} failed · ${c.running} running · ${c.queued} queued`;
}

const label = (value: unknown) => text(value, '?', 200);
const duration = (ms: number | undefined) => (ms === undefined ? '' : formatDuration(ms));

/** Why a run did not succeed, in one line: the run's error, else the client's. Any value in. */
export function endReason(r: { run?: unknown; error?: { message: string } }): string {
  const run = recordOf(r.run);
  return oneLine(run.error_message ?? run.error ?? r.error?.message ?? '', 500);
}

/** The lines of one run's end: outcome, duration, and for a failure its error and failing step. */
export function renderRunEnd(e: Extract<FanoutEvent, { type: 'ended' }>, p: Palette): string[] {
  const ok = e.exitCode === 0;
  const symbol = ok ? p.success(MARK.success) : e.exitCode === null ? p.dim('-') : p.failure(MARK.failure);
  const id = e.runId === undefined || e.runId === e.label ? '' : `  ${p.id(label(e.runId))}`;
  const took = e.durationMs === undefined ? '' : ` in ${duration(e.durationMs)}`;
  const outcome = e.outcome === 'launch_failed' ? 'could not start' : e.outcome.replace(/_/g, ' ');
  const lines = [`${symbol} ${label(e.label)}${id}  ${ok ? outcome : p.failure(outcome)}${took}`];
  if (!ok) {
    const why = endReason(e);
    if (why) lines.push(`    ${p.dim('error:')} ${why}`);
    const step = failingStep(recordOf(e.run).logs);
    if (step) lines.push(`    ${p.dim('failing step:')} ${text(step.node_id, '?', 200)}${step.component_id ? ` (${text(step.component_id, '', 200)})` : ''}`);
  }
  return lines;
}

/** The summary table and the counts line. */
export function renderFanoutSummary(result: FanoutResult, p: Palette): string[] {
  // `run watch a b c`: the runs are named by their ids, so one column says it.
  const byId = result.results.every((r) => r.runId === undefined || r.label === r.runId);
  const rows = result.results.map((r: FanoutRunResult) => [
    ...(byId ? [] : [label(r.label)]),
    r.runId === undefined ? '-' : label(r.runId),
    r.outcome === 'not_started' ? 'not started' : r.outcome.replace(/_/g, ' '),
    duration(r.durationMs) || '-',
    r.exitCode === null ? '-' : String(r.exitCode),
  ]);
  const byOutcome = new Map<string, number>();
  for (const r of result.results) byOutcome.set(r.outcome, (byOutcome.get(r.outcome) ?? 0) + 1);
  const parts = [...byOutcome].map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`);
  const lines = ['', ...renderTable([...(byId ? [] : ['LABEL']), 'RUN', 'OUTCOME', 'DURATION', 'EXIT'], rows, p), '', `${result.results.length} runs: ${parts.join(', ')} · exit ${result.exitCode}`];
  // Runs alto stopped watching (Ctrl-C, --timeout) keep going: say how to pick them up again.
  const going = result.results.filter((r) => (r.outcome === 'interrupted' || r.outcome === 'timeout') && r.runId !== undefined).map((r) => shellWord(r.runId));
  if (going.length > 0) {
    const shown = going.slice(0, MAX_REATTACH_IDS).join(' ');
    lines.push(`Still going; re-attach: alto run watch ${shown}${going.length > MAX_REATTACH_IDS ? ` … (${going.length - MAX_REATTACH_IDS} more)` : ''}`);
  }
  return lines;
}

/** Ids on the re-attach line at most (a command line, not a dump). */
const MAX_REATTACH_IDS = 50;

/** Text: lines on stdout as runs start and end; counts on a spinner (terminal) or a heartbeat (stderr). */
export function createFanoutTextReporter(ctx: FanoutReporterContext): FanoutReporter {
  const { out, err, clock, palette: p, errPalette } = ctx;
  let spinner: Spinner | undefined;
  let lastOutput = clock.now();
  let counts: FanoutCounts = { done: 0, failed: 0, running: 0, queued: ctx.total };
  const write = (lines: string[]) => {
    spinner?.clear();
    writeLines(out, lines);
    spinner?.render();
    lastOutput = clock.now();
  };
  return {
    onEvent(e) {
      if (e.type === 'started') write([`${p.dim('▶')} ${e.label === e.runId ? p.id(label(e.runId)) : `${label(e.label)}  ${p.id(label(e.runId))}`}  started`]);
      else if (e.type === 'ended') {
        const lines = renderRunEnd(e, p);
        if (ctx.verbose) for (const log of listOf(recordOf(e.run).logs)) lines.push(...renderLog(log, p, { width: ctx.width - 2 }).map((l) => `  [${label(e.label)}] ${l}`));
        write(lines);
      } else if (e.type === 'progress') {
        counts = e;
        if (spinner) spinner.setText(renderCounts(counts, ctx.total));
        else if (clock.now() - lastOutput >= HEARTBEAT_MS) {
          writeLines(err, [`${errPalette.dim(clockTime(clock.now()))} ${renderCounts(counts, ctx.total)}`]);
          lastOutput = clock.now();
        }
      }
    },
    async start() {
      if (ctx.spinner) spinner = await ctx.spinner({ stream: err, text: renderCounts(counts, ctx.total), color: errPalette.enabled });
    },
    finish(result) {
      spinner?.stop();
      writeLines(out, renderFanoutSummary(result, p));
    },
    dispose() {
      spinner?.stop();
    },
  };
}

/** -q: run ids as they start on stdout; runs that did not succeed, one line each on stderr. */
export function createFanoutQuietReporter(ctx: FanoutReporterContext): FanoutReporter {
  return {
    onEvent(e) {
      if (e.type === 'started') writeLines(ctx.out, [label(e.runId)]);
      // An interrupted run is not an error of the run: the one stop line says it.
      else if (e.type === 'ended' && e.exitCode !== 0 && e.exitCode !== null && e.outcome !== 'interrupted') {
        const why = endReason(e);
        writeLines(ctx.err, [`alto: ${label(e.label)}${e.runId && e.runId !== e.label ? ` (run ${label(e.runId)})` : ''}: ${e.outcome.replace(/_/g, ' ')}${why ? `: ${why}` : ''}`]);
      }
    },
    start: async () => undefined,
    finish: () => undefined,
    dispose: () => undefined,
  };
}
