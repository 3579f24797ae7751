import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { collect } from '../shared/collect.js';
import { examples, runAction } from '../shared/run-action.js';
import { parseWatchFlags, type RawWatchFlags, type WatchOptions } from '../shared/watch-flags.js';

export interface RunLogsOptions {
  runId: string;
  json: boolean;
  /** --failed: only steps logged as error or warning. */
  failed: boolean;
  /** --node (repeatable): only these node ids; empty means every node. */
  nodes: string[];
  /** --follow: the watch options to follow the run with (logs only); undefined prints the logs once. */
  follow: WatchOptions | undefined;
}

export type RunLogsRunner = (f: Factory, opts: RunLogsOptions) => Promise<number>;

const runLogs: RunLogsRunner = async (f, opts) => (await import('./logs-run.js')).runLogs(f, opts);

/** Flags that only mean something with --follow (commander attribute, flag). */
const FOLLOW_ONLY = [
  ['timeout', '--timeout'],
  ['interval', '--interval'],
  ['maxOutage', '--max-outage'],
  ['strict', '--strict'],
] as const;

/** alto run logs <runId> [--json] [--failed] [--node ID]... [--follow [--timeout D] [--strict]]. */
export function newRunLogsCommand(f: Factory, runF: RunLogsRunner = runLogs): Command {
  return new Command('logs')
    .argument('<runId>')
    .description("print a run's step logs; --follow prints them as they arrive until the run ends")
    .option('--json', 'print the logs as one JSON array (with --follow: once the run ended)')
    .option('--failed', 'only the steps logged as error or warning')
    .option('--node <nodeId>', 'only the steps of this node (repeatable)', collect)
    .option('--follow', 'follow the run like `run watch`, printing only step logs (for piping)')
    .option('--timeout <duration>', 'with --follow: stop after this long (the run keeps going)', '65m')
    .option('--interval <duration>', 'with --follow: the slowest poll interval', '2s')
    .option('--max-outage <duration>', 'with --follow: how long to retry through API errors (exit 5)', '5m')
    .option('--strict', 'with --follow: exit 1 when the run completed with a step logged as error')
    .addHelpText(
      'after',
      examples(
        'alto run logs fl_run_01h3...',
        'alto run logs fl_run_01h3... --failed',
        'alto run logs fl_run_01h3... --node send_email --node notify --json',
        'alto run logs fl_run_01h3... --follow --failed | tee failures.log',
      ),
    )
    .action(
      runAction(f, ([id], o, c) => {
        const given = FOLLOW_ONLY.filter(([name]) => c.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
        const watch = parseWatchFlags({ ...(o as unknown as RawWatchFlags), verbose: false });
        if (!o.follow && given.length > 0) {
          throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'has' : 'have'} no effect without --follow`, 'add --follow to follow the run');
        }
        const nodes = (o.node as string[] | undefined) ?? [];
        if (nodes.some((n) => n.trim() === '')) throw new UsageError('--node must not be empty');
        return runF(f, { runId: id!, json: Boolean(o.json), failed: Boolean(o.failed), nodes, follow: o.follow ? watch : undefined });
      }),
    );
}
