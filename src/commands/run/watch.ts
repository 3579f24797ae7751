import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { addOutputFlags, type OutputOptions, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, parseWatchFlags, type RawWatchFlags, type WatchOptions } from '../shared/watch-flags.js';

export interface RunWatchOptions {
  /** The first (or only) run. */
  runId: string;
  /** Several runs, or one with --workflow: watched together by the fan-out engine. */
  runIds?: string[];
  /** --workflow: the runs' workflow, so they are watched through its run list. */
  workflowId?: string;
  /** --interval when given on the command line (a multi-run watch has its own default). */
  intervalMs?: number;
  watch: WatchOptions;
  output: OutputOptions;
}

export type RunWatchRunner = (f: Factory, opts: RunWatchOptions) => Promise<number>;

const runWatch: RunWatchRunner = async (f, opts) => {
  if (opts.runIds) {
    const [{ runFanoutCommand }, { DEFAULT_RATE }] = await Promise.all([import('../shared/fanout-run.js'), import('../shared/fanout-flags.js')]);
    const plan = { kind: 'watch' as const, runIds: opts.runIds, ...(opts.workflowId !== undefined ? { workflowId: opts.workflowId } : {}) };
    return runFanoutCommand(f, plan, { concurrency: opts.runIds.length, failFast: false, rate: DEFAULT_RATE, intervalMs: opts.intervalMs, watch: opts.watch, output: opts.output });
  }
  return (await import('../shared/follow.js')).followRun(f, opts.runId, undefined, opts.watch, opts.output);
};

/** At most this many runs in one `run watch`. */
const MAX_RUN_IDS = 10_000;

/** alto run watch <runId> [<runId>...] [--workflow ID] [watch flags] [output flags]: always watches, so no --watch switch. */
export function newRunWatchCommand(f: Factory, runF: RunWatchRunner = runWatch): Command {
  const cmd = new Command('watch')
    .argument('<runId...>')
    .description('follow runs until they end (re-attach after Ctrl-C or --timeout); several runs end with one summary')
    .option('--workflow <workflowId>', "the runs' workflow: watch many runs through its run list (fewer requests)");
  return addOutputFlags(addWatchFlags(cmd, { withSwitch: false }), { ndjson: true })
    .addHelpText('after', examples('alto run watch fl_run_01h3...', 'alto run watch fl_run_01h3... --timeout 10m --strict', 'alto run watch fl_run_a fl_run_b fl_run_c --workflow fl_01h3...'))
    .action(
      runAction(f, (_args, o, c) => {
        const ids = c.args;
        const blank = ids.findIndex((id) => id.trim() === '');
        if (blank !== -1) throw new UsageError('<runId> must not be empty');
        if (ids.length > MAX_RUN_IDS) throw new UsageError(`at most ${MAX_RUN_IDS} runs can be watched at once, not ${ids.length}`);
        const workflowId = o.workflow as string | undefined;
        if (workflowId !== undefined && workflowId.trim() === '') throw new UsageError('--workflow must not be empty');
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = parseWatchFlags(o as unknown as RawWatchFlags);
        if (ids.length === 1 && workflowId === undefined) return runF(f, { runId: ids[0]!, watch, output });
        const intervalMs = c.getOptionValueSource('interval') === 'cli' ? { intervalMs: watch.intervalMs } : {};
        return runF(f, { runId: ids[0]!, runIds: [...ids], ...(workflowId !== undefined ? { workflowId } : {}), ...intervalMs, watch, output });
      }),
    );
}
