import { UsageError } from './errors.js';
import type { OutputOptions, WatchOptions } from './commands/context.js';
import { parseDuration } from './util/duration.js';

/** Raw commander values of the watch flags. */
export interface RawWatchFlags {
  watch?: boolean;
  timeout: string;
  interval: string;
  maxOutage: string;
  strict?: boolean;
  verbose?: boolean;
}

/** Raw commander values of the output flags. */
export interface RawOutputFlags {
  json?: boolean;
  quiet?: boolean;
  output?: string;
}

const MIN_INTERVAL_MS = 100;

/** Turns the watch flags into milliseconds once; bad durations are exit 2 before anything is sent. */
export function parseWatchFlags(raw: RawWatchFlags): WatchOptions {
  const timeoutMs = parseDuration(raw.timeout, '--timeout');
  const intervalMs = parseDuration(raw.interval, '--interval');
  const maxOutageMs = parseDuration(raw.maxOutage, '--max-outage');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be more than 0');
  if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`--interval must be at least ${MIN_INTERVAL_MS}ms`);
  if (maxOutageMs < 0) throw new UsageError('--max-outage must not be negative');
  return { timeoutMs, intervalMs, maxOutageMs, strict: Boolean(raw.strict), verbose: Boolean(raw.verbose) };
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

/** A positive whole number for --page and --limit. */
export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of 1 or more, not "${value}"`);
  return Number(value);
}

/** A TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not "${value}"`);
  return n;
}
