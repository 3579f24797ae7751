import { UsageError } from '../errors.js';
import type { CallOptions, HttpClient, RawRequest, RawResponse } from './http-client.js';
import { asLaunch, asRun, asRunPage, asWorkflow, asWorkflowList } from './shape.js';
import type { RunLaunchResponse, Workflow, WorkflowRun, WorkflowRunPage } from './types.js';

export type { CallOptions, GiveUpReason, RawRequest, RawResponse, RetryInfo } from './http-client.js';

/** One function per endpoint of the Workflows API. Every failure is a typed CliError. */
export interface ApiClient {
  readonly baseUrl: string;
  listWorkflows(opts?: CallOptions): Promise<Workflow[]>;
  getWorkflow(workflowId: string, opts?: CallOptions): Promise<Workflow>;
  executeWorkflow(
    workflowId: string,
    context: Record<string, unknown>,
    idempotencyKey: string,
    opts?: CallOptions,
  ): Promise<WorkflowRun>;
  getRun(runId: string, opts?: CallOptions): Promise<WorkflowRun>;
  listRuns(workflowId: string, page: number, opts?: CallOptions): Promise<WorkflowRunPage>;
  rerunRun(runId: string, opts?: CallOptions): Promise<RunLaunchResponse>;
  resumeRun(runId: string, nodeId: string, opts?: CallOptions): Promise<RunLaunchResponse>;
  /** `alto api`: any path below the base URL, the answer as sent (see HttpClient.requestRaw). */
  raw(req: RawRequest): Promise<RawResponse>;
}

const seg = encodeURIComponent;

/** The Workflows API on top of the HTTP client: one function per endpoint, shapes checked. */
export function createApiClient(http: HttpClient): ApiClient {
  const get = (path: string, call?: CallOptions) => http.request<unknown>({ method: 'GET', path, retry: 'read', call });
  return {
    baseUrl: http.baseUrl,
    raw: (req) => http.requestRaw(req),
    listWorkflows: async (call) => asWorkflowList(await get('/workflows', call)),
    getWorkflow: async (id, call) => asWorkflow(await get(`/workflows/${seg(id)}`, call)),
    // An answer about another run is refused: a watch must never report someone else's outcome.
    getRun: async (id, call) => asRun(await get(`/workflows/runs/${seg(id)}`, call), { expectId: id }),
    listRuns: async (id, page, call) => {
      if (!Number.isSafeInteger(page) || page < 1) throw new UsageError(`invalid page number: ${String(page)}`, 'pages start at 1');
      return asRunPage(await get(`/workflows/${seg(id)}/executions?page=${page}`, call));
    },
    executeWorkflow: async (id, context, idempotencyKey, call) =>
      asRun(
        await http.request({
          method: 'POST',
          path: `/workflows/${seg(id)}/execute`,
          body: { context },
          headers: { 'idempotency-key': idempotencyKey },
          retry: 'keyed',
          call,
        }),
        { what: 'the new run', launched: true },
      ),
    rerunRun: async (id, call) =>
      asLaunch(await http.request({ method: 'POST', path: `/workflows/runs/${seg(id)}/rerun`, retry: 'unsent', call })),
    resumeRun: async (id, nodeId, call) =>
      asLaunch(
        await http.request({
          method: 'POST',
          path: `/workflows/runs/${seg(id)}/resume-from/${seg(nodeId)}`,
          retry: 'unsent',
          call,
        }),
      ),
  };
}
