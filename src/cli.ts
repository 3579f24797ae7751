// The process entry: builds the real dependencies, runs main, sets the exit code.
// The only file in src/ (with the io module) that touches process directly.
import type { Clock, Deps } from './deps.js';
import { VERSION } from './version.js';

async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  // `alto --version` answers before commander or anything else is loaded.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  // The rest of alto is a separate file (see scripts/build.mjs), so --version never loads it.
  const { main, InterruptedError } = await import('./main.js');
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    // A second Ctrl-C leaves at once, whatever is in flight.
    if (interrupts > 1) process.exit(130);
    controller.abort(new InterruptedError('interrupted'));
  };
  process.on('SIGINT', onSigint);
  // `alto ... | head` closes stdout early: that is not an error worth a stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const deps: Deps = {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      // Creating process.stdin costs ~3 ms; only the commands that read it pay for it.
      get stdin() {
        return process.stdin;
      },
    },
    env: process.env,
    clock: createRealClock(),
    signal: controller.signal,
    version: VERSION,
  };
  const code = await main(argv, deps);
  process.off('SIGINT', onSigint);
  process.exitCode = code;
  // Nothing should keep the process alive now; if a stray socket or timer does, leave anyway.
  setTimeout(() => process.exit(code), 500).unref();
}

/**
 * The wall clock, monotonic: an epoch origin taken once plus process.hrtime, so a clock step
 * (NTP) cannot bend a poll schedule, and without loading perf_hooks for `performance`.
 */
function createRealClock(): Clock {
  const originMs = Date.now();
  const originNs = process.hrtime.bigint();
  return {
    now: () => originMs + Number(process.hrtime.bigint() - originNs) / 1e6,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          clearTimeout(timer);
          reject(signal?.reason);
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

start().catch((err: unknown) => {
  process.stderr.write(`alto: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
