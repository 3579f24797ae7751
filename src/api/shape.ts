import { ResponseShapeError } from '../errors.js';
import type { PaginationMeta, RunLaunchResponse, Workflow, WorkflowLog, WorkflowRun, WorkflowRunPage } from './types.js';

// Checks the fields alto relies on and returns a new value: the input is never changed.
// Everything else passes through untouched, so unknown fields are kept and a missing optional
// field is never a crash.

/** Ids are printed and put in paths and commands: no spaces, control, bidi or invisible characters. */
const PRINTABLE_ID = /^(?:(?!\udb40[\udc00-\udc7f])[^\s\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff])+$/;
const MAX_ID_LENGTH = 200;

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

function checkId(v: Record<string, unknown>, what: string): string {
  if (typeof v.id !== 'string' || v.id === '') fail(what, 'no "id"');
  if (v.id.length > MAX_ID_LENGTH || !PRINTABLE_ID.test(v.id)) fail(what, 'an "id" with spaces or control characters');
  return v.id;
}

export interface AsRunOptions {
  /** What the run is called in errors. */
  what?: string;
  /**
   * A run just launched needs only its id: the run exists, and its id must reach the user. A
   * missing status reads as pending (launches are queued) and unreadable logs are dropped.
   */
  launched?: boolean;
  /** The id the caller asked for: an answer about another run is refused. */
  expectId?: string;
}

/** A WorkflowRun: needs a string id and status; logs, when present, must be an array of logs. */
export function asRun(value: unknown, opts: AsRunOptions = {}): WorkflowRun {
  const what = opts.what ?? 'a run';
  const v = unwrap(value);
  if (!isObject(v)) fail(what, 'expected a JSON object');
  const id = checkId(v, what);
  if (opts.expectId !== undefined && id !== opts.expectId) {
    fail(what, `it is run ${id}, not the ${opts.expectId} alto asked for`);
  }
  let status = v.status;
  if (opts.launched && (typeof status !== 'string' || status === '')) status = 'pending';
  if (typeof status !== 'string' || status === '') fail(what, `no "status" for ${id}`);
  let logs: WorkflowLog[] | undefined;
  if (v.logs === null) logs = [];
  else if (v.logs !== undefined) {
    try {
      if (!Array.isArray(v.logs)) fail(what, `"logs" of ${id} is not an array`);
      logs = v.logs.map((log) => asLog(log, id));
    } catch (err) {
      if (!opts.launched) throw err;
      logs = [];
    }
  }
  const run: Record<string, unknown> = { ...v, id, status };
  if (logs !== undefined) run.logs = logs;
  return run as WorkflowRun;
}

/** A WorkflowLog: needs a string id and status; a missing node id reads as "?". */
export function asLog(v: unknown, runId: string): WorkflowLog {
  if (!isObject(v)) fail(`a step log of ${runId}`, 'expected a JSON object');
  if (typeof v.id !== 'string') fail(`a step log of ${runId}`, 'no "id"');
  if (typeof v.status !== 'string') fail(`step log ${v.id}`, 'no "status"');
  return (typeof v.node_id === 'string' ? { ...v } : { ...v, node_id: '?' }) as WorkflowLog;
}

/** The body of rerun and resume-from: `{ message, new_run }`. */
export function asLaunch(value: unknown): RunLaunchResponse {
  const v = unwrap(value);
  if (!isObject(v)) fail('a launch reply', 'expected a JSON object');
  // Some deployments may answer with the run itself; accept both shapes.
  const run = isObject(v.new_run) ? v.new_run : v;
  return { ...v, new_run: asRun(run, { what: 'the new run', launched: true }) } as RunLaunchResponse;
}

/** A page number is a positive safe integer; anything else is not used to suggest a page. */
function isPageNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/**
 * One page of runs: `{ data: [...], links, meta }`. `meta.current_page` and `meta.last_page`
 * are kept only when they are positive safe integers (with current <= last), so a bogus value
 * never becomes a `--page` hint; other meta fields pass through.
 */
export function asRunPage(v: unknown): WorkflowRunPage {
  if (!isObject(v)) fail('a page of runs', 'expected a JSON object');
  if (!Array.isArray(v.data)) fail('a page of runs', 'no "data" array');
  const data = v.data.map((run) => asRun(run));
  if (v.links !== undefined && v.links !== null && !isObject(v.links)) fail('a page of runs', '"links" is not an object');
  const page: Record<string, unknown> = { ...v, data };
  if (isObject(v.meta)) {
    const { current_page, last_page, ...rest } = v.meta;
    const meta: Record<string, unknown> = { ...rest };
    const currentOk = isPageNumber(current_page);
    const lastOk = isPageNumber(last_page) && (!currentOk || (current_page as number) <= last_page);
    if (currentOk) meta.current_page = current_page;
    if (lastOk) meta.last_page = last_page;
    page.meta = meta as unknown as PaginationMeta;
  } else {
    delete page.meta;
  }
  return page as unknown as WorkflowRunPage;
}

/** A Workflow: needs a string id; a missing name is shown as its id. */
export function asWorkflow(value: unknown): Workflow {
  const v = unwrap(value);
  if (!isObject(v)) fail('a workflow', 'expected a JSON object');
  if (typeof v.id !== 'string') fail('a workflow', 'no "id"');
  for (const key of ['nodes', 'edges'] as const) {
    const list = v[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`workflow ${v.id}`, `"${key}" is not an array`);
    if (!list.every((item) => isObject(item) && typeof item.id === 'string')) fail(`workflow ${v.id}`, `an entry of "${key}" has no "id"`);
  }
  return { ...v, name: typeof v.name === 'string' ? v.name : v.id } as Workflow;
}

/** The workflow list: a plain array (a `{data: [...]}` wrapper is accepted too). */
export function asWorkflowList(v: unknown): Workflow[] {
  const list = isObject(v) && Array.isArray(v.data) ? v.data : v;
  if (!Array.isArray(list)) fail('the workflow list', 'expected a JSON array');
  return list.map(asWorkflow);
}
