import { ResponseShapeError } from '../errors.js';
import type { RunLaunchResponse, Workflow, WorkflowLog, WorkflowRun, WorkflowRunPage } from './types.js';

// Checks the fields alto relies on; everything else passes through untouched, so unknown
// fields are kept and a missing optional field is never a crash.

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(what: string, detail: string): never {
  throw new ResponseShapeError(`the API sent ${what} alto cannot read: ${detail}`);
}

/** Laravel-style APIs may wrap a resource as `{ "data": {...} }`: accept both. */
function unwrap(v: unknown): unknown {
  return isObject(v) && v.id === undefined && isObject(v.data) ? v.data : v;
}

/** A WorkflowRun: needs a string id and status; logs, when present, must be an array of logs. */
export function asRun(value: unknown, what = 'a run'): WorkflowRun {
  const v = unwrap(value);
  if (!isObject(v)) fail(what, 'expected a JSON object');
  if (typeof v.id !== 'string' || v.id === '') fail(what, 'no "id"');
  if (typeof v.status !== 'string' || v.status === '') fail(what, `no "status" for ${v.id}`);
  if (v.logs !== undefined && v.logs !== null) {
    if (!Array.isArray(v.logs)) fail(what, `"logs" of ${v.id} is not an array`);
    for (const log of v.logs) asLog(log, v.id);
  }
  if (v.logs === null) v.logs = [];
  return v as WorkflowRun;
}

/** A WorkflowLog: needs a string id, node_id and status. */
export function asLog(v: unknown, runId: string): WorkflowLog {
  if (!isObject(v)) fail(`a step log of ${runId}`, 'expected a JSON object');
  if (typeof v.id !== 'string') fail(`a step log of ${runId}`, 'no "id"');
  if (typeof v.status !== 'string') fail(`step log ${v.id}`, 'no "status"');
  if (typeof v.node_id !== 'string') v.node_id = '?';
  return v as WorkflowLog;
}

/** The body of rerun and resume-from: `{ message, new_run }`. */
export function asLaunch(value: unknown): RunLaunchResponse {
  const v = unwrap(value);
  if (!isObject(v)) fail('a launch reply', 'expected a JSON object');
  // Some deployments may answer with the run itself; accept both shapes.
  const run = isObject(v.new_run) ? v.new_run : v;
  return { ...(v as object), new_run: asRun(run, 'the new run') } as RunLaunchResponse;
}

/** One page of runs: `{ data: [...], links, meta }`. */
export function asRunPage(v: unknown): WorkflowRunPage {
  if (!isObject(v)) fail('a page of runs', 'expected a JSON object');
  if (!Array.isArray(v.data)) fail('a page of runs', 'no "data" array');
  v.data.forEach((run) => asRun(run));
  return v as unknown as WorkflowRunPage;
}

/** A Workflow: needs a string id; a missing name is shown as its id. */
export function asWorkflow(value: unknown): Workflow {
  const v = unwrap(value);
  if (!isObject(v)) fail('a workflow', 'expected a JSON object');
  if (typeof v.id !== 'string') fail('a workflow', 'no "id"');
  if (typeof v.name !== 'string') v.name = v.id;
  return v as Workflow;
}

/** The workflow list: a plain array (a `{data: [...]}` wrapper is accepted too). */
export function asWorkflowList(v: unknown): Workflow[] {
  const list = isObject(v) && Array.isArray(v.data) ? v.data : v;
  if (!Array.isArray(list)) fail('the workflow list', 'expected a JSON array');
  return list.map(asWorkflow);
}
