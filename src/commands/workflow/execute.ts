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
  const context = await buildContext(opts.input, () => ctx.deps.io.stdin);
  const key = idempotencyKey(opts.idempotencyKey);
  const client = await ctx.client();
  const run = await client.executeWorkflow(opts.workflowId, context, key, { signal: ctx.deps.signal });
  return announceAndFollow(ctx, run, opts.watch, opts.output);
}
