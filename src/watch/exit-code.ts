import { ExitCode } from '../errors.js';
import type { WatchResult } from './engine.js';

/**
 * Steps of the run logged as `error` (a completed run can have them: continue-on-error): every
 * distinct one the watch saw in any answer, or, for a result without that count, those of the
 * last answer (each id once).
 */
export function stepErrorCount(result: Pick<WatchResult, 'run' | 'stepErrors'>): number {
  if (result.stepErrors !== undefined) return result.stepErrors;
  // Renderers hand in runs straight from tests and hostile servers too: anything but a list of
  // objects counts what it can.
  const logs: unknown = result.run?.logs;
  const ids = new Set<unknown>();
  for (const log of Array.isArray(logs) ? logs : []) {
    if (typeof log === 'object' && log !== null && (log as { status?: unknown }).status === 'error') ids.add((log as { id?: unknown }).id);
  }
  return ids.size;
}

/** The exit code of a watch, from the contract's table (../shared/CLI.md). */
export function exitCodeForWatch(result: Pick<WatchResult, 'outcome' | 'run' | 'stepErrors'>, opts: { strict: boolean }): ExitCode {
  switch (result.outcome) {
    case 'completed':
      return opts.strict && stepErrorCount(result) > 0 ? ExitCode.RunFailed : ExitCode.Ok;
    case 'failed':
      return ExitCode.RunFailed;
    case 'awaiting_ui_interaction':
      return ExitCode.AwaitingUser;
    case 'timeout':
      return ExitCode.Timeout;
    case 'interrupted':
      return ExitCode.Interrupted;
    case 'lost_contact':
    case 'unknown_status':
      return ExitCode.Api;
  }
}
