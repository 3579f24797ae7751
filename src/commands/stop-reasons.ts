import { CliError, ExitCode } from '../errors.js';
import { stdoutFailureText } from '../stdout-failure.js';

/**
 * The reason the process signal aborts with when stdout is closed (EPIPE) or cannot be written
 * (ENOSPC, EIO: `writeCode`): exit 141, like SIGPIPE.
 */
export class StdoutClosedError extends CliError {
  readonly writeCode: string | undefined;
  constructor(runId?: string, writeCode?: string) {
    const what = stdoutFailureText(writeCode);
    super(
      runId === undefined ? what : `${what.replace(/ before all output was written$/, '')}; stopped watching run ${runId} (it keeps going)`,
      ExitCode.StdoutClosed,
      runId === undefined ? undefined : `re-attach with: alto run watch ${runId}`,
    );
    this.writeCode = writeCode;
  }
}

/** The reason the process signal aborts with on SIGTERM: treated like Ctrl-C, exit 143. */
export class TerminatedError extends CliError {
  constructor() {
    super('terminated (SIGTERM)', ExitCode.Terminated);
  }
}

/** The exit code a stop reason asks for, when the signal was aborted by one of alto's own reasons. */
export function stopCode(reason: unknown): number | undefined {
  return reason instanceof StdoutClosedError || reason instanceof TerminatedError ? reason.exitCode : undefined;
}
