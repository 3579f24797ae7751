/** Execute, get a run, rerun, resume-from. */
import type { ApiContext, Handler } from './api-context.js';
import { badRequest, json, notFound, unprocessable, type Reply } from './replies.js';
import type { RunRecord } from './run-record.js';
import { isObject } from './shape.js';
import { launchView, loggedSteps, viewRun } from './timeline.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

function parseContext(body: string): Parsed<Record<string, unknown>> {
  if (body.trim() === '') return { ok: true, value: {} };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { ok: false, reply: badRequest('invalid_json', 'The request body is not valid JSON.') };
  }
  if (!isObject(data)) return { ok: false, reply: badRequest('invalid_body', 'The request body must be a JSON object.') };
  if (data.context === undefined) return { ok: true, value: {} };
  if (!isObject(data.context)) return { ok: false, reply: badRequest('invalid_context', 'The context field must be a JSON object.') };
  return { ok: true, value: data.context };
}

function findRun(ctx: ApiContext, id: string): Parsed<RunRecord> {
  const run = ctx.store.get(id);
  return run ? { ok: true, value: run } : { ok: false, reply: notFound(`No workflow run with id '${id}' was found.`) };
}

/** POST /workflows/{workflowId}/execute: 202 with the queued run; Idempotency-Key replays it. */
export const executeWorkflow: Handler = (ctx, req, params) => {
  const id = params.workflowId ?? '';
  const script = ctx.scripts.get(id);
  if (!script) return notFound(`No workflow with id '${id}' was found.`);
  const key = req.headers['idempotency-key'];
  if (key !== undefined && !UUID.test(key.trim())) {
    return unprocessable('invalid_idempotency_key', 'The Idempotency-Key header must be a UUID.');
  }
  const context = parseContext(req.body);
  if (!context.ok) return context.reply;
  if (key !== undefined) {
    const original = ctx.store.byIdempotencyKey(ctx.token, key.trim());
    // A key names one request: reused for another workflow it is refused, not replayed.
    if (original && original.script.id !== id) {
      return unprocessable('idempotency_key_in_use', `The Idempotency-Key was already used to start a run of '${original.script.id}'.`);
    }
    if (original) return json(202, launchView(original));
  }
  const run = ctx.store.create({
    script,
    context: context.value,
    origin: 'execute',
    ...(key !== undefined ? { idempotency: { scope: ctx.token, key: key.trim() } } : {}),
  });
  return json(202, launchView(run));
};

/** GET /workflows/runs/{runId}: the run and its logs so far. */
export const getRun: Handler = (ctx, _req, params) => {
  const found = findRun(ctx, params.runId ?? '');
  return found.ok ? json(200, viewRun(found.value, ctx.clock.now())) : found.reply;
};

/** POST /workflows/runs/{runId}/rerun: a new run with the same context. */
export const rerunRun: Handler = (ctx, _req, params) => {
  const found = findRun(ctx, params.runId ?? '');
  if (!found.ok) return found.reply;
  const original = found.value;
  const run = ctx.store.create({ script: original.script, context: original.context, origin: 'rerun', originalRunId: original.id });
  return json(202, { message: 'Workflow re-run initiated successfully.', original_run_id: original.id, new_run: launchView(run) });
};

/** POST /workflows/runs/{runId}/resume-from/{nodeId}: only a failed run, only after a node that succeeded. */
export const resumeRun: Handler = (ctx, _req, params) => {
  const found = findRun(ctx, params.runId ?? '');
  if (!found.ok) return found.reply;
  const original = found.value;
  const nodeId = params.nodeId ?? '';
  const now = ctx.clock.now();
  const status = viewRun(original, now, false).status;
  if (status !== 'failed') {
    return unprocessable('run_not_failed', `Run '${original.id}' is ${status}: only a failed run can be resumed.`);
  }
  const node = loggedSteps(original, now).filter((s) => s.nodeId === nodeId && s.status === 'success').pop();
  if (!node) {
    const known = original.script.steps.some((s) => s.nodeId === nodeId);
    const why = known ? 'did not complete successfully in' : 'is not a node of the workflow of';
    return unprocessable('invalid_resume_node', `Node '${nodeId}' ${why} run '${original.id}'.`);
  }
  const run = ctx.store.create({
    script: original.script,
    context: original.context,
    origin: 'resume',
    startIndex: node.index + 1,
    originalRunId: original.id,
    resumedFrom: nodeId,
  });
  return json(202, { message: `Workflow resumed successfully from node '${nodeId}'.`, new_run: launchView(run) });
};
