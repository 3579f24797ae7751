import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { addDryRunFlag } from '../shared/dry-run.js';
import { addOutputFlags, type OutputOptions, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, type RawWatchFlags, type WatchOptions, watchOptionsOf } from '../shared/watch-flags.js';

export interface RunRerunOptions {
  runId: string;
  /** Set with --watch: follow the new run. */
  watch?: WatchOptions;
  output: OutputOptions;
  /** --dry-run: print the request instead of sending it. */
  dryRun?: boolean;
}

export type RunRerunRunner = (f: Factory, opts: RunRerunOptions) => Promise<number>;

const runRerun: RunRerunRunner = async (f, opts) => (await import('./relaunch-run.js')).runRerun(f, opts);

/** alto run rerun <runId> [-w] [watch flags] [output flags]. */
export function newRunRerunCommand(f: Factory, runF: RunRerunRunner = runRerun): Command {
  const cmd = new Command('rerun').argument('<runId>').description('start a new run with the same trigger payload');
  return addDryRunFlag(addOutputFlags(addWatchFlags(cmd, { withSwitch: true }), { ndjson: true }))
    .addHelpText('after', examples('alto run rerun fl_run_01h3... --watch'))
    .action(
      runAction(f, ([id], o, c) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = watchOptionsOf(c, o as unknown as RawWatchFlags);
        return runF(f, { runId: id!, watch, output, ...(o.dryRun ? { dryRun: true } : {}) });
      }),
    );
}
