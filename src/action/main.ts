// The GitHub Action's process entry (action.yml `runs.main`, bundled to action/index.cjs): like
// src/cli.ts it builds the real dependencies, touches process, and sets process.exitCode.
import { cryptoToken } from '../ci/random.js';
import type { Deps } from '../deps.js';
import { createRealDeps, createRealFiles } from '../real-deps.js';
import { InterruptedError, StdoutClosedError, TerminatedError, main } from '../main.js';
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
  const real = createRealDeps(controller.signal);
  const files = real.files ?? createRealFiles();
  const deps: Deps = { ...real, files, randomToken: cryptoToken };
  const code = await runAction(deps, {
    appendFile: files.appendFile,
    randomToken: cryptoToken,
    main,
  });
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  process.exitCode = code;
}

start().catch((err: unknown) => {
  process.stderr.write(`alto action: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
