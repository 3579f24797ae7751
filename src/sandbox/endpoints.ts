/** The API endpoints the sandbox serves, and whether a fault rule's METHOD /glob can reach one. */

/** In routing order: /workflows/runs/... must win over /workflows/{workflowId}/... */
export const ENDPOINTS = [
  'GET /workflows',
  'GET /workflows/runs/:runId',
  'POST /workflows/runs/:runId/rerun',
  'POST /workflows/runs/:runId/resume-from/:nodeId',
  'GET /workflows/:workflowId',
  'POST /workflows/:workflowId/execute',
  'GET /workflows/:workflowId/executions',
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

const segmentsOf = (path: string) => path.split('/').filter(Boolean);

/** One glob segment ("*" within a segment) against one route segment (":param" is any non-empty text). */
function segmentMatches(glob: string, segment: string): boolean {
  if (segment.startsWith(':')) return glob !== '';
  const source = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${source}$`).test(segment);
}

/** Whether some path of the route can match the glob ("**" spans any number of segments). */
function globMeetsRoute(glob: string[], route: string[]): boolean {
  const [head, ...rest] = glob;
  if (head === undefined) return route.length === 0;
  if (head === '**') return globMeetsRoute(rest, route) || (route.length > 0 && globMeetsRoute(glob, route.slice(1)));
  // "**" inside a segment ("/workflows/fl_**") can cross "/": too loose to rule anything out.
  if (head.includes('**')) return true;
  return route.length > 0 && segmentMatches(head, route[0] as string) && globMeetsRoute(rest, route.slice(1));
}

/** The endpoints a fault rule's match ("*", "/glob" or "METHOD /glob") can apply to. */
export function endpointsMatching(match: string): Endpoint[] {
  if (match === '*') return [...ENDPOINTS];
  const space = match.indexOf(' ');
  const method = space === -1 ? '*' : match.slice(0, space).toUpperCase();
  const glob = segmentsOf(space === -1 ? match : match.slice(space + 1).trim());
  return ENDPOINTS.filter((endpoint) => {
    const [m, path] = endpoint.split(' ') as [string, string];
    return (method === '*' || method === m) && globMeetsRoute(glob, segmentsOf(path));
  });
}
