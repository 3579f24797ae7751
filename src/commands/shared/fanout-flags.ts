/** The fan-out flags of `wf execute --each` (parsed here; the work is in workflow/execute-each.ts, loaded lazily). */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parsePositiveInt } from './parse-number.js';

export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_RATE = 50;
/** More runs in flight than this would only wait on the rate budget. */
const MAX_CONCURRENCY = 1000;
/** Requests per minute: a fan-out faster than this is a mistake (the API allows 60 per token). */
const MAX_RATE = 6000;

export interface EachFlags {
  /** --each: a path, or "-" for stdin. */
  source: string;
  concurrency: number;
  failFast: boolean;
  /** --rate: requests per minute for the whole fan-out. */
  rate: number;
  labelKey?: string;
  /** --interval when given on the command line; else the fan-out's own default. */
  intervalMs?: number;
}

/** Raw commander values of the fan-out flags. */
export interface RawEachFlags {
  each?: string;
  concurrency?: string;
  failFast?: boolean;
  rate?: string;
  label?: string;
}

const FANOUT_ONLY = [
  ['concurrency', '--concurrency'],
  ['failFast', '--fail-fast'],
  ['rate', '--rate'],
  ['label', '--label'],
] as const;

/** Declares --each, --concurrency, --fail-fast, --rate and --label. */
export function addEachFlags(cmd: Command): Command {
  return cmd
    .option('--each <file>', 'one run per context: NDJSON (one object a line) or a .json array; "-" reads stdin')
    .option('--concurrency <n>', `with --each: runs started and not yet ended (default ${DEFAULT_CONCURRENCY})`)
    .option('--fail-fast', 'with --each: start no more runs after one fails')
    .option('--rate <n>', `with --each: requests per minute for the whole fan-out (default ${DEFAULT_RATE})`)
    .option('--label <key>', 'with --each: name each run by this context key (else its line number)');
}

function bounded(value: string, flag: string, max: number): number {
  const n = parsePositiveInt(value, flag);
  if (n > max) throw new UsageError(`${flag} must be at most ${max}, not ${n}`);
  return n;
}

/** The fan-out flags, or undefined without --each; a fan-out flag without --each is exit 2. */
export function eachFlagsOf(cmd: Command, raw: RawEachFlags, intervalMs: number): EachFlags | undefined {
  if (raw.each === undefined) {
    const given = FANOUT_ONLY.filter(([name]) => cmd.getOptionValueSource(name) === 'cli').map(([, flag]) => flag);
    if (given.length > 0) throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'needs' : 'need'} --each`, 'give the contexts with --each FILE (or - for stdin)');
    return undefined;
  }
  if (raw.each.trim() === '') throw new UsageError('--each needs a file name, or - for stdin');
  if (raw.label !== undefined && raw.label.trim() === '') throw new UsageError('--label must not be empty');
  return {
    source: raw.each,
    concurrency: raw.concurrency === undefined ? DEFAULT_CONCURRENCY : bounded(raw.concurrency, '--concurrency', MAX_CONCURRENCY),
    failFast: Boolean(raw.failFast),
    rate: raw.rate === undefined ? DEFAULT_RATE : bounded(raw.rate, '--rate', MAX_RATE),
    ...(raw.label !== undefined ? { labelKey: raw.label } : {}),
    ...(cmd.getOptionValueSource('interval') === 'cli' ? { intervalMs } : {}),
  };
}
