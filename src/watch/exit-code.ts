import { ExitCode } from '../errors.js';
import type { WatchResult } from './engine.js';

/** Steps of the run logged as `error` (a completed run can have them: continue-on-error). */
export function stepErrorCount(result: Pick<WatchResult, 'run'>): number {
  return (result.run?.logs ?? []).filter((log) => log.status === 'error').length;
}

/** The exit code of a watch, from the contract's table (../shared/CLI.md). */
export function exitCodeForWatch(result: Pick<WatchResult, 'outcome' | 'run'>, opts: { strict: boolean }): ExitCode {
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
