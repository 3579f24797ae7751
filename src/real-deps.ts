// The real clock and file writes, for the process entries (src/cli.ts and src/action/main.ts):
// like them, this file may touch the process, the wall clock and timers.
import type { Clock, Deps, FileWriter, IO } from './deps.js';
import { VERSION } from './version.js';

/** The process's streams; creating process.stdin costs ~3 ms, so only the commands that read it pay. */
export function createRealIO(): IO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    get stdin() {
      return process.stdin;
    },
  };
}

/**
 * The wall clock, monotonic: an epoch origin taken once plus process.hrtime, so a clock step
 * (NTP) cannot bend a poll schedule, and without loading perf_hooks for `performance`.
 */
export function createRealClock(): Clock {
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

/** Report files (--junit, $GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY); node:fs/promises loads on first use. */
export function createRealFiles(): FileWriter {
  return {
    appendFile: async (path, text) => (await import('node:fs/promises')).appendFile(path, text, 'utf8'),
    writeFile: async (path, text) => (await import('node:fs/promises')).writeFile(path, text, 'utf8'),
  };
}

/** Everything a process entry hands to main: the real streams, environment, clock and files. */
export function createRealDeps(signal: AbortSignal): Deps {
  return { io: createRealIO(), env: process.env, clock: createRealClock(), signal, version: VERSION, files: createRealFiles() };
}
