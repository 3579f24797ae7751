/** GET /workflows, GET /workflows/{id}, GET /workflows/{id}/executions. */
import type { Workflow, WorkflowEdge, WorkflowNode } from '../api/types.js';
import type { ApiContext, Handler } from './api-context.js';
import { json, notFound, type Reply } from './replies.js';
import type { WorkflowScript } from './script.js';
import { viewRun } from './timeline.js';
import { apiTime } from './timestamps.js';

function resource(ctx: ApiContext, script: WorkflowScript): Workflow {
  return {
    id: script.id,
    name: script.name,
    description: script.description,
    schedule_type: 'manual',
    schedule_value: null,
    next_run_at: null,
    is_active: true,
    webhook_url: null,
    created_at: apiTime(ctx.startedAt),
    updated_at: apiTime(ctx.startedAt),
  };
}

function graph(script: WorkflowScript): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  const seen = new Set<string>();
  let previous: string | undefined;
  for (const step of script.steps) {
    if (!seen.has(step.nodeId)) {
      seen.add(step.nodeId);
      nodes.push({
        id: step.nodeId,
        type: step.componentId,
        position: { x: 150 + 250 * nodes.length, y: 250 },
        data: { componentId: step.componentId },
      });
    }
    if (previous !== undefined && previous !== step.nodeId && !edges.some((e) => e.source === previous && e.target === step.nodeId)) {
      edges.push({ id: `e${previous}-${step.nodeId}`, source: previous, target: step.nodeId });
    }
    previous = step.nodeId;
  }
  return { nodes, edges };
}

function lookup(ctx: ApiContext, id: string): WorkflowScript | Reply {
  return ctx.scripts.get(id) ?? notFound(`No workflow with id '${id}' was found.`);
}

/** GET /workflows: a plain array, without nodes and edges. */
export const listWorkflows: Handler = (ctx) => json(200, [...ctx.scripts.values()].map((s) => resource(ctx, s)));

/** GET /workflows/{workflowId}: with nodes and edges derived from the steps. */
export const getWorkflow: Handler = (ctx, _req, params) => {
  const script = lookup(ctx, params.workflowId ?? '');
  if ('status' in script) return script;
  const { nodes, edges } = graph(script);
  const { id, name, description, ...rest } = resource(ctx, script);
  return json(200, { id, name, description, nodes, edges, ...rest });
};

function pageNumber(raw: string | null): number {
  const n = raw === null ? 1 : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** GET /workflows/{workflowId}/executions?page=N: newest first, Laravel-style links and meta. */
export const listExecutions: Handler = (ctx, req, params) => {
  const script = lookup(ctx, params.workflowId ?? '');
  if ('status' in script) return script;
  const runs = ctx.store.forWorkflow(script.id);
  const perPage = ctx.perPage;
  const page = pageNumber(req.query.get('page'));
  const lastPage = Math.max(1, Math.ceil(runs.length / perPage));
  const slice = runs.slice((page - 1) * perPage, page * perPage);
  const now = ctx.clock.now();
  const path = `${req.origin}/workflows/${encodeURIComponent(script.id)}/executions`;
  const link = (n: number) => `${path}?page=${n}`;
  const from = slice.length > 0 ? (page - 1) * perPage + 1 : null;
  return json(200, {
    data: slice.map((run) => viewRun(run, now, false)),
    links: {
      first: link(1),
      last: link(lastPage),
      prev: page > 1 ? link(page - 1) : null,
      next: page < lastPage ? link(page + 1) : null,
    },
    meta: {
      current_page: page,
      from,
      last_page: lastPage,
      path,
      per_page: perPage,
      to: from === null ? null : from + slice.length - 1,
      total: runs.length,
    },
  });
};
