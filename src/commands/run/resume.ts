import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { addDryRunFlag } from '../shared/dry-run.js';
import { addOutputFlags, type OutputOptions, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, type RawWatchFlags, type WatchOptions, watchOptionsOf } from '../shared/watch-flags.js';

export interface RunResumeOptions {
  runId: string;
  /** The node after which the new run continues (--from). */
  fromNode: string;
  /** Set with --watch: follow the new run. */
  watch?: WatchOptions;
  output: OutputOptions;
  /** --dry-run: print the request instead of sending it. */
  dryRun?: boolean;
}

export type RunResumeRunner = (f: Factory, opts: RunResumeOptions) => Promise<number>;

const runResume: RunResumeRunner = async (f, opts) => (await import('./relaunch-run.js')).runResume(f, opts);

/** alto run resume <runId> --from <nodeId> [-w] [watch flags] [output flags]. */
export function newRunResumeCommand(f: Factory, runF: RunResumeRunner = runResume): Command {
  const cmd = new Command('resume')
    .argument('<runId>')
    .usage('<runId> --from <nodeId> [options]')
    .description('start a new run that continues a failed run after a node that succeeded')
    .requiredOption('--from <nodeId>', 'the node to continue after');
  return addDryRunFlag(addOutputFlags(addWatchFlags(cmd, { withSwitch: true }), { ndjson: true }))
    .addHelpText('after', examples('alto run resume fl_run_01h3... --from n2 --watch'))
    .action(
      runAction(f, ([id], o, c) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = watchOptionsOf(c, o as unknown as RawWatchFlags);
        const from = String(o.from);
        // "--from ''" would address /resume-from/ (another endpoint), not a node.
        if (from.trim() === '') throw new UsageError('--from must name a node that succeeded in the run');
        return runF(f, { runId: id!, fromNode: from, watch, output, ...(o.dryRun ? { dryRun: true } : {}) });
      }),
    );
}
