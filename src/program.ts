import { Command, type Help, type Option } from 'commander';
import { newApiCommand } from './commands/api/api.js';
import { newAuthCommand } from './commands/auth/index.js';
import { newCompleteCommand } from './commands/completion/complete.js';
import { newCompletionCommand } from './commands/completion/completion.js';
import { newRunCommand } from './commands/run/index.js';
import { newSandboxCommand } from './commands/sandbox/sandbox.js';
import { checkCiFormatEnv } from './commands/shared/output-flags.js';
import { examples } from './commands/shared/run-action.js';
import { newWorkflowCommand } from './commands/workflow/index.js';
import { newHelpCommand } from './commands/help.js';
import { isHabitCommand } from './commands/shared/habit.js';
import { DEFAULT_REQUEST_TIMEOUT, type Factory } from './factory.js';

export type { GlobalOptions } from './factory.js';

/** The commander tree of the contract (../shared/CLI.md): global flags and the command groups. */
export function createProgram(f: Factory): Command {
  const program = new Command('alto');
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void f.io.out.write(s),
      writeErr: (s) => void f.io.err.write(s),
      // One line: "alto: unknown option '--contxt' (did you mean --context?)".
      // The value of an unknown --flag=value is never echoed: it may be a secret (--token=...).
      outputError: (s, write) =>
        write(
          `${s
            .replace(/^error: /, 'alto: ')
            .replace(/(unknown option '[^'=]+)=[^']*'/, "$1=…'")
            .replace(/\s*\n\(Did you mean (.*)\)\s*$/, ' (did you mean $1)')
            .trimEnd()}\n`,
        ),
    })
    .description('Run and follow Altostrat SDX workflows from a terminal, a CI step or a script.')
    .version(f.deps.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--api-url <url>', 'API base URL (env ALTO_API_URL)')
    .option('--profile <name>', 'stored profile to use (env ALTO_PROFILE)')
    .option('--debug', 'print each HTTP request and response to stderr, token redacted (env ALTO_DEBUG=1)')
    .option('--request-timeout <duration>', 'give up on one HTTP request after this long', DEFAULT_REQUEST_TIMEOUT)
    .option('--no-color', 'turn colour off (also NO_COLOR)')
    .showSuggestionAfterError(true)
    .configureHelp(helpConfig)
    .addHelpText('after', `${examples('alto auth login --with-token < token.txt', 'alto wf execute fl_01h3... --context ctx.json --watch', 'alto sandbox')}\nExit codes: 0 ok, 1 run failed, 2 usage, 3 auth, 4 not found, 5 API/network, 6 awaiting a person,\n            70 internal error, 124 --timeout, 130 interrupted, 141 stdout closed, 143 terminated.\n`)
    // Before any action: the global flags (wherever they were given) reach the factory.
    .hook('preAction', async (_root, action) => f.applyGlobals(action.optsWithGlobals()))
    // A bad ALTO_CI_FORMAT is exit 2 before a command with --ci-format sends anything.
    .hook('preAction', (_root, action) => checkCiFormatEnv(action, f.deps.env));

  for (const group of [newAuthCommand(f), newWorkflowCommand(f), newRunCommand(f), newSandboxCommand(f)]) program.addCommand(group);
  program.addCommand(newApiCommand(f));
  program.addCommand(newCompletionCommand(f));
  program.addCommand(newCompleteCommand(f), { hidden: true });
  // `alto help wf execute` shows execute's help (commander's own help command stops at `wf`).
  program.addCommand(newHelpCommand(program));
  inheritSettings(program);
  return program;
}

/** addCommand does not copy the root's settings (exit override, output, help flag): copy them down. */
function inheritSettings(parent: Command): void {
  for (const child of parent.commands) {
    child.copyInheritedSettings(parent);
    if (isHabitCommand(child)) child.helpOption(false);
    inheritSettings(child);
  }
}

/**
 * Help like gh's: the global flags under "Inherited options" on every subcommand (not the
 * version flag, nor a flag the command declares itself), and required options marked.
 */
const helpConfig: Partial<Help> = {
  showGlobalOptions: true,
  visibleGlobalOptions(this: Help, cmd: Command): Option[] {
    const own = new Set(cmd.options.map((o) => o.long));
    const seen = new Set<string | undefined>();
    const inherited: Option[] = [];
    for (let a = cmd.parent; a; a = a.parent) {
      for (const o of a.options) {
        if (o.hidden || o.long === '--version' || own.has(o.long) || seen.has(o.long)) continue;
        seen.add(o.long);
        inherited.push(o);
      }
    }
    return inherited;
  },
  formatItemList(this: Help, heading: string, items: string[], helper: Help): string[] {
    if (items.length === 0) return [];
    return [helper.styleTitle(heading === 'Global Options:' ? 'Inherited options:' : heading), ...items, ''];
  },
  optionDescription(this: Help, option: Option): string {
    const extra: string[] = [];
    if (option.mandatory) extra.push('required');
    if (option.defaultValue !== undefined && !option.negate && typeof option.defaultValue !== 'boolean') {
      extra.push(`default: ${option.defaultValueDescription ?? JSON.stringify(option.defaultValue)}`);
    }
    return extra.length > 0 ? `${option.description} (${extra.join(', ')})` : option.description;
  },
};
