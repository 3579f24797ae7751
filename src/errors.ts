/** Exit codes of the command-line contract (../shared/CLI.md). One table, mapped in main.ts. */
export const ExitCode = {
  Ok: 0,
  RunFailed: 1,
  Usage: 2,
  Auth: 3,
  NotFound: 4,
  Api: 5,
  AwaitingUser: 6,
  Internal: 70,
  Timeout: 124,
  Interrupted: 130,
  StdoutClosed: 141,
  Terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that alto expects and explains: one line, an optional hint, an exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad flag, bad duration, unreadable or invalid input: nothing was sent. Exit 2. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Usage, hint);
  }
}

/**
 * The API refused the request itself (400, 413, 422): sending it again cannot succeed. Exit 2,
 * with the API's own reason. `status` lets a command add what it knows (413: the context size).
 */
export class RequestRejectedError extends UsageError {
  readonly status: number;
  constructor(message: string, opts: { status: number; hint?: string }) {
    super(message, opts.hint);
    this.status = opts.status;
  }
}

/** No token, or the API answered 401/403. Exit 3. */
export class AuthError extends CliError {
  readonly status: number | undefined;
  constructor(message: string, hint?: string, status?: number) {
    super(message, ExitCode.Auth, hint);
    this.status = status;
  }
}

/** The workflow or run does not exist (404). Exit 4. */
export class NotFoundError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.NotFound, hint);
  }
}

/** The API answered with an error alto could not get past. Exit 5. */
export class ApiError extends CliError {
  readonly status: number;
  readonly code: string | undefined;
  /** Worth another try (409, 429, 502-504, a 2xx body that is not JSON); see isRetryable. */
  readonly retryable: boolean;
  /** Milliseconds the server asked us to wait (Retry-After), if it said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    opts: { status: number; code?: string; retryable?: boolean; retryAfterMs?: number; hint?: string },
  ) {
    super(message, ExitCode.Api, opts.hint);
    this.status = opts.status;
    this.code = opts.code;
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** The request did not get an answer: refused, reset, timed out, DNS. Exit 5. */
export class NetworkError extends CliError {
  /** True when the request cannot have reached the server (refused, DNS, connect timeout). */
  readonly unsent: boolean;
  readonly causeCode: string | undefined;
  constructor(message: string, opts: { unsent: boolean; causeCode?: string; hint?: string }) {
    super(message, ExitCode.Api, opts.hint);
    this.unsent = opts.unsent;
    this.causeCode = opts.causeCode;
  }
}

/** A response whose shape alto cannot use (missing or wrongly typed fields). Exit 5. */
export class ResponseShapeError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Api);
  }
}

/** Ctrl-C: the command stopped; a run on the server keeps going. Exit 130. */
export class InterruptedError extends CliError {
  constructor(message = 'interrupted', hint?: string) {
    super(message, ExitCode.Interrupted, hint);
  }
}
