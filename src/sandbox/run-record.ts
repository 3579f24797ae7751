/** What the sandbox stores for one run: no state, only what its state is computed from. */
import type { RunOrigin } from './types.js';
import type { WorkflowScript } from './script.js';

export interface RunRecord {
  id: string;
  logPrefix: string;
  workflowId: string;
  script: WorkflowScript;
  /** clock.now() when the run was created. */
  createdAt: number;
  context: Record<string, unknown>;
  /** Index of the first script step this run logs (after the resumed node; 0 otherwise). */
  startIndex: number;
  /** Reruns and resumed runs take the script's `retry` variant. */
  retried: boolean;
  origin: RunOrigin;
  originalRunId: string | null;
  resumedFrom: string | null;
  idempotencyKey: string | null;
}
