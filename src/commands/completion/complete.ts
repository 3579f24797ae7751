import { Command } from 'commander';
import type { Factory } from '../../factory.js';

/** What `alto __complete` gets: the words after `alto` (the last one being completed) and the tree to search. */
export interface CompleteOptions {
  words: string[];
  program: Command;
}

export type CompleteRun = (f: Factory, opts: CompleteOptions) => Promise<number>;

/** Answers from the commander tree and the workflow-id cache `wf list` wrote: never the network. */
const completeRun: CompleteRun = async (f, opts) => {
  const [{ complete, formatCompletion }, { readWorkflowCache, nodeCacheFs }, { configDir }] = await Promise.all([
    import('../../completion/complete.js'),
    import('../../completion/workflow-cache.js'),
    import('../../config/paths.js'),
  ]);
  const workflowIds = async () => {
    try {
      return await readWorkflowCache(configDir(f.deps.env), f.deps.clock.now(), nodeCacheFs);
    } catch {
      return []; // no config directory: no ids
    }
  };
  f.io.out.write(formatCompletion(await complete(opts.program, opts.words, { workflowIds })));
  return 0;
};

/**
 * The words after `__complete`, exactly as given: commander may have consumed some as the root's
 * options (--api-url, --profile), so they are read from the root's raw arguments. The scripts put
 * `--` first, so that the root parses none of them; that one `--` is dropped here.
 */
export function completionWords(rawArgs: readonly string[]): string[] {
  const at = rawArgs.indexOf('__complete');
  const words = at < 0 ? [] : rawArgs.slice(at + 1);
  return words[0] === '--' ? words.slice(1) : words;
}

/** Hidden `alto __complete -- <words…>`: completion candidates one per line, then `:<directive>`. */
export function newCompleteCommand(f: Factory, runF: CompleteRun = completeRun): Command {
  return new Command('__complete')
    .argument('[words...]')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(async (_words: unknown, _opts: unknown, cmd: Command) => {
      let root = cmd;
      while (root.parent) root = root.parent;
      // rawArgs is commander's copy of the argv given to parse (public, but missing from its types).
      const raw = (root as unknown as { rawArgs?: unknown }).rawArgs;
      const words = !Array.isArray(raw) ? cmd.args : root === cmd ? completionWords(['__complete', ...raw.map(String)]) : completionWords(raw.map(String));
      f.setExit(await runF(f, { words, program: root }));
    });
}
