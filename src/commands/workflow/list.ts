import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface ListOptions {
  json: boolean;
}

export type ListRun = (f: Factory, opts: ListOptions) => Promise<number>;

const listRun: ListRun = async (f, opts) => (await import('./list-get.js')).workflowList(f, opts);

/** alto workflow list [--json]. */
export function newListCommand(f: Factory, runF: ListRun = listRun): Command {
  return new Command('list')
    .description('list workflows')
    .option('--json', 'print the list as one JSON array')
    .addHelpText('after', examples('alto wf list', "alto wf list --json | jq -r '.[].id'"))
    .action(runAction(f, (_args, o) => runF(f, { json: Boolean(o.json) })));
}
