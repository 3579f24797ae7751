import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface RunGetOptions {
  runId: string;
  json: boolean;
}

export type RunGetRunner = (f: Factory, opts: RunGetOptions) => Promise<number>;

const runGet: RunGetRunner = async (f, opts) => (await import('./get-run.js')).runGet(f, opts);

/** alto run get <runId> [--json]. */
export function newRunGetCommand(f: Factory, runF: RunGetRunner = runGet): Command {
  return new Command('get')
    .argument('<runId>')
    .description('show a run: status, timing, error and steps')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto run get fl_run_01h3...', 'alto run get fl_run_01h3... --json | jq -r .status'))
    .action(runAction(f, ([id], o) => runF(f, { runId: id!, json: Boolean(o.json) })));
}
