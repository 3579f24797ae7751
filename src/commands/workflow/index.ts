import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { habitCommand } from '../shared/habit.js';
import { examples } from '../shared/run-action.js';
import { newExecuteCommand } from './execute.js';
import { newGetCommand } from './get.js';
import { newListCommand } from './list.js';
import { newRunsCommand } from './runs.js';

/** alto workflow (alias wf) list|get|execute|runs. */
export function newWorkflowCommand(f: Factory): Command {
  return new Command('workflow')
    .alias('wf')
    .description('list, inspect and execute workflows')
    .addCommand(newListCommand(f))
    .addCommand(newGetCommand(f))
    .addCommand(newExecuteCommand(f))
    .addCommand(newRunsCommand(f))
    .addCommand(habitCommand('wf run', 'alto wf execute'), { hidden: true })
    .addCommand(habitCommand('wf show', 'alto wf get'), { hidden: true })
    .addHelpText(
      'after',
      examples('alto wf list', 'alto wf get fl_01h3...', 'alto wf execute fl_01h3... --context ctx.json --watch', 'alto wf runs fl_01h3... --limit 5'),
    );
}
