import { Command } from 'commander';
import { COMPLETION_SHELLS, isCompletionShell, type CompletionShell } from '../../completion/shells.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface CompletionOptions {
  shell: CompletionShell;
}

export type CompletionRun = (f: Factory, opts: CompletionOptions) => Promise<number>;

// The scripts load only when asked for: `alto --help` and `--version` never read them.
const completionRun: CompletionRun = async (f, opts) => {
  const { completionScript } = await import('../../completion/scripts.js');
  f.io.out.write(completionScript(opts.shell));
  return 0;
};

/** alto completion bash|zsh|fish|powershell: prints a script that asks `alto __complete`. */
export function newCompletionCommand(f: Factory, runF: CompletionRun = completionRun): Command {
  return new Command('completion')
    .argument('<shell>', COMPLETION_SHELLS.join(', '))
    .description('print a shell completion script (commands, flags, workflow ids from `wf list`)')
    .addHelpText(
      'after',
      examples('source <(alto completion bash)', 'source <(alto completion zsh)', 'alto completion fish | source', 'alto completion powershell | Out-String | Invoke-Expression'),
    )
    .action(
      runAction(f, ([shell]) => {
        const name = String(shell).toLowerCase();
        if (!isCompletionShell(name)) throw new UsageError(`no completion for shell "${shell}"`, `use one of: ${COMPLETION_SHELLS.join(', ')}`);
        return runF(f, { shell: name });
      }),
    );
}
