/** Compiles a scenario workflow into the flat timeline runs are computed from. */
import { expandedNodeIds } from './scenario.js';
import { isObject } from './shape.js';
import type { ScenarioStep, ScenarioWorkflow, StepStatus } from './types.js';

const DEFAULT_START_AFTER_MS = 200;
const DEFAULT_STEP_AFTER_MS = 300;
const DEFAULT_END_AFTER_MS = 200;
const DEFAULT_ERROR_MESSAGE = 'Workflow run failed.';
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor ';

/** Marks a manual trigger whose output is the run's own context. */
export const TRIGGER_OUTPUT = Symbol('trigger-output');

export interface ScriptStep {
  nodeId: string;
  componentId: string;
  status: StepStatus;
  output: unknown;
  /** Milliseconds from the start of the run (running) to this log. */
  atMs: number;
}

export interface StepOverride {
  status?: StepStatus;
  output?: unknown;
}

export interface WorkflowScript {
  id: string;
  name: string;
  description: string | null;
  startAfterMs: number;
  endAfterMs: number;
  outcome: string;
  errorMessage: string | null;
  steps: ScriptStep[];
  /** How reruns and resumed runs differ; null when they replay the script. */
  retry: { outcome: string; errorMessage: string | null; steps: Map<string, StepOverride> } | null;
}

/** Pads an output to about `bytes` bytes of JSON with a "padding" string. */
export function padOutput(output: unknown, bytes: number): Record<string, unknown> {
  const base = isObject(output) ? output : output === undefined ? {} : { value: output };
  const size = Buffer.byteLength(JSON.stringify({ ...base, padding: '' }));
  const fill = Math.max(0, bytes - size);
  return { ...base, padding: FILLER.repeat(Math.ceil(fill / FILLER.length)).slice(0, fill) };
}

function stepOutput(step: ScenarioStep): unknown {
  if (step.output_bytes !== undefined) return padOutput(step.output, step.output_bytes);
  if (step.output !== undefined) return step.output;
  return step.component_id === 'manual_trigger' ? TRIGGER_OUTPUT : {};
}

function defaultError(outcome: string, message: string | null | undefined): string | null {
  if (message !== undefined) return message;
  return outcome === 'failed' ? DEFAULT_ERROR_MESSAGE : null;
}

/** Expands repeats, pads outputs and adds up the delays, once per workflow. */
export function compileWorkflow(workflow: ScenarioWorkflow): WorkflowScript {
  const steps: ScriptStep[] = [];
  let at = 0;
  for (const step of workflow.steps) {
    const output = stepOutput(step); // shared by every repeat: 3,000 logs need not hold 3,000 copies
    for (const nodeId of expandedNodeIds(step)) {
      at += step.after_ms ?? DEFAULT_STEP_AFTER_MS;
      steps.push({ nodeId, componentId: step.component_id, status: step.status ?? 'success', output, atMs: at });
    }
  }
  const outcome = workflow.outcome ?? 'completed';
  const retry = workflow.retry;
  const retryOutcome = retry?.outcome ?? outcome;
  return {
    id: workflow.id,
    name: workflow.name,
    description: workflow.description ?? null,
    startAfterMs: workflow.start_after_ms ?? DEFAULT_START_AFTER_MS,
    endAfterMs: workflow.end_after_ms ?? DEFAULT_END_AFTER_MS,
    outcome,
    errorMessage: defaultError(outcome, workflow.error_message),
    steps,
    retry: retry
      ? {
          outcome: retryOutcome,
          errorMessage: retry.outcome === undefined && retry.error_message === undefined
            ? defaultError(outcome, workflow.error_message)
            : defaultError(retryOutcome, retry.error_message),
          steps: new Map(Object.entries(retry.steps ?? {})),
        }
      : null,
  };
}
