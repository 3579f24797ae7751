/** `alto sandbox`: runs the local API emulator until Ctrl-C. */
import { isLoopbackHost } from '../../api/base-url.js';
import type { Deps, OutStream } from '../../deps.js';
import { isHeaderSafeToken } from '../../util/token.js';
import { UsageError } from '../../errors.js';
import { formatFaultRule, parseFaultRule } from '../../sandbox/faults.js';
import { loadScenarioFile } from '../../sandbox/scenario.js';
import { startSandbox } from '../../sandbox/server.js';
import type { RequestRecord, Sandbox } from '../../sandbox/types.js';


export interface SandboxCommandOptions {
  port: number;
  host: string;
  token?: string;
  workflows?: string;
  faults: string[];
  quiet: boolean;
  /** --rate-limit: requests per token per rolling minute (unset: no limit). */
  rateLimit?: number;
}


/** One log line per request; the Authorization header is never printed. */
export function formatRequestLine(record: RequestRecord): string {
  const status = record.status === null ? '---' : String(record.status);
  const took = record.duration_ms === null ? '' : ` ${Math.round(record.duration_ms)}ms`;
  const fault = record.fault ? ` [fault: ${record.fault}]` : record.refused ? ' [refused: rate limit]' : '';
  return `${record.method} ${record.path} ${status}${took}${fault}`;
}

function banner(sandbox: Sandbox, faults: string[], rateLimit: number | undefined): string {
  const width = Math.max(...sandbox.workflows.map((w) => w.id.length));
  const lines = [
    `alto sandbox listening on ${sandbox.url}`,
    `token: ${sandbox.token}`,
    '',
    `  export ALTO_API_URL=${sandbox.url} ALTO_TOKEN=${sandbox.token}`,
    '',
    'workflows:',
    ...sandbox.workflows.map((w) => `  ${w.id.padEnd(width)}  ${w.name}`),
  ];
  if (faults.length > 0) lines.push('faults:', ...faults.map((f) => `  ${f}`));
  if (rateLimit !== undefined) lines.push(`rate limit: ${rateLimit} requests per minute per token (429 with Retry-After beyond it)`);
  lines.push('', 'Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

const write = (stream: OutStream, text: string) => void stream.write(text);

/** Starts the sandbox, prints its URL on stdout and a banner on stderr, serves until deps.signal aborts. */
export async function runSandboxCommand(opts: SandboxCommandOptions, deps: Deps): Promise<number> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new UsageError(`invalid --port ${opts.port}: use a number from 0 to 65535 (0 = a free port)`);
  }
  if (opts.token !== undefined && !isHeaderSafeToken(opts.token)) {
    throw new UsageError('invalid --token: use printable characters without spaces');
  }
  if (opts.rateLimit !== undefined && !(Number.isInteger(opts.rateLimit) && opts.rateLimit >= 1 && opts.rateLimit <= 1_000_000)) {
    throw new UsageError(`invalid --rate-limit ${opts.rateLimit}: use a whole number of requests per minute, from 1 to 1000000`);
  }
  const faults = opts.faults.map(parseFaultRule);
  const scenarios = opts.workflows === undefined ? undefined : await loadScenarioFile(opts.workflows);
  if (!isLoopbackHost(opts.host)) {
    write(deps.io.stderr, `warning: --host ${opts.host} is not a loopback address: anyone who can reach it can call the sandbox\n`);
  }
  const { stderr } = deps.io;
  const sandbox = await startSandbox({
    port: opts.port,
    host: opts.host,
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    ...(scenarios !== undefined ? { scenarios } : {}),
    faults,
    ...(opts.rateLimit !== undefined ? { rateLimit: opts.rateLimit } : {}),
    clock: deps.clock,
    ...(opts.quiet ? {} : { onRequest: (record: RequestRecord) => write(stderr, `${formatRequestLine(record)}\n`) }),
  });
  try {
    write(deps.io.stdout, `${sandbox.url}\n`);
    const allFaults = [...faults, ...(scenarios?.faults ?? [])].map(formatFaultRule);
    write(stderr, banner(sandbox, allFaults, opts.rateLimit));
    await untilAborted(deps.signal);
  } finally {
    await sandbox.close();
  }
  return 0;
}
