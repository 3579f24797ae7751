import { Command } from 'commander';
import { UsageError } from '../../errors.js';

const habits = new WeakSet<Command>();

/**
 * A hidden command for a word people type out of habit from other CLIs (`alto wf run`,
 * `alto run view`): whatever follows, it sends nothing and exits 2 with one line naming the
 * command they meant.
 */
export function habitCommand(words: string, instead: string): Command {
  const name = words.split(' ').pop() ?? words;
  const cmd = new Command(name)
    .argument('[args...]')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(() => {
      throw new UsageError(`unknown command '${words}' (did you mean '${instead}'?)`);
    });
  habits.add(cmd);
  return cmd;
}

/** True for a command made by habitCommand (it keeps no --help of its own). */
export function isHabitCommand(cmd: Command): boolean {
  return habits.has(cmd);
}
