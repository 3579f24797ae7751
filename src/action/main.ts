// The GitHub Action's process entry (action.yml `runs.main`, bundled to action/index.cjs): like
// src/cli.ts it builds the real dependencies, touches process, and sets process.exitCode.
import { appendFile, writeFile } from 'node:fs/promises';
import { cryptoToken } from '../ci/random.js';
import type { Clock, Deps } from '../deps.js';
import { InterruptedError, StdoutClosedError, TerminatedError, main } from '../main.js';
import { VERSION } from '../version.js';
import { runAction } from './run-action.js';

async function start(): Promise<void> {
  // The runner cancels a step with SIGINT, then SIGTERM: alto stops watching (the run keeps going).
  const controller = new AbortController();
  const onSigint = () => controller.abort(new InterruptedError('interrupted'));
  const onSigterm = () => controller.abort(new TerminatedError());
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  process.stdout.on('error', () => controller.abort(new StdoutClosedError()));
  process.stderr.on('error', () => {});
  const deps: Deps = {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      get stdin() {
        return process.stdin;
      },
    },
    env: process.env,
    clock: realClock(),
    signal: controller.signal,
    version: VERSION,
    files: { appendFile: (path, text) => appendFile(path, text, 'utf8'), writeFile: (path, text) => writeFile(path, text, 'utf8') },
    randomToken: cryptoToken,
  };
  const code = await runAction(deps, {
    appendFile: (path, text) => appendFile(path, text, 'utf8'),
    randomToken: cryptoToken,
    main,
  });
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  process.exitCode = code;
}

/** The wall clock, monotonic (as src/cli.ts builds it: an epoch origin plus process.hrtime). */
function realClock(): Clock {
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
  process.stderr.write(`alto action: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
