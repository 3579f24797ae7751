/** Computes a run's state at a given time from its script: no timers, so a fake clock drives it. */
import type { WorkflowLog, WorkflowRun } from '../api/types.js';
import { logId } from './ids.js';
import type { RunRecord } from './run-record.js';
import { TRIGGER_OUTPUT, type ScriptStep } from './script.js';
import { apiTime } from './timestamps.js';

export interface LoggedStep {
  index: number;
  nodeId: string;
  componentId: string;
  status: string;
  output: unknown;
  /** Epoch ms of the log. */
  at: number;
}

interface Timing {
  startedAt: number;
  /** Offset subtracted from a step's atMs (the resumed node's time). */
  base: number;
  endsAt: number;
}

function timing(run: RunRecord): Timing {
  const { script, startIndex, createdAt } = run;
  const base = startIndex > 0 ? (script.steps[startIndex - 1]?.atMs ?? 0) : 0;
  const last = script.steps.length > startIndex ? (script.steps[script.steps.length - 1]?.atMs ?? 0) - base : 0;
  const startedAt = createdAt + script.startAfterMs;
  return { startedAt, base, endsAt: startedAt + last + script.endAfterMs };
}

function effective(run: RunRecord, step: ScriptStep): { status: string; output: unknown } {
  const override = run.retried ? run.script.retry?.steps.get(step.nodeId) : undefined;
  const output = override?.output ?? step.output;
  return {
    status: override?.status ?? step.status,
    output: output === TRIGGER_OUTPUT ? { trigger_type: 'manual', context: run.context } : output,
  };
}

/** The steps a run has logged by `now`, in order. */
export function loggedSteps(run: RunRecord, now: number): LoggedStep[] {
  const { startedAt, base } = timing(run);
  const out: LoggedStep[] = [];
  for (let i = run.startIndex; i < run.script.steps.length; i += 1) {
    const step = run.script.steps[i] as ScriptStep;
    const at = startedAt + step.atMs - base;
    if (at > now) break;
    out.push({ index: i, nodeId: step.nodeId, componentId: step.componentId, at, ...effective(run, step) });
  }
  return out;
}

function outcomeOf(run: RunRecord): { status: string; errorMessage: string | null } {
  const retry = run.retried ? run.script.retry : null;
  // Rehearsal hook: a context's "sandbox_outcome" decides how that run ends, so one workflow
  // can have runs that fail among runs that complete (fan-out rehearsals and the bench).
  const forced = run.context.sandbox_outcome;
  if (!retry && typeof forced === 'string' && forced !== '') return { status: forced, errorMessage: forced === 'failed' ? 'Failed as its context asked (sandbox_outcome)' : null };
  return retry
    ? { status: retry.outcome, errorMessage: retry.errorMessage }
    : { status: run.script.outcome, errorMessage: run.script.errorMessage };
}

/** The run as the API would answer at `now`; without logs for list pages. */
export function viewRun(run: RunRecord, now: number, withLogs = true): WorkflowRun {
  const { startedAt, endsAt } = timing(run);
  const view: WorkflowRun = {
    id: run.id,
    status: 'pending',
    error_message: null,
    started_at: null,
    completed_at: null,
    duration_in_seconds: null,
  };
  if (now >= startedAt) {
    view.status = 'running';
    view.started_at = apiTime(startedAt);
  }
  if (now >= endsAt) {
    const outcome = outcomeOf(run);
    view.status = outcome.status;
    view.error_message = outcome.errorMessage;
    if (outcome.status !== 'awaiting_ui_interaction') {
      view.completed_at = apiTime(endsAt);
      view.duration_in_seconds = Math.round(endsAt - startedAt) / 1000;
    }
  }
  if (withLogs) {
    view.logs = loggedSteps(run, now).map(
      (s): WorkflowLog => ({
        id: logId(run.logPrefix, s.index),
        node_id: s.nodeId,
        component_id: s.componentId,
        status: s.status,
        output: s.output,
        created_at: apiTime(s.at),
      }),
    );
  }
  return view;
}

/** The answer to a launch (execute, rerun, resume): the run as just queued. */
export function launchView(run: RunRecord): WorkflowRun {
  return viewRun(run, Number.NEGATIVE_INFINITY);
}
