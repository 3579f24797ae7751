/** Routes an API request to its handler: 401 first, then 404 or 405 for unknown routes. */
import type { ApiContext, ApiRequest, Handler } from './api-context.js';
import { isAuthorized } from './auth.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { executeWorkflow, getRun, rerunRun, resumeRun } from './handlers-runs.js';
import { getWorkflow, listExecutions, listWorkflows } from './handlers-workflows.js';
import { apiError, notFound, unauthorized, type Reply } from './replies.js';

interface Route {
  method: string;
  /** Literal segments, or ":name" for a parameter. */
  segments: string[];
  handler: Handler;
}

const HANDLERS: Record<Endpoint, Handler> = {
  'GET /workflows': listWorkflows,
  'GET /workflows/runs/:runId': getRun,
  'POST /workflows/runs/:runId/rerun': rerunRun,
  'POST /workflows/runs/:runId/resume-from/:nodeId': resumeRun,
  'GET /workflows/:workflowId': getWorkflow,
  'POST /workflows/:workflowId/execute': executeWorkflow,
  'GET /workflows/:workflowId/executions': listExecutions,
};

// One table (endpoints.ts) for routing and for checking --fault rules; its order is the routing order.
const ROUTES: Route[] = ENDPOINTS.map((endpoint) => {
  const [method, path] = endpoint.split(' ') as [string, string];
  return { method, segments: path.split('/').filter(Boolean), handler: HANDLERS[endpoint] };
});

function matchRoute(r: Route, parts: string[]): Record<string, string> | undefined {
  if (r.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of r.segments.entries()) {
    const part = parts[i] as string;
    if (segment.startsWith(':')) params[segment.slice(1)] = part;
    else if (segment !== part) return undefined;
  }
  return params;
}

function splitPath(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** Answers one API request (everything but /__sandbox/*). */
export function handleApiRequest(ctx: ApiContext, req: ApiRequest): Reply {
  if (!isAuthorized(req.headers.authorization, ctx.token)) return unauthorized();
  const parts = splitPath(req.pathname);
  if (!parts) return notFound(`No route matches ${req.method} ${req.pathname}.`);
  const allowed: string[] = [];
  for (const r of ROUTES) {
    const params = matchRoute(r, parts);
    if (!params) continue;
    if (r.method === req.method) return r.handler(ctx, req, params);
    allowed.push(r.method);
  }
  if (allowed.length > 0) {
    return apiError(405, 'invalid_request_error', 'method_not_allowed', `${req.method} is not allowed on ${req.pathname}.`, {
      allow: [...new Set(allowed)].join(', '),
    });
  }
  return notFound(`No route matches ${req.method} ${req.pathname}.`);
}
