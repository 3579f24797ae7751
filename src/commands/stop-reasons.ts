import { CliError, ExitCode, InterruptedError } from '../errors.js';
import { stdoutFailureText } from '../stdout-failure.js';

/**
 * The reason the process signal aborts with when stdout is closed (EPIPE) or cannot be written
 * (ENOSPC, EIO: `writeCode`): exit 141, like SIGPIPE. With a run id, the hint re-attaches with
 * `reattach` (default: `alto run watch <id>`).
 */
export class StdoutClosedError extends CliError {
  readonly writeCode: string | undefined;
  constructor(runId?: string, writeCode?: string, reattach = `alto run watch ${runId}`) {
    const what = stdoutFailureText(writeCode);
    super(
      runId === undefined ? what : `${what.replace(/ before all output was written$/, '')}; stopped watching run ${runId} (it keeps going)`,
      ExitCode.StdoutClosed,
      runId === undefined ? undefined : `re-attach with: ${reattach}`,
    );
    this.writeCode = writeCode;
  }
}

/**
 * The stderr lines of a watch of `runId` (already made safe) that stopped because stdout closed
 * (`reason`): what happened, and the command (`reattach`) that picks it up again.
 */
export function stdoutClosedLines(reason: StdoutClosedError, runId: string, reattach: string): string {
  const closed = new StdoutClosedError(runId, reason.writeCode, reattach);
  return `alto: ${closed.message}\n  ${closed.hint}\n`;
}

/** The reason the process signal aborts with on SIGTERM: treated like Ctrl-C, exit 143. */
export class TerminatedError extends CliError {
  constructor(message = 'terminated (SIGTERM)', hint?: string) {
    super(message, ExitCode.Terminated, hint);
  }
}

/**
 * Ctrl-C or SIGTERM while a request that starts a run was in flight: it may have reached the
 * API, so the stop says so (`what`) and how to find the run (`hint`). Same exit code as the
 * stop itself (130, 143); undefined when the signal was not stopped by one of those.
 */
export function launchStopped(signal: AbortSignal, what: string, hint: string): CliError | undefined {
  if (!signal.aborted) return undefined;
  if (signal.reason instanceof TerminatedError) return new TerminatedError(`terminated (SIGTERM) ${what}`, hint);
  if (signal.reason instanceof InterruptedError) return new InterruptedError(`interrupted ${what}`, hint);
  return undefined;
}

/** The exit code a stop reason asks for, when the signal was aborted by one of alto's own reasons (Ctrl-C, SIGTERM, stdout closed). */
export function stopCode(reason: unknown): number | undefined {
  return reason instanceof StdoutClosedError || reason instanceof TerminatedError || reason instanceof InterruptedError ? reason.exitCode : undefined;
}
