import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { parseDuration } from '../../util/duration.js';

/** Watch flags of the contract, already parsed into milliseconds. */
export interface WatchOptions {
  timeoutMs: number;
  intervalMs: number;
  maxOutageMs: number;
  strict: boolean;
  verbose: boolean;
  /** --wait-approval: keep watching through awaiting_ui_interaction. */
  waitApproval?: boolean;
}

/** Raw commander values of the watch flags. */
export interface RawWatchFlags {
  watch?: boolean;
  timeout: string;
  interval: string;
  maxOutage: string;
  strict?: boolean;
  verbose?: boolean;
  waitApproval?: boolean;
}

const MIN_INTERVAL_MS = 100;

/** Flags that only mean something with --watch (commander attribute, flag). */
const WATCH_ONLY_FLAGS = [
  ['timeout', '--timeout'],
  ['interval', '--interval'],
  ['maxOutage', '--max-outage'],
  ['strict', '--strict'],
  ['verbose', '--verbose'],
  ['waitApproval', '--wait-approval'],
  ['junit', '--junit'],
] as const;

/** Declares the watch flags; withSwitch adds -w/--watch (execute, rerun, resume; not run watch). */
export function addWatchFlags(cmd: Command, opts: { withSwitch: boolean }): Command {
  if (opts.withSwitch) cmd.option('-w, --watch', 'follow the new run until it ends');
  return cmd
    .option('--timeout <duration>', 'stop watching after this long (the run keeps going)', '65m')
    .option('--interval <duration>', 'the slowest poll interval', '2s')
    .option('--max-outage <duration>', 'how long to retry through API errors before giving up (exit 5)', '5m')
    .option('--strict', 'exit 1 when the run completed with a step logged as error')
    .option('--verbose', 'print whole step outputs')
    .option('--wait-approval', 'keep watching while the run waits for a person in the dashboard');
}

/** Turns the watch flags into milliseconds once; bad durations are exit 2 before anything is sent. */
export function parseWatchFlags(raw: RawWatchFlags): WatchOptions {
  const timeoutMs = parseDuration(raw.timeout, '--timeout');
  const intervalMs = parseDuration(raw.interval, '--interval');
  const maxOutageMs = parseDuration(raw.maxOutage, '--max-outage');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be more than 0');
  if (intervalMs < MIN_INTERVAL_MS) throw new UsageError(`--interval must be at least ${MIN_INTERVAL_MS}ms`);
  if (maxOutageMs < 0) throw new UsageError('--max-outage must not be negative');
  const flags: WatchOptions = { timeoutMs, intervalMs, maxOutageMs, strict: Boolean(raw.strict), verbose: Boolean(raw.verbose) };
  if (raw.waitApproval) flags.waitApproval = true;
  return flags;
}

/**
 * The watch flags of a command with a --watch switch, or undefined without --watch. A watch
 * flag given without --watch would be silently ignored (a green step for a run that may fail):
 * exit 2, nothing sent. Only flags actually given count, not commander's defaults. Durations
 * are checked with or without --watch.
 */
export function watchOptionsOf(cmd: Command, raw: RawWatchFlags): WatchOptions | undefined {
  const flags = parseWatchFlags(raw);
  if (raw.watch) return flags;
  const given = WATCH_ONLY_FLAGS.filter(([name]) => {
    const source = cmd.getOptionValueSource(name);
    return source === 'cli' || source === 'env';
  }).map(([, flag]) => flag);
  if (given.length > 0) {
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'has' : 'have'} no effect without --watch`, 'add --watch (or -w) to follow the run');
  }
  return undefined;
}
