import type { CliError } from '../errors.js';
import type { RunLaunchResponse, Workflow, WorkflowRun, WorkflowRunPage } from './types.js';

/** Default retry budget of one call: an API that stays down ends a command well within a minute. */
export const DEFAULT_RETRY_BUDGET_MS = 20_000;

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** How long alto waits before the next try. */
  delayMs: number;
  /** What went wrong on the try that just failed. */
  error: CliError;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Keep retrying a retryable failure until this clock time (ms). Without it a call uses the
   * client's default budget. A watch passes "last success + --max-outage".
   */
  retryUntil?: number;
  /** Called before each wait between tries, so a spinner can say what is happening. */
  onRetry?: (info: RetryInfo) => void;
}

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
}
