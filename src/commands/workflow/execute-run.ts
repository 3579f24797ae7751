import type { WorkflowRun } from '../../api/types.js';
import { CliError, RequestRejectedError, UsageError } from '../../errors.js';
import { clean, parseTime } from '../../ui/format.js';
import type { Factory } from '../../factory.js';
import type { OutputOptions } from '../shared/output-flags.js';
import type { WatchOptions } from '../shared/watch-flags.js';
import { announceAndFollow } from '../shared/launch.js';
import { launchStopped } from '../stop-reasons.js';
import type { EachFlags } from '../shared/fanout-flags.js';
import { buildContext, type ContextInput } from '../../input/context-input.js';
import { idempotencyKey } from '../../input/idempotency.js';

export interface ExecuteOptions {
  workflowId: string;
  input: ContextInput;
  idempotencyKey?: string;
  watch?: WatchOptions;
  output: OutputOptions;
  /** --dry-run: print the request instead of sending it. */
  dryRun?: boolean;
  /** --each: one run per context (execute-each.ts). */
  each?: EachFlags;
}

/** How far the server's clock may be behind ours before a run counts as started before our request. */
export const CLOCK_SKEW_MS = 2 * 60_000;

/** alto workflow execute: build the context (nothing is sent if it is bad), start the run, maybe follow it. */
export async function workflowExecute(ctx: Factory, opts: ExecuteOptions): Promise<number> {
  if (opts.each) return (await import('./execute-each.js')).workflowExecuteEach(ctx, { ...opts, each: opts.each });
  const context = await buildContext(opts.input, ctx.io, ctx.deps.signal);
  const key = await idempotencyKey(opts.idempotencyKey);
  if (opts.dryRun) {
    const { dryRun } = await import('../shared/dry-run.js');
    const call = { method: 'POST', path: `/workflows/${encodeURIComponent(opts.workflowId)}/execute`, body: { context }, headers: { 'idempotency-key': key } } as const;
    return dryRun(ctx, [call], opts.output);
  }
  const client = await ctx.client();
  const sentAt = ctx.deps.clock.now();
  let run: WorkflowRun;
  try {
    run = await client.executeWorkflow(opts.workflowId, context, key, { signal: ctx.deps.signal });
  } catch (err) {
    // Stopped while the POST was in flight: a run may have started. The key alto sent re-attaches
    // to it (the API replays the run for a key it has seen) without starting a second one.
    const wf = clean(opts.workflowId);
    const again = opts.idempotencyKey !== undefined ? 'the same command (same --idempotency-key)' : `the same command with --idempotency-key ${key}`;
    const stopped = launchStopped(ctx.deps.signal, `while starting a run of ${wf}: the request may have reached the API and a run may have started`, `find it: alto wf runs ${wf}; re-attach without starting a second run: ${again}`);
    if (stopped) throw stopped;
    // 413: say how large the context was, so the user knows what to shrink.
    if (err instanceof RequestRejectedError && err.status === 413) {
      const bytes = Buffer.byteLength(JSON.stringify({ context }), 'utf8');
      throw new CliError(`${err.message} (the context was ${bytes.toLocaleString('en-US')} bytes)`, err.exitCode, err.hint);
    }
    throw err;
  }
  // The API replays the original run for a key it has seen: if that run belongs to another
  // workflow, the key was reused, and following it would report on the wrong workflow.
  const owner = typeof run.workflow_id === 'string' ? run.workflow_id : run.workflow?.id;
  if (typeof owner === 'string' && owner !== opts.workflowId) {
    throw new UsageError(
      `the API answered with run ${run.id} of workflow ${owner}: this Idempotency-Key was already used for it`,
      'use one key per workflow, e.g. --idempotency-key "$CI_JOB_ID-<workflow>"',
    );
  }
  // A random per-invocation key can only be replayed by alto's own retry of this POST: the same
  // run, nothing to warn about. Only a key the user gave can have started a run before.
  const replay = opts.idempotencyKey !== undefined ? replayedRun(run, sentAt) : undefined;
  if (replay && !opts.output.json && !opts.output.ndjson) {
    ctx.deps.io.stderr.write(`${ctx.errPalette.warning('!')} re-attached to run ${clean(String(run.id))} started at ${clean(replay.startedText)}, Idempotency-Key reused\n`);
  }
  return announceAndFollow(ctx, run, opts.watch, opts.output);
}

/**
 * Whether the API answered with an existing run (a reused Idempotency-Key) instead of a new one:
 * the run started (was created) more than the clock-skew allowance before the request was sent.
 * The status alone proves nothing (a new run may be answered as already `running`). Undefined
 * for a new run, or when the run carries no time to tell by.
 */
export function replayedRun(run: WorkflowRun, sentAtMs: number): { startedText: string } | undefined {
  const raw = typeof run.started_at === 'string' && run.started_at ? run.started_at : typeof run.created_at === 'string' ? run.created_at : undefined;
  const started = parseTime(raw);
  if (raw === undefined || started === undefined || started >= sentAtMs - CLOCK_SKEW_MS) return undefined;
  return { startedText: raw };
}
