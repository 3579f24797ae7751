import type { Command } from 'commander';
import { CI_FORMAT_CHOICES, detectCiFormat } from '../../ci/detect.js';
import type { Env } from '../../deps.js';
import { UsageError } from '../../errors.js';

/** Output flags shared by commands that print a run or a list. */
export interface OutputOptions {
  json: boolean;
  quiet: boolean;
  /** --output ndjson (execute, watch, rerun, resume). */
  ndjson: boolean;
  /** --ci-format as given (validated); undefined: ALTO_CI_FORMAT or detection decides. */
  ciFormat?: string;
  /** --junit FILE: where the JUnit XML report goes once the run has ended. */
  junit?: string;
}

/** Raw commander values of the output flags. */
export interface RawOutputFlags {
  json?: boolean;
  quiet?: boolean;
  output?: string;
  ciFormat?: string;
  junit?: string;
}

/** Declares --json, -q and (with ndjson) --output on a command. --ci-format/--junit go here later. */
export function addOutputFlags(cmd: Command, opts: { ndjson: boolean }): Command {
  cmd.option('--json', 'print one JSON document (the run) and nothing else on stdout').option('-q, --quiet', 'print only the run id, then nothing but errors');
  if (opts.ndjson) cmd.option('--output <format>', 'text, json or ndjson (one JSON event per line)');
  // The commands that follow a run (execute, watch, rerun, resume) are the ones with ndjson.
  if (opts.ndjson) {
    cmd.option('--ci-format <format>', `CI log dialect in text mode: ${CI_FORMAT_CHOICES.join(', ')} (env ALTO_CI_FORMAT; default auto)`);
    cmd.option('--junit <file>', 'write a JUnit XML report of the run to FILE when it ends');
  }
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
  const out: OutputOptions = { json: format === 'json', ndjson: format === 'ndjson', quiet: Boolean(raw.quiet) };
  if (raw.ciFormat !== undefined) {
    detectCiFormat({}, raw.ciFormat);
    out.ciFormat = raw.ciFormat;
  }
  if (raw.junit !== undefined) {
    if (raw.junit.trim() === '') throw new UsageError('--junit needs a file name');
    out.junit = raw.junit;
  }
  return out;
}

/**
 * Before a command with --ci-format runs (program's preAction hook): a bad ALTO_CI_FORMAT is
 * exit 2 before anything is sent, not after the run started. The flag, when given, wins.
 */
export function checkCiFormatEnv(cmd: Pick<Command, 'options' | 'getOptionValue'>, env: Env): void {
  if (!cmd.options.some((o) => o.long === '--ci-format')) return;
  const flag = cmd.getOptionValue('ciFormat') as string | undefined;
  if (flag === undefined) detectCiFormat(env);
}
