import { UsageError } from '../../errors.js';
import type { CommandContext, OutputOptions, WatchOptions } from '../context.js';
import { announceAndFollow } from '../run/launch.js';
import { buildContext, type ContextInput } from './context-input.js';
import { idempotencyKey } from './idempotency.js';

export interface ExecuteOptions {
  workflowId: string;
  input: ContextInput;
  idempotencyKey?: string;
  watch?: WatchOptions;
  output: OutputOptions;
}

/** alto workflow execute: build the context (nothing is sent if it is bad), start the run, maybe follow it. */
export async function workflowExecute(ctx: CommandContext, opts: ExecuteOptions): Promise<number> {
  const context = await buildContext(opts.input, () => ctx.deps.io.stdin, ctx.deps.signal);
  const key = await idempotencyKey(opts.idempotencyKey);
  const client = await ctx.client();
  const run = await client.executeWorkflow(opts.workflowId, context, key, { signal: ctx.deps.signal });
  // The API replays the original run for a key it has seen: if that run belongs to another
  // workflow, the key was reused, and following it would report on the wrong workflow.
  const owner = typeof run.workflow_id === 'string' ? run.workflow_id : run.workflow?.id;
  if (typeof owner === 'string' && owner !== opts.workflowId) {
    throw new UsageError(
      `the API answered with run ${run.id} of workflow ${owner}: this Idempotency-Key was already used for it`,
      'use one key per workflow, e.g. --idempotency-key "$CI_JOB_ID-<workflow>"',
    );
  }
  return announceAndFollow(ctx, run, opts.watch, opts.output);
}
