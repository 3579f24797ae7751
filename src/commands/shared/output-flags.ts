import type { Command } from 'commander';
import { UsageError } from '../../errors.js';

/** Output flags shared by commands that print a run or a list. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** --output ndjson (execute, watch, rerun, resume). */
  ndjson: boolean;
}

/** Raw commander values of the output flags. */
export interface RawOutputFlags {
  json?: boolean;
  quiet?: boolean;
  output?: string;
}

/** Declares --json, -q and (with ndjson) --output on a command. --ci-format/--junit go here later. */
export function addOutputFlags(cmd: Command, opts: { ndjson: boolean }): Command {
  cmd.option('--json', 'print one JSON document (the run) and nothing else on stdout').option('-q, --quiet', 'print only the run id, then nothing but errors');
  if (opts.ndjson) cmd.option('--output <format>', 'text, json or ndjson (one JSON event per line)');
  return cmd;
}

/** --json, -q and --output text|json|ndjson; contradictory combinations are exit 2. */
export function parseOutputFlags(raw: RawOutputFlags, allowNdjson: boolean): OutputOptions {
  const format = raw.output ?? (raw.json ? 'json' : 'text');
  const formats = allowNdjson ? ['text', 'json', 'ndjson'] : ['text', 'json'];
  if (!formats.includes(format)) {
    throw new UsageError(`invalid value for --output: "${raw.output}"`, `use one of: ${formats.join(', ')}`);
  }
  if (raw.json && raw.output !== undefined && raw.output !== 'json') {
    throw new UsageError(`--json and --output ${raw.output} contradict each other`);
  }
  if (raw.quiet && format !== 'text') throw new UsageError(`--quiet and --${format === 'json' ? 'json' : 'output ndjson'} cannot be used together`);
  return { json: format === 'json', ndjson: format === 'ndjson', quiet: Boolean(raw.quiet) };
}
