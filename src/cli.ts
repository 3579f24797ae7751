// The process entry: builds the real dependencies, runs main, sets the exit code.
// With real-deps.ts (which builds the real IO, env and clock) and action/main.ts (the Action's
// entry), the only file in src/ that touches process directly.
import type { Deps } from './deps.js';
import { createRealDeps } from './real-deps.js';
import { stdoutFailureText } from './stdout-failure.js';
import { VERSION } from './version.js';

async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  // `alto --version` answers before commander or anything else is loaded.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    // A full disk or a closed pipe: one line and exit 141, as for every other command.
    process.stderr.on('error', () => {});
    process.stdout.once('error', (err: NodeJS.ErrnoException) => {
      process.stdout.on('error', () => {});
      process.stderr.write(`alto: ${stdoutFailureText(err.code)}\n`);
      process.exitCode = 141;
    });
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  // The rest of alto is a separate file (see scripts/build.mjs), so --version never loads it.
  const { main, InterruptedError, StdoutClosedError, TerminatedError } = await import('./main.js');
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => () => {
    interrupts += 1;
    // A second Ctrl-C (or SIGTERM) leaves at once, whatever is in flight.
    if (interrupts > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(signal === 'SIGINT' ? new InterruptedError('interrupted') : new TerminatedError());
  };
  const onSigint = onSignal('SIGINT');
  const onSigterm = onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  // `alto ... | head` closes stdout early. That is not success (the job may not be done): stop
  // what is in flight through the signal and exit 141, as a process killed by SIGPIPE would.
  // A write that fails otherwise (ENOSPC, EIO) is the same stop, said as "cannot write to stdout".
  let stdoutClosed = false;
  let stdoutCode: string | undefined;
  let finished = false;
  const closedAfterSuccess = () => {
    // The command did not get all its output out: never report success.
    process.stderr.write(`alto: ${stdoutFailureText(stdoutCode)}\n`);
    process.exitCode = 141;
  };
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    stdoutCode = err.code;
    // main prints the reason when the command stops on it; closedAfterSuccess when it did not.
    if (!controller.signal.aborted) controller.abort(new StdoutClosedError(undefined, err.code));
    // The error of the last writes arrives after main has returned.
    if (finished && process.exitCode === 0) closedAfterSuccess();
  });
  // A closed stderr has nobody left to tell; it must not crash the process either.
  process.stderr.on('error', () => {});
  const deps: Deps = createRealDeps(controller.signal);
  const code = await main(argv, deps);
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  finished = true;
  // No forced exit: the process ends by itself once stdout and stderr have drained (idle undici
  // sockets are unref'd; nothing else holds the event loop).
  process.exitCode = code;
  if (stdoutClosed && code === 0) closedAfterSuccess();
}

start().catch((err: unknown) => {
  process.stderr.write(`alto: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
