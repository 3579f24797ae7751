/** /__sandbox/* : inspection and reset for tests and benchmarks in another process (no auth). */
import { apiError, json, notFound, type Reply } from './replies.js';
import type { RequestRecord, SandboxRunInfo } from './types.js';

export interface ControlTarget {
  requests: RequestRecord[];
  readonly runs: SandboxRunInfo[];
  reset(): void;
}

/** Answers GET /__sandbox/requests, GET /__sandbox/runs and POST /__sandbox/reset. */
export function handleControlRequest(target: ControlTarget, method: string, pathname: string): Reply {
  const name = pathname.replace(/^\/__sandbox\/?/, '').replace(/\/$/, '');
  const allowed = name === 'reset' ? 'POST' : name === 'requests' || name === 'runs' ? 'GET' : undefined;
  if (allowed === undefined) return notFound(`No sandbox route ${pathname} (try /__sandbox/requests, /__sandbox/runs, /__sandbox/reset).`);
  if (method !== allowed) {
    return apiError(405, 'invalid_request_error', 'method_not_allowed', `${method} is not allowed on ${pathname}.`, { allow: allowed });
  }
  if (name === 'requests') return json(200, target.requests);
  if (name === 'runs') return json(200, target.runs);
  target.reset();
  return json(200, { ok: true });
}
