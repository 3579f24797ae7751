import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface RunLogsOptions {
  runId: string;
  json: boolean;
}

export type RunLogsRunner = (f: Factory, opts: RunLogsOptions) => Promise<number>;

const runLogs: RunLogsRunner = async (f, opts) => (await import('./logs-run.js')).runLogs(f, opts);

/** alto run logs <runId> [--json]. */
export function newRunLogsCommand(f: Factory, runF: RunLogsRunner = runLogs): Command {
  return new Command('logs')
    .argument('<runId>')
    .description("print a run's step logs")
    .option('--json', 'print the logs as one JSON array')
    .addHelpText('after', examples('alto run logs fl_run_01h3...', "alto run logs fl_run_01h3... --json | jq '.[] | select(.status==\"error\")'"))
    .action(runAction(f, ([id], o) => runF(f, { runId: id!, json: Boolean(o.json) })));
}
