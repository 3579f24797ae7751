// Runs alto in the test's own process: src/main.ts `main(argv, deps)` with collecting streams,
// the row's environment as deps.env (never process.env), the real clock and the real dispatcher
// (so requests reach the loopback server for real). Same result shape as a spawned alto, for the
// rows whose meaning does not depend on a process (exit codes of main, output, requests sent).
// What only a process shows (signals, stdout draining/EPIPE, TTY, HOME/os.homedir, uids, the
// compile cache, NODE_OPTIONS, bin/alto.js itself) stays with spawned runs.
import { PassThrough } from 'node:stream';
import type { Deps } from '../../src/deps.js';
import { main } from '../../src/main.js';
import { createRealClock, createRealFiles } from '../../src/real-deps.js';
import { VERSION } from '../../src/version.js';

export interface InProcessResult {
  code: number | null;
  /** Always null unless the hard limit hit ('SIGKILL', like a killed child). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  ms: number;
}

export interface InProcessOptions {
  /** The complete environment alto sees (deps.env). */
  env: Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Give up after this long: the result then says signal 'SIGKILL' (the row fails). */
  hardLimitMs?: number;
}

function sink(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (d: Buffer) => chunks.push(d));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** alto argv, in this process; resolves like a child's close (code, stdout, stderr). */
export async function runAltoInProcess(argv: string[], opts: InProcessOptions): Promise<InProcessResult> {
  const started = performance.now();
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.on('error', () => undefined);
  stdin.end(opts.stdin ?? '');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  const controller = new AbortController();
  const deps: Deps = {
    io: { stdout: out.stream, stderr: err.stream, stdin },
    env: Object.freeze(env),
    clock: createRealClock(),
    signal: controller.signal,
    version: VERSION,
    files: createRealFiles(),
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<'killed'>((resolve) => {
    timer = setTimeout(() => resolve('killed'), opts.hardLimitMs ?? 12_000);
  });
  // As src/cli.ts: an error escaping main is an internal error, exit 70.
  const run = main(argv, deps).catch((e: unknown) => {
    err.stream.write(`alto: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 70;
  });
  const outcome = await Promise.race([run, limit]);
  clearTimeout(timer);
  if (outcome === 'killed') controller.abort(new Error('hard limit'));
  // Let the last writes reach the collectors.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const stdout = out.bytes();
  return {
    code: outcome === 'killed' ? null : outcome,
    signal: outcome === 'killed' ? 'SIGKILL' : null,
    stdout: stdout.toString(),
    stderr: err.bytes().toString(),
    stdoutBytes: stdout.length,
    ms: performance.now() - started,
  };
}
