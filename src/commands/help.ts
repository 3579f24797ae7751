import { Command } from 'commander';
import { UsageError } from '../errors.js';

/**
 * `alto help [command...]`: the help of the command the words name, at any depth
 * (`alto help wf execute` is `alto wf execute --help`). commander's own help command only
 * follows the first word.
 */
export function newHelpCommand(root: Command): Command {
  return new Command('help')
    .argument('[command...]', 'the command to explain, e.g. wf execute')
    .description('show help for a command')
    .action((words: string[]) => {
      let cmd = root;
      for (const word of words) {
        const next = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!next || next.name() === 'help') {
          throw new UsageError(`unknown command "${[root.name(), ...words].join(' ')}"`, 'run alto --help for the commands');
        }
        cmd = next;
      }
      cmd.outputHelp();
    });
}
