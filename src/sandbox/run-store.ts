/** Holds the runs and the idempotency keys of one sandbox. */
import { createIdFactory } from './ids.js';
import type { RunRecord } from './run-record.js';
import type { WorkflowScript } from './script.js';
import type { RunOrigin } from './types.js';

export interface NewRun {
  script: WorkflowScript;
  context: Record<string, unknown>;
  origin: RunOrigin;
  startIndex?: number;
  originalRunId?: string;
  resumedFrom?: string;
  /** Remember the run under this key, within this scope (the token). */
  idempotency?: { scope: string; key: string };
}

export interface RunStore {
  create(run: NewRun): RunRecord;
  get(id: string): RunRecord | undefined;
  /** Runs of a workflow, newest first. */
  forWorkflow(workflowId: string): RunRecord[];
  /** Every run, oldest first. */
  all(): readonly RunRecord[];
  byIdempotencyKey(scope: string, key: string): RunRecord | undefined;
  clear(): void;
}

const keyOf = (scope: string, key: string) => `${scope}\n${key.toLowerCase()}`;

/** A store whose ids and times come from the given clock. */
export function createRunStore(now: () => number): RunStore {
  const nextIds = createIdFactory();
  const runs: RunRecord[] = [];
  const byId = new Map<string, RunRecord>();
  const byKey = new Map<string, RunRecord>();
  return {
    create(spec) {
      const createdAt = now();
      const ids = nextIds(createdAt);
      const run: RunRecord = {
        id: ids.runId,
        logPrefix: ids.logPrefix,
        workflowId: spec.script.id,
        script: spec.script,
        createdAt,
        context: spec.context,
        startIndex: spec.startIndex ?? 0,
        retried: spec.origin !== 'execute',
        origin: spec.origin,
        originalRunId: spec.originalRunId ?? null,
        resumedFrom: spec.resumedFrom ?? null,
        idempotencyKey: spec.idempotency?.key ?? null,
      };
      runs.push(run);
      byId.set(run.id, run);
      if (spec.idempotency) byKey.set(keyOf(spec.idempotency.scope, spec.idempotency.key), run);
      return run;
    },
    get: (id) => byId.get(id),
    forWorkflow: (workflowId) => runs.filter((r) => r.workflowId === workflowId).reverse(),
    all: () => runs,
    byIdempotencyKey: (scope, key) => byKey.get(keyOf(scope, key)),
    clear() {
      runs.length = 0;
      byId.clear();
      byKey.clear();
    },
  };
}
