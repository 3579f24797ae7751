// Answers `alto __complete <words…>` (cobra's protocol): candidates one per line, then `:<directive>`.
// `words` are the command-line words after `alto`; the last one is the word being completed ("" after
// a space). Everything comes from the commander tree and a local cache: never a network call.
import type { Command, Option } from 'commander';
import { CI_FORMAT_CHOICES } from '../ci/detect.js';

/** Bits of the last line, as cobra defines them. */
export const Directive = {
  /** The shell may fall back to file names when there are no candidates. */
  Default: 0,
  /** No space after the completed word. */
  NoSpace: 2,
  /** Never fall back to file names. */
  NoFileComp: 4,
} as const;

export interface CompletionResult {
  candidates: string[];
  directive: number;
}

export interface CompletionSources {
  /** Workflow ids from the local cache (readWorkflowCache); never the network. */
  workflowIds?: () => Promise<readonly string[]>;
}

/** Values offered for flags whose values alto knows (commander `.choices()` are offered too). */
const FLAG_VALUES: Record<string, readonly string[]> = {
  '--output': ['text', 'json', 'ndjson'],
  '--ci-format': CI_FORMAT_CHOICES,
};
/** Flags whose value is a file: the shell completes file names. */
const FILE_FLAGS = new Set(['--context', '--each', '--junit', '--workflows', '--input']);
/** Flags and arguments whose value is a workflow id. */
const WORKFLOW_FLAGS = new Set(['--workflow']);
const WORKFLOW_ARGS = new Set(['workflowId']);

const MAX_WORDS = 200;
const MAX_CANDIDATES = 1000;

/** Options a command accepts: its own (with help), then every ancestor's (the global ones). */
function optionsOf(cmd: Command): Option[] {
  const own = cmd.createHelp().visibleOptions(cmd);
  const inherited: Option[] = [];
  for (let p = cmd.parent; p; p = p.parent) inherited.push(...p.options.filter((o) => !o.hidden));
  return [...own, ...inherited];
}

function findOption(cmd: Command, flag: string): Option | undefined {
  return optionsOf(cmd).find((o) => o.long === flag || o.short === flag);
}

const takesValue = (o: Option | undefined) => o !== undefined && (o.required || o.optional);

async function valuesFor(option: Option, sources: CompletionSources): Promise<CompletionResult> {
  const long = option.long ?? '';
  if (option.argChoices) return { candidates: [...option.argChoices], directive: Directive.NoFileComp };
  const known = FLAG_VALUES[long];
  if (known) return { candidates: [...known], directive: Directive.NoFileComp };
  if (WORKFLOW_FLAGS.has(long)) return { candidates: [...((await sources.workflowIds?.()) ?? [])], directive: Directive.NoFileComp };
  if (FILE_FLAGS.has(long)) return { candidates: [], directive: Directive.Default };
  return { candidates: [], directive: Directive.NoFileComp };
}

function withPrefix(r: CompletionResult, current: string, prefix = ''): CompletionResult {
  const candidates = r.candidates
    .map((c) => prefix + c)
    .filter((c) => c.startsWith(current))
    .slice(0, MAX_CANDIDATES);
  return { candidates, directive: r.directive };
}

/** Completion candidates for the words after `alto`; the last word is the one being completed. */
export async function complete(program: Command, words: readonly string[], sources: CompletionSources = {}): Promise<CompletionResult> {
  const all = words.length === 0 ? [''] : words.slice(-MAX_WORDS);
  const current = all[all.length - 1] ?? '';
  const before = all.slice(0, -1);
  let cmd = program;
  let positional = 0;
  let afterDashes = false;
  let pending: Option | undefined;
  for (const word of before) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (!afterDashes && word === '--') {
      afterDashes = true;
    } else if (!afterDashes && word.startsWith('-') && word !== '-') {
      const option = findOption(cmd, word.split('=')[0] ?? word);
      if (option?.required && !word.includes('=')) pending = option;
    } else {
      const sub = afterDashes ? undefined : cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (sub) {
        cmd = sub;
        positional = 0;
      } else {
        positional++;
      }
    }
  }

  if (pending) return withPrefix(await valuesFor(pending, sources), current);
  if (!afterDashes && current.startsWith('--') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('='));
    const option = findOption(cmd, flag);
    if (!takesValue(option)) return { candidates: [], directive: Directive.NoFileComp };
    return withPrefix(await valuesFor(option as Option, sources), current, `${flag}=`);
  }
  if (!afterDashes && current.startsWith('-')) {
    const flags = optionsOf(cmd).flatMap((o) => (current.startsWith('--') ? [o.long] : [o.long, o.short]));
    const unique = [...new Set(flags.filter((f): f is string => typeof f === 'string'))];
    return withPrefix({ candidates: unique, directive: Directive.NoFileComp }, current);
  }
  const subs = cmd.createHelp().visibleCommands(cmd);
  if (subs.length > 0 && positional === 0) {
    const names = subs.flatMap((c) => [c.name(), ...c.aliases()]);
    return withPrefix({ candidates: names, directive: Directive.NoFileComp }, current);
  }
  const arg = cmd.registeredArguments[Math.min(positional, cmd.registeredArguments.length - 1)];
  if (arg && WORKFLOW_ARGS.has(arg.name()) && (positional < cmd.registeredArguments.length || arg.variadic)) {
    return withPrefix({ candidates: [...((await sources.workflowIds?.()) ?? [])], directive: Directive.NoFileComp }, current);
  }
  return { candidates: [], directive: Directive.NoFileComp };
}

/** The text `alto __complete` prints: candidates one per line (line breaks removed), then `:<directive>`. */
export function formatCompletion(result: CompletionResult): string {
  const lines = result.candidates.map((c) => c.replace(/[\r\n]/g, '')).filter((c) => c !== '' && !c.startsWith(':'));
  return `${[...lines, `:${result.directive}`].join('\n')}\n`;
}
