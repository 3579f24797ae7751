import type { Factory } from '../../factory.js';
import type { OutputOptions } from '../shared/output-flags.js';
import type { WatchOptions } from '../shared/watch-flags.js';
import { announceAndFollow } from '../shared/launch.js';

export interface RelaunchOptions {
  runId: string;
  /** resume only: the node after which the new run continues. */
  fromNode?: string;
  watch?: WatchOptions;
  output: OutputOptions;
}

/** alto run rerun / alto run resume --from: a new run from an old one, followed when asked. */
export async function runRelaunch(ctx: Factory, opts: RelaunchOptions): Promise<number> {
  const client = await ctx.client();
  const call = { signal: ctx.deps.signal };
  const launched =
    opts.fromNode === undefined ? await client.rerunRun(opts.runId, call) : await client.resumeRun(opts.runId, opts.fromNode, call);
  const verb = opts.fromNode === undefined ? `Re-ran ${opts.runId} as` : `Resumed ${opts.runId} from ${opts.fromNode} as`;
  return announceAndFollow(ctx, launched.new_run, opts.watch, opts.output, verb);
}
