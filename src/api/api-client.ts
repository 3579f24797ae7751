import type { ApiClient, CallOptions } from './client.js';
import type { HttpClient } from './http.js';
import { asLaunch, asRun, asRunPage, asWorkflow, asWorkflowList } from './shape.js';

const seg = encodeURIComponent;

/** The Workflows API on top of the HTTP client: one function per endpoint, shapes checked. */
export function createApiClient(http: HttpClient): ApiClient {
  const get = (path: string, call?: CallOptions) => http.request<unknown>({ method: 'GET', path, retry: 'read', call });
  return {
    baseUrl: http.baseUrl,
    listWorkflows: async (call) => asWorkflowList(await get('/workflows', call)),
    getWorkflow: async (id, call) => asWorkflow(await get(`/workflows/${seg(id)}`, call)),
    getRun: async (id, call) => asRun(await get(`/workflows/runs/${seg(id)}`, call)),
    listRuns: async (id, page, call) => asRunPage(await get(`/workflows/${seg(id)}/executions?page=${page}`, call)),
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
        'the new run',
        true,
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
