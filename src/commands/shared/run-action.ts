import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';

export type Opts = Record<string, unknown>;

/**
 * Wraps a command's action: checks that no argument is empty (an empty id would address another
 * endpoint: "/workflows/runs/" + ""), calls fn with the arguments, the raw options and the
 * command, and hands its exit code to the factory.
 */
export function runAction(f: Pick<Factory, 'setExit'>, fn: (args: string[], opts: Opts, cmd: Command) => Promise<number>) {
  return async (...all: unknown[]): Promise<void> => {
    const cmd = all[all.length - 1] as Command;
    const opts = all[all.length - 2] as Opts;
    const args = all.slice(0, -2) as string[];
    args.forEach((arg, i) => {
      if (typeof arg === 'string' && arg.trim() === '') {
        throw new UsageError(`<${cmd.registeredArguments[i]?.name() ?? 'argument'}> must not be empty`);
      }
    });
    f.setExit(await fn(args, opts, cmd));
  };
}

/** The "Examples:" block of a command's help. */
export const examples = (...lines: string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
