// A run as the CI writers read it: any JSON value in, typed fields out, never a throw.
// Reports must come out even when the server sent nonsense, so each field is checked here once.
import { parseTime, recordOf } from '../ui/format.js';

/** Bounds on what a report reads from one run. */
export const MAX_STEPS = 2000;

export interface StepView {
  nodeId: string;
  component: string;
  status: string;
  output: unknown;
  createdAtMs: number | undefined;
}

export interface RunView {
  id: string;
  status: string;
  errorMessage: string;
  startedAtMs: number | undefined;
  completedAtMs: number | undefined;
  durationMs: number | undefined;
  workflowName: string;
  steps: StepView[];
  /** Steps beyond MAX_STEPS that were left out. */
  droppedSteps: number;
}

/** A string field, a number shown as text, or the fallback. */
export function str(v: unknown, fallback = ''): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fallback;
}

function stepView(v: unknown): StepView {
  const log = recordOf(v);
  return {
    nodeId: str(log.node_id, '?'),
    component: str(log.component_id) || str(log.execution_id),
    status: str(log.status, 'unknown'),
    output: log.output,
    createdAtMs: parseTime(log.created_at),
  };
}

/** The fields of a run the CI writers use, whatever the value is. */
export function runView(v: unknown): RunView {
  const run = recordOf(v);
  const startedAtMs = parseTime(run.started_at);
  const completedAtMs = parseTime(run.completed_at);
  let durationMs: number | undefined;
  if (typeof run.duration_in_seconds === 'number' && Number.isFinite(run.duration_in_seconds) && run.duration_in_seconds >= 0) {
    durationMs = run.duration_in_seconds * 1000;
  } else if (startedAtMs !== undefined && completedAtMs !== undefined) {
    durationMs = Math.max(0, completedAtMs - startedAtMs);
  }
  const logs = Array.isArray(run.logs) ? run.logs : [];
  const workflow = recordOf(run.workflow);
  return {
    id: str(run.id, '?'),
    status: str(run.status, 'unknown'),
    errorMessage: str(run.error_message),
    startedAtMs,
    completedAtMs,
    durationMs,
    workflowName: str(workflow.name) || str(workflow.id) || str(run.workflow_id),
    steps: logs.slice(0, MAX_STEPS).map(stepView),
    droppedSteps: Math.max(0, logs.length - MAX_STEPS),
  };
}
