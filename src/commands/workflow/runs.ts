import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { parsePositiveInt } from '../shared/parse-number.js';
import { examples, runAction } from '../shared/run-action.js';
import type { WorkflowRunsOptions } from './runs-run.js';

export type { WorkflowRunsOptions } from './runs-run.js';
export type RunsRun = (f: Factory, opts: WorkflowRunsOptions) => Promise<number>;

const runsRun: RunsRun = async (f, opts) => (await import('./runs-run.js')).workflowRuns(f, opts);

/** alto workflow runs <workflowId> [--page N | --all] [--limit N] [--json]. */
export function newRunsCommand(f: Factory, runF: RunsRun = runsRun): Command {
  return new Command('runs')
    .argument('<workflowId>')
    .description('recent runs of a workflow, newest first')
    .option('--page <n>', 'which page (1 is the newest)')
    .option('--all', 'follow every page')
    .option('--limit <n>', 'show at most this many runs')
    .option('--json', 'print one JSON array')
    .addHelpText('after', examples('alto wf runs fl_01h3...', 'alto wf runs fl_01h3... --all --limit 100 --json'))
    .action(
      runAction(f, ([id], o) => {
        if (o.page !== undefined && o.all) throw new UsageError('--page and --all cannot be used together');
        return runF(f, {
          workflowId: id!,
          page: o.page === undefined ? undefined : parsePositiveInt(String(o.page), '--page'),
          all: Boolean(o.all),
          limit: o.limit === undefined ? undefined : parsePositiveInt(String(o.limit), '--limit'),
          json: Boolean(o.json),
        });
      }),
    );
}
