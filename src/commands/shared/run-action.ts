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

/** Columns an example line may take (commander wraps the rest of the help at 80). */
export const EXAMPLE_WIDTH = 80;

/**
 * The "Examples:" block of a command's help. A line too long for 80 columns is broken at a space
 * outside quotes, with a shell continuation (` \\`), so a terminal never wraps it inside a quoted
 * string and the lines still paste as one command.
 */
export const examples = (...lines: string[]): string => `\nExamples:\n${lines.flatMap((l) => wrapExample(l, '  $ ')).join('\n')}\n`;

/** Shell words of a command line, quotes kept as written. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const ch of line) {
    if (quote) {
      word += ch;
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word += ch;
    } else if (ch === ' ') {
      if (word) words.push(word);
      word = '';
    } else word += ch;
  }
  if (word) words.push(word);
  return words;
}

function wrapExample(line: string, prefix: string): string[] {
  if (prefix.length + line.length <= EXAMPLE_WIDTH) return [`${prefix}${line}`];
  const indent = ' '.repeat(prefix.length + 2);
  const rows: string[][] = [[]];
  const width = (row: string[], lead: string) => lead.length + row.join(' ').length;
  for (const word of shellWords(line)) {
    const row = rows[rows.length - 1]!;
    const lead = rows.length === 1 ? prefix : indent;
    // Room for " word \\" on this row; a word longer than a whole row goes on one by itself.
    if (row.length > 0 && width([...row, word], lead) + 2 > EXAMPLE_WIDTH) {
      // A flag moves down with its value (`--output ndjson` stays together).
      const flag = row.length > 1 && row[row.length - 1]!.startsWith('-') && !word.startsWith('-') ? row.pop() : undefined;
      rows.push(flag ? [flag, word] : [word]);
    } else row.push(word);
  }
  return rows.map((row, i) => `${i === 0 ? prefix : indent}${row.join(' ')}${i < rows.length - 1 ? ' \\' : ''}`);
}
