import type { WorkflowLog } from '../../api/types.js';
import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';
import { renderLog } from '../../ui/render-log.js';
import { watchRun } from '../../watch/engine.js';
import { exitCodeForWatch } from '../../watch/exit-code.js';
import { StdoutClosedError, stdoutClosedLines, stopCode } from '../stop-reasons.js';
import type { RunLogsOptions } from './logs.js';

/** The filter of --failed and --node: a log passes when it matches both (each only when given). */
export function logFilter(opts: Pick<RunLogsOptions, 'failed' | 'nodes'>): (log: unknown) => boolean {
  const nodes = new Set(opts.nodes);
  return (log) => {
    const l = (typeof log === 'object' && log !== null ? log : {}) as Partial<WorkflowLog>;
    if (opts.failed && l.status !== 'error' && l.status !== 'warning') return false;
    if (nodes.size > 0 && !(typeof l.node_id === 'string' && nodes.has(l.node_id))) return false;
    return true;
  };
}

/** alto run logs: every step log (that passes the filters) with its whole output; an array with --json. */
export async function runLogs(f: Factory, opts: RunLogsOptions): Promise<number> {
  if (opts.follow) return followLogs(f, opts);
  const client = await f.client();
  const run = await client.getRun(opts.runId, { signal: f.deps.signal });
  const all = Array.isArray(run.logs) ? run.logs : [];
  const logs = all.filter(logFilter(opts));
  if (opts.json) {
    f.io.out.write(`${jsonText(logs, { indent: 2 })}\n`);
  } else if (all.length === 0) {
    f.io.err.write(`run ${f.io.safe(String(run.id))} has no step logs yet (status ${f.io.safe(String(run.status))})\n`);
  } else if (logs.length === 0) {
    f.io.err.write(`no step of run ${f.io.safe(String(run.id))} matches the filters (${all.length} step logs in all)\n`);
  } else {
    for (const log of logs) f.io.writeLines('out', renderLog(log, f.palette, { verbose: true }));
  }
  return ExitCode.Ok;
}

/**
 * --follow: the watch engine of `run watch`, but stdout gets only the step logs that pass the
 * filters, as they arrive (with --json: one array once the run ended). How the watch ended is
 * one line on stderr; the exit code is that of `run watch`.
 */
async function followLogs(f: Factory, opts: RunLogsOptions): Promise<number> {
  const watch = opts.follow!;
  const client = await f.client();
  const pass = logFilter(opts);
  const kept: WorkflowLog[] = [];
  const result = await watchRun(
    client,
    f.deps.clock,
    { runId: opts.runId, timeoutMs: watch.timeoutMs, intervalMs: watch.intervalMs, maxOutageMs: watch.maxOutageMs, signal: f.deps.signal },
    {
      onLog(log) {
        if (!pass(log)) return;
        if (opts.json) kept.push(log);
        else f.io.writeLines('out', renderLog(log, f.palette, { verbose: true }));
      },
    },
  );
  const id = f.io.safe(opts.runId);
  const stopped = result.outcome === 'interrupted' ? stopCode(f.deps.signal.reason) : undefined;
  if (stopped !== undefined) {
    const reason = f.deps.signal.reason;
    const reattach = `alto run logs ${id} --follow`;
    if (reason instanceof StdoutClosedError) f.io.err.write(stdoutClosedLines(reason, id, reattach));
    else f.io.err.write(`alto: stopped following run ${id}; it keeps going\n  re-attach with: ${reattach}\n`);
    return stopped;
  }
  if (opts.json) f.io.out.write(`${jsonText(kept, { indent: 2 })}\n`);
  const code = exitCodeForWatch(result, { strict: watch.strict });
  const note = endNote(result.outcome, id, f.io.safe(result.error?.message), f.io.safe(result.run?.error_message));
  if (note) f.io.err.write(`${note}\n`);
  return code;
}

/** One stderr line on how a follow ended, when it did not simply complete. */
function endNote(outcome: string, id: string, error: string, message: string): string | undefined {
  switch (outcome) {
    case 'failed':
      return `alto: run ${id} failed${message ? `: ${message.slice(0, 300)}` : ''}`;
    case 'timeout':
      return `alto: --timeout reached; run ${id} keeps going (re-attach with: alto run logs ${id} --follow)`;
    case 'awaiting_ui_interaction':
      return `alto: run ${id} is waiting for a person in the dashboard`;
    case 'lost_contact':
      return `alto: lost contact with the API${error ? `: ${error}` : ''}; run ${id} may still be going`;
    case 'unknown_status':
      return `alto: run ${id} ended with a status alto does not know`;
    default:
      return undefined;
  }
}
