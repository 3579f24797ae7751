import { Command } from 'commander';
import type { Factory } from '../../factory.js';
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
    .addCommand(newRunsCommand(f));
}
