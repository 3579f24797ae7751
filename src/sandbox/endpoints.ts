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

/** A fault rule's match ("*", "/glob" or "METHOD /glob") as a method ("*" for any) and a path glob. */
export function splitMatch(match: string): { method: string; glob: string } {
  if (match === '*') return { method: '*', glob: '/**' };
  const space = match.indexOf(' ');
  return space === -1 ? { method: '*', glob: match } : { method: match.slice(0, space).toUpperCase(), glob: match.slice(space + 1).trim() };
}

/** The endpoints a fault rule's match can apply to. */
export function endpointsMatching(match: string): Endpoint[] {
  if (match === '*') return [...ENDPOINTS];
  const { method, glob: text } = splitMatch(match);
  const glob = segmentsOf(text);
  return ENDPOINTS.filter((endpoint) => {
    const [m, path] = endpoint.split(' ') as [string, string];
    return (method === '*' || method === m) && globMeetsRoute(glob, segmentsOf(path));
  });
}
