import { ResponseShapeError } from '../errors.js';
import type { RunLaunchResponse, Workflow, WorkflowLog, WorkflowRun, WorkflowRunPage } from './types.js';

// Checks the fields alto relies on; everything else passes through untouched, so unknown
// fields are kept and a missing optional field is never a crash.

/** Ids are printed and put in paths and commands: no spaces or control characters. */
const PRINTABLE_ID = /^[^\s\u0000-\u001f\u007f-\u009f]+$/;

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

/**
 * A WorkflowRun: needs a string id and status; logs, when present, must be an array of logs.
 * A run just launched needs only its id: the run exists, and its id must reach the user
 * (the API documents launches as queued, so a missing status reads as pending).
 */
export function asRun(value: unknown, what = 'a run', launched = false): WorkflowRun {
  const v = unwrap(value);
  if (!isObject(v)) fail(what, 'expected a JSON object');
  if (typeof v.id !== 'string' || v.id === '') fail(what, 'no "id"');
  if (!PRINTABLE_ID.test(v.id)) fail(what, 'an "id" with spaces or control characters');
  if (launched && (typeof v.status !== 'string' || v.status === '')) v.status = 'pending';
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
  return { ...(v as object), new_run: asRun(run, 'the new run', true) } as RunLaunchResponse;
}

/** One page of runs: `{ data: [...], links, meta }`. */
export function asRunPage(v: unknown): WorkflowRunPage {
  if (!isObject(v)) fail('a page of runs', 'expected a JSON object');
  if (!Array.isArray(v.data)) fail('a page of runs', 'no "data" array');
  v.data.forEach((run) => asRun(run));
  if (v.meta !== undefined && v.meta !== null) {
    if (!isObject(v.meta)) fail('a page of runs', '"meta" is not an object');
    for (const key of ['current_page', 'last_page'] as const) {
      if (v.meta[key] !== undefined && !Number.isInteger(v.meta[key])) fail('a page of runs', `"meta.${key}" is not a whole number`);
    }
  }
  if (v.links !== undefined && v.links !== null && !isObject(v.links)) fail('a page of runs', '"links" is not an object');
  return v as unknown as WorkflowRunPage;
}

/** A Workflow: needs a string id; a missing name is shown as its id. */
export function asWorkflow(value: unknown): Workflow {
  const v = unwrap(value);
  if (!isObject(v)) fail('a workflow', 'expected a JSON object');
  if (typeof v.id !== 'string') fail('a workflow', 'no "id"');
  if (typeof v.name !== 'string') v.name = v.id;
  for (const key of ['nodes', 'edges'] as const) {
    const list = v[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`workflow ${v.id}`, `"${key}" is not an array`);
    if (!list.every((item) => isObject(item) && typeof item.id === 'string')) fail(`workflow ${v.id}`, `an entry of "${key}" has no "id"`);
  }
  return v as Workflow;
}

/** The workflow list: a plain array (a `{data: [...]}` wrapper is accepted too). */
export function asWorkflowList(v: unknown): Workflow[] {
  const list = isObject(v) && Array.isArray(v.data) ? v.data : v;
  if (!Array.isArray(list)) fail('the workflow list', 'expected a JSON array');
  return list.map(asWorkflow);
}
