import { Command } from 'commander';
import type { Factory } from '../../factory.js';
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
    .addCommand(newRunResumeCommand(f));
}
