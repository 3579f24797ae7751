import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { addOutputFlags, type OutputOptions, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, parseWatchFlags, type RawWatchFlags, type WatchOptions } from '../shared/watch-flags.js';

export interface RunWatchOptions {
  runId: string;
  watch: WatchOptions;
  output: OutputOptions;
}

export type RunWatchRunner = (f: Factory, opts: RunWatchOptions) => Promise<number>;

const runWatch: RunWatchRunner = async (f, opts) => (await import('../shared/follow.js')).followRun(f, opts.runId, undefined, opts.watch, opts.output);

/** alto run watch <runId> [watch flags] [output flags]: always watches, so no --watch switch. */
export function newRunWatchCommand(f: Factory, runF: RunWatchRunner = runWatch): Command {
  const cmd = new Command('watch').argument('<runId>').description('follow a run until it ends (re-attach after Ctrl-C or --timeout)');
  return addOutputFlags(addWatchFlags(cmd, { withSwitch: false }), { ndjson: true })
    .addHelpText('after', examples('alto run watch fl_run_01h3...', 'alto run watch fl_run_01h3... --timeout 10m --strict'))
    .action(
      runAction(f, ([id], o) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = parseWatchFlags(o as unknown as RawWatchFlags);
        return runF(f, { runId: id!, watch, output });
      }),
    );
}
