/** Reads and checks a scenario file (the format is documented on ScenarioFile in types.ts). */
import { readFileBounded, TooLargeError } from '../config/read-file.js';
import { UsageError } from '../errors.js';
import { parseJsonText } from '../util/json-error.js';
import { validateFaultRule } from './faults.js';
import {
  ShapeError,
  expectObject,
  isObject,
  optInt,
  optNullableString,
  optOneOf,
  optString,
} from './shape.js';
import type { ScenarioFile, ScenarioRetry, ScenarioStep, ScenarioWorkflow, StepStatus } from './types.js';

const STEP_STATUSES: readonly StepStatus[] = ['success', 'warning', 'error'];
const MAX_MS = 24 * 3_600_000;
const MAX_REPEAT = 100_000;
const MAX_OUTPUT_BYTES = 10_000_000;
/** A scenario file larger than this is refused (examples/workflows.json is a few KB). */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;
const WORKFLOW_ID = /^fl_[A-Za-z0-9_-]+$/;
const NODE_ID = /^[A-Za-z0-9_.:-]+$/;

function required<T>(value: T | undefined, where: string, example: string): T {
  if (value === undefined) throw new ShapeError(`${where} is required (${example})`);
  return value;
}

function checkStep(value: unknown, where: string): ScenarioStep {
  const obj = expectObject(value, where, ['node_id', 'component_id', 'after_ms', 'status', 'output', 'repeat', 'output_bytes']);
  const nodeId = required(optString(obj.node_id, `${where}.node_id`), `${where}.node_id`, 'e.g. "n1"');
  if (!NODE_ID.test(nodeId)) throw new ShapeError(`${where}.node_id may hold only letters, digits and _ . : - (got "${nodeId}")`);
  const step: ScenarioStep = {
    node_id: nodeId,
    component_id: required(optString(obj.component_id, `${where}.component_id`), `${where}.component_id`, 'e.g. "webhook"'),
  };
  const afterMs = optInt(obj.after_ms, `${where}.after_ms`, 0, MAX_MS);
  const status = optOneOf(obj.status, `${where}.status`, STEP_STATUSES);
  const repeat = optInt(obj.repeat, `${where}.repeat`, 1, MAX_REPEAT);
  const outputBytes = optInt(obj.output_bytes, `${where}.output_bytes`, 1, MAX_OUTPUT_BYTES);
  if (afterMs !== undefined) step.after_ms = afterMs;
  if (status !== undefined) step.status = status;
  if (obj.output !== undefined) step.output = obj.output;
  if (repeat !== undefined) step.repeat = repeat;
  if (outputBytes !== undefined) step.output_bytes = outputBytes;
  return step;
}

function checkRetry(value: unknown, where: string, nodeIds: ReadonlySet<string>): ScenarioRetry {
  const obj = expectObject(value, where, ['outcome', 'error_message', 'steps']);
  const retry: ScenarioRetry = {};
  const outcome = optString(obj.outcome, `${where}.outcome`);
  const errorMessage = optNullableString(obj.error_message, `${where}.error_message`);
  if (outcome !== undefined) retry.outcome = outcome;
  if (errorMessage !== undefined) retry.error_message = errorMessage;
  if (obj.steps !== undefined) {
    if (!isObject(obj.steps)) throw new ShapeError(`${where}.steps must be an object keyed by node_id`);
    retry.steps = {};
    for (const [nodeId, override] of Object.entries(obj.steps)) {
      if (!nodeIds.has(nodeId)) throw new ShapeError(`${where}.steps.${nodeId} names no step of this workflow`);
      const o = expectObject(override, `${where}.steps.${nodeId}`, ['status', 'output']);
      const status = optOneOf(o.status, `${where}.steps.${nodeId}.status`, STEP_STATUSES);
      retry.steps[nodeId] = {
        ...(status !== undefined ? { status } : {}),
        ...(o.output !== undefined ? { output: o.output } : {}),
      };
    }
  }
  return retry;
}

/** Node ids after the repeat generator: n1 stays n1; n1 with repeat 3 becomes n1_1..n1_3. */
export function expandedNodeIds(step: ScenarioStep): string[] {
  const repeat = step.repeat ?? 1;
  if (repeat === 1) return [step.node_id];
  return Array.from({ length: repeat }, (_, i) => `${step.node_id}_${i + 1}`);
}

function checkWorkflow(value: unknown, where: string): ScenarioWorkflow {
  const obj = expectObject(value, where, [
    'id', 'name', 'description', 'start_after_ms', 'steps', 'outcome', 'error_message', 'end_after_ms', 'retry',
  ]);
  const id = required(optString(obj.id, `${where}.id`), `${where}.id`, 'e.g. "fl_my_flow"');
  if (!WORKFLOW_ID.test(id) || id.startsWith('fl_run_')) {
    throw new ShapeError(`${where}.id must be "fl_" followed by letters, digits, _ or - (got "${id}")`);
  }
  if (!Array.isArray(obj.steps) || obj.steps.length === 0) {
    throw new ShapeError(`${where}.steps must be a non-empty array of steps`);
  }
  const workflow: ScenarioWorkflow = {
    id,
    name: required(optString(obj.name, `${where}.name`), `${where}.name`, 'e.g. "Customer Onboarding"'),
    steps: obj.steps.map((step, i) => checkStep(step, `${where}.steps[${i}]`)),
  };
  const description = optNullableString(obj.description, `${where}.description`);
  const startAfter = optInt(obj.start_after_ms, `${where}.start_after_ms`, 0, MAX_MS);
  const endAfter = optInt(obj.end_after_ms, `${where}.end_after_ms`, 0, MAX_MS);
  const outcome = optString(obj.outcome, `${where}.outcome`);
  const errorMessage = optNullableString(obj.error_message, `${where}.error_message`);
  if (description !== undefined) workflow.description = description;
  if (startAfter !== undefined) workflow.start_after_ms = startAfter;
  if (endAfter !== undefined) workflow.end_after_ms = endAfter;
  if (outcome !== undefined) workflow.outcome = outcome;
  if (errorMessage !== undefined) workflow.error_message = errorMessage;
  if (obj.retry !== undefined) {
    const nodeIds = new Set(workflow.steps.flatMap(expandedNodeIds));
    workflow.retry = checkRetry(obj.retry, `${where}.retry`, nodeIds);
  }
  return workflow;
}

/** Checks a parsed scenario; a problem is a UsageError "<source>: <field> <what is wrong>". */
export function validateScenario(data: unknown, source: string): ScenarioFile {
  try {
    const root = expectObject(data, 'the file', ['workflows', 'faults']);
    if (!Array.isArray(root.workflows) || root.workflows.length === 0) {
      throw new ShapeError('"workflows" must be a non-empty array of workflows');
    }
    const workflows = root.workflows.map((w, i) => checkWorkflow(w, `workflows[${i}]`));
    const seen = new Set<string>();
    for (const [i, w] of workflows.entries()) {
      if (seen.has(w.id)) throw new ShapeError(`workflows[${i}].id "${w.id}" is used twice`);
      seen.add(w.id);
    }
    if (root.faults !== undefined && !Array.isArray(root.faults)) throw new ShapeError('"faults" must be an array of fault rules');
    const faults = (root.faults ?? []).map((f, i) => validateFaultRule(f, `faults[${i}]`));
    return { workflows, faults };
  } catch (err) {
    if (err instanceof ShapeError) throw new UsageError(`${source}: ${err.message}`, 'see examples/workflows.json for the format');
    throw err;
  }
}

/** Reads, parses and checks a scenario file; every problem is one UsageError naming the file. */
export async function loadScenarioFile(path: string): Promise<ScenarioFile> {
  let text: string;
  try {
    // A regular file, opened non-blocking and read bounded: `--workflows /dev/zero` or a FIFO
    // with no writer is one line at once, never a heap exhausted or a start-up no signal stops.
    text = readFileBounded(path, { maxBytes: MAX_SCENARIO_BYTES, regularOnly: true }).replace(/^\uFEFF/, '');
  } catch (err) {
    if (err instanceof TooLargeError) throw new UsageError(`cannot read workflows file ${path}: ${err.message}`);
    const code = isObject(err) && typeof err.code === 'string' ? err.code : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'ENOTREG' ? 'not a regular file' : code || 'unreadable';
    throw new UsageError(`cannot read workflows file ${path}: ${why}`);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    throw new UsageError(`${path}: not valid JSON at line ${line}, column ${column}: ${reason}`);
  }
  const data = parsed.value;
  return validateScenario(data, path);
}
