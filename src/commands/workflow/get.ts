import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface GetOptions {
  workflowId: string;
  json: boolean;
}

export type GetRun = (f: Factory, opts: GetOptions) => Promise<number>;

const getRun: GetRun = async (f, opts) => (await import('./list-get.js')).workflowGet(f, opts);

/** alto workflow get <workflowId> [--json]. */
export function newGetCommand(f: Factory, runF: GetRun = getRun): Command {
  return new Command('get')
    .argument('<workflowId>')
    .description('show one workflow with its nodes and edges')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto wf get fl_01h3j4k5l6m7n8p9q0r1s2t3u4'))
    .action(runAction(f, ([id], o) => runF(f, { workflowId: id!, json: Boolean(o.json) })));
}
