import type { ApiClient, CallOptions } from '../../src/api/workflows-api.js';
import type { Workflow, WorkflowLog, WorkflowRun, WorkflowRunPage } from '../../src/api/types.js';
import { createFactory, type Factory } from '../../src/factory.js';
import { ApiError, CliError, NetworkError } from '../../src/errors.js';
import { createPalette } from '../../src/ui/palette.js';
import type { FakeClock } from './fake-clock.js';

/** What getRun answers at a moment: a run, or a typed error to throw. */
export type RunScript = (elapsedMs: number, call: number) => WorkflowRun | CliError;

export interface FakeClientOptions {
  clock: FakeClock;
  /** getRun's answers as a function of time since `origin`. */
  getRun?: RunScript;
  /** listRuns' pages. */
  listRuns?: (workflowId: string, page: number) => WorkflowRunPage;
  /** Clock time the script's elapsed time counts from (default: the clock at creation). */
  origin?: number;
  /** Time each request takes (the clock moves on by it). */
  latencyMs?: number;
  /** Delay between the client's own retries of a retryable failure (default 1000). */
  retryDelayMs?: number;
}

export interface FakeClient extends ApiClient {
  /** Requests sent (retries included), as ms since origin. */
  readonly getRunTimes: number[];
  /** getRun calls made by the caller (retries not counted). */
  getRunCalls: number;
  readonly getRunOptions: CallOptions[];
  readonly listRunsPages: number[];
}

function isRetryable(err: CliError): boolean {
  return err instanceof NetworkError || (err instanceof ApiError && err.retryable);
}

/**
 * An ApiClient whose getRun follows a script on the fake clock and, like the real one, retries
 * retryable failures (onRetry, sleep) until `retryUntil`, then throws. Unscripted calls throw.
 */
export function createFakeClient(opts: FakeClientOptions): FakeClient {
  const { clock } = opts;
  const origin = opts.origin ?? clock.now();
  const retryDelay = opts.retryDelayMs ?? 1000;
  const unexpected = (name: string) => async () => {
    throw new Error(`unexpected call: ${name}`);
  };
  const client: FakeClient = {
    baseUrl: 'http://fake.invalid',
    getRunTimes: [],
    getRunCalls: 0,
    getRunOptions: [],
    listRunsPages: [],
    listWorkflows: unexpected('listWorkflows') as () => Promise<Workflow[]>,
    getWorkflow: unexpected('getWorkflow') as () => Promise<Workflow>,
    executeWorkflow: unexpected('executeWorkflow') as ApiClient['executeWorkflow'],
    rerunRun: unexpected('rerunRun') as ApiClient['rerunRun'],
    resumeRun: unexpected('resumeRun') as ApiClient['resumeRun'],
    async getRun(_runId, options = {}) {
      if (!opts.getRun) throw new Error('unexpected call: getRun');
      client.getRunCalls += 1;
      client.getRunOptions.push(options);
      for (let attempt = 1; ; attempt += 1) {
        if (options.signal?.aborted) throw options.signal.reason;
        client.getRunTimes.push(clock.now() - origin);
        if (opts.latencyMs) clock.advance(opts.latencyMs);
        const answer = opts.getRun(clock.now() - origin, client.getRunTimes.length);
        if (!(answer instanceof CliError)) return structuredClone(answer);
        const until = options.retryUntil ?? clock.now();
        const delay = answer instanceof ApiError && answer.retryAfterMs !== undefined ? answer.retryAfterMs : retryDelay;
        if (!isRetryable(answer) || clock.now() + delay > until) throw answer;
        options.onRetry?.({ attempt, delayMs: delay, error: answer });
        await clock.sleep(delay, options.signal);
      }
    },
    async listRuns(workflowId, page) {
      if (!opts.listRuns) throw new Error('unexpected call: listRuns');
      client.listRunsPages.push(page);
      return structuredClone(opts.listRuns(workflowId, page));
    },
  };
  return client;
}

export interface ScriptedLog {
  /** When the step is logged, ms after the run started. */
  atMs: number;
  node: string;
  status?: WorkflowLog['status'];
  component?: string;
  output?: unknown;
}

export interface ScriptedRun {
  id?: string;
  /** The run ends this long after it started. */
  durationMs: number;
  /** Its final status (default completed). */
  end?: string;
  error?: string;
  logs?: ScriptedLog[];
  /** Status before the end (default running; pending for the first 100 ms). */
  during?: string;
  /** Clock time the run started (default: the fake clock's start). */
  startedAt?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

/** A log as the API returns it. */
export function makeLog(n: number, over: Partial<WorkflowLog> = {}): WorkflowLog {
  return {
    id: `fl_log_${String(n).padStart(4, '0')}`,
    node_id: `n${n}`,
    component_id: 'http_request',
    status: 'success',
    output: { step: n },
    created_at: '2025-10-31T12:00:00.000000Z',
    ...over,
  };
}

/** A run as the API returns it. */
export function makeRun(over: Partial<WorkflowRun> = {}): WorkflowRun {
  return {
    id: 'fl_run_1',
    status: 'running',
    error_message: null,
    started_at: '2025-10-31T12:00:00.000000Z',
    completed_at: null,
    duration_in_seconds: null,
    logs: [],
    ...over,
  };
}

/** A getRun script for a run that runs for durationMs and then ends, logging steps on the way. */
export function scriptRun(spec: ScriptedRun, startedAt: number): RunScript {
  return (t) => {
    const ended = t >= spec.durationMs;
    const logs = (spec.logs ?? [])
      .filter((l) => l.atMs <= t)
      .map((l, i) =>
        makeLog(i + 1, {
          id: `fl_log_${l.node}`,
          node_id: l.node,
          status: l.status ?? 'success',
          component_id: l.component ?? 'http_request',
          output: l.output ?? { ok: true },
          created_at: iso((spec.startedAt ?? startedAt) + l.atMs),
        }),
      );
    return makeRun({
      id: spec.id ?? 'fl_run_1',
      status: ended ? (spec.end ?? 'completed') : t < 100 ? 'pending' : (spec.during ?? 'running'),
      error_message: ended ? (spec.error ?? null) : null,
      started_at: iso(spec.startedAt ?? startedAt),
      completed_at: ended ? iso((spec.startedAt ?? startedAt) + spec.durationMs) : null,
      duration_in_seconds: ended ? spec.durationMs / 1000 : null,
      logs,
    });
  };
}

export interface TestContextOptions {
  client: ApiClient;
  clock: FakeClock;
  io: import('../../src/deps.js').IO;
  interactive?: boolean;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

/** A Factory over fakes, with colour off (palette level 0) and the given client. */
export function makeContext(opts: TestContextOptions): Factory {
  const palette = createPalette(0);
  const f = createFactory({
    io: opts.io,
    env: opts.env ?? {},
    clock: opts.clock,
    signal: opts.signal ?? new AbortController().signal,
    version: '0.0.0-test',
  });
  return { ...f, io: f.io, palette, errPalette: palette, interactive: opts.interactive ?? false, client: async () => opts.client };
}
