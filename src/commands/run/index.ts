import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { habitCommand } from '../shared/habit.js';
import { examples } from '../shared/run-action.js';
import { newRunGetCommand } from './get.js';
import { newRunLogsCommand } from './logs.js';
import { newRunRerunCommand } from './rerun.js';
import { newRunResumeCommand } from './resume.js';
import { newRunWatchCommand } from './watch.js';

/** alto run get|logs|watch|rerun|resume. */
export function newRunCommand(f: Factory): Command {
  return new Command('run')
    .description('read, follow, re-run and resume runs')
    .addCommand(newRunGetCommand(f))
    .addCommand(newRunLogsCommand(f))
    .addCommand(newRunWatchCommand(f))
    .addCommand(newRunRerunCommand(f))
    .addCommand(newRunResumeCommand(f))
    .addCommand(habitCommand('run view', 'alto run get'), { hidden: true })
    .addCommand(habitCommand('run list', 'alto wf runs <workflowId>'), { hidden: true })
    .addHelpText(
      'after',
      examples('alto run get fl_run_01h3...', 'alto run watch fl_run_01h3...', 'alto run logs fl_run_01h3... --json', 'alto run resume fl_run_01h3... --from n2 --watch'),
    );
}
