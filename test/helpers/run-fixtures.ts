import type { MockAgent } from 'undici';
import type { WorkflowLog, WorkflowRun } from '../../src/api/types.js';
import type { FakeClock } from './fake-clock.js';

/** What the API answers at a moment: a run (200), or a status with a body and headers. */
export type RunAnswer = WorkflowRun | { httpStatus: number; body?: unknown; headers?: Record<string, string> };
/** An answer as a function of time since the script's origin and of the request's number (1-based). */
export type RunScript = (elapsedMs: number, call: number) => RunAnswer;

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
  /** Clock time the run started (default: the script's origin). */
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

/** A script for a run that runs for durationMs and then ends, logging steps on the way. */
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

export interface ServedRun {
  /** When each GET arrived, as ms since the origin (retries included). */
  readonly times: number[];
}

/**
 * Serves GET /workflows/runs/<runId> on the MockAgent from a script of the fake clock's time:
 * the real client's retries, deadlines and budgets are what the test sees. The interceptor
 * persists; a test that expects a number of requests asserts `times`.
 */
export function serveRun(
  agent: MockAgent,
  clock: FakeClock,
  origin: string,
  script: RunScript,
  opts: { runId?: string; start?: number } = {},
): ServedRun {
  const start = opts.start ?? clock.now();
  const times: number[] = [];
  agent
    .get(origin)
    .intercept({ path: `/workflows/runs/${opts.runId ?? 'fl_run_1'}`, method: 'GET' })
    .reply(() => {
      times.push(clock.now() - start);
      const answer = script(clock.now() - start, times.length);
      if (typeof answer.httpStatus === 'number') {
        const fail = answer as { httpStatus: number; body?: unknown; headers?: Record<string, string> };
        return { statusCode: fail.httpStatus, data: JSON.stringify(fail.body ?? {}), responseOptions: { headers: { 'content-type': 'application/json', ...fail.headers } } };
      }
      return { statusCode: 200, data: JSON.stringify(answer), responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  return { times };
}

/** A 503 the client retries (Retry-After in seconds when given). */
export const unavailable = (retryAfterS?: number): RunAnswer => ({
  httpStatus: 503,
  body: { message: 'down for maintenance' },
  headers: retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) },
});

/** An error undici raises when the API cannot be reached. */
export function connRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' });
}
