/**
 * --json and --output ndjson of a fan-out. Server text is carried exactly as sent (jsonText),
 * every event names its run by `index` and `label`, and ndjson ends with one summary event.
 */
import type { OutStream } from '../../deps.js';
import type { FanoutResult, FanoutRunResult } from '../../fanout/engine.js';
import { jsonText } from '../json-text.js';
import { listOf, recordOf } from '../format.js';
import type { FanoutReporter } from './fanout-reporter.js';

/** One run's result as --json and ndjson show it. */
export function runResultJson(r: Pick<FanoutRunResult, 'index' | 'label' | 'runId' | 'run' | 'outcome' | 'exitCode' | 'durationMs' | 'error'>) {
  return {
    index: r.index,
    label: r.label,
    run_id: r.runId ?? null,
    outcome: r.outcome,
    exit_code: r.exitCode,
    duration_ms: r.durationMs === undefined ? null : Math.round(r.durationMs),
    ...(r.error ? { error: { message: r.error.message, exit_code: r.error.exitCode } } : {}),
    run: r.run ?? null,
  };
}

/** The summary object of --json and of ndjson's last event. */
export function summaryJson(result: FanoutResult) {
  const outcomes: Record<string, number> = {};
  for (const r of result.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    total: result.results.length,
    done: result.counts.done,
    failed: result.counts.failed,
    not_started: result.counts.notStarted,
    outcomes,
    requests: result.requests,
    exit_code: result.exitCode,
  };
}

const line = (out: OutStream, value: unknown) => void out.write(`${jsonText(value)}\n`);

/** --json: nothing until the end, then one document: every run's result and the summary. */
export function createFanoutJsonReporter(out: OutStream): FanoutReporter {
  return {
    onEvent: () => undefined,
    start: async () => undefined,
    finish(result) {
      out.write(`${jsonText({ runs: result.results.map(runResultJson), summary: summaryJson(result) }, { indent: 2 })}\n`);
    },
    dispose: () => undefined,
  };
}

/** --output ndjson: run on start and status change, logs at a run's end (when fetched), result, then summary. */
export function createFanoutNdjsonReporter(out: OutStream): FanoutReporter {
  const announced = new Set<number>(); // started with the launch's answer: its first status is that one
  return {
    onEvent(e) {
      if (e.type === 'started') {
        if (e.run !== undefined) {
          announced.add(e.index);
          line(out, { type: 'run', index: e.index, label: e.label, run: e.run });
        }
      } else if (e.type === 'status') {
        if (e.prevStatus !== undefined || !announced.has(e.index)) line(out, { type: 'run', index: e.index, label: e.label, run: e.run });
      } else if (e.type === 'ended') {
        for (const log of listOf(recordOf(e.run).logs)) line(out, { type: 'log', index: e.index, label: e.label, log });
        line(out, { type: 'result', ...runResultJson(e) });
      }
    },
    start: async () => undefined,
    finish(result) {
      line(out, { type: 'summary', ...summaryJson(result) });
    },
    dispose: () => undefined,
  };
}
