// GitHub Actions files: step outputs ($GITHUB_OUTPUT) and the job summary ($GITHUB_STEP_SUMMARY).
// Writes go through an injected appendFile so tests keep them in memory.
import type { Env } from '../deps.js';
import type { RunEnding } from './ending.js';
import { formatDuration } from '../util/duration.js';
import { runView, type RunView } from './run-view.js';
import { freshToken } from './github.js';
import { cleanText, truncateChars } from './text.js';

export type AppendFile = (path: string, text: string) => Promise<void>;

/** Largest value written for one output, in characters (the runner caps a job's outputs at 1 MiB). */
export const MAX_OUTPUT_CHARS = 256 * 1024;
/** Largest summary written, in characters: well under the runner's 1 MiB per step. */
export const MAX_SUMMARY_CHARS = 512 * 1024;
const MAX_ROWS = 1000;
const MAX_CELL_CHARS = 200;

/** What a finished command reports as step outputs. One run: runIds has one id. */
export interface GithubOutputs {
  runIds: readonly string[];
  status: string;
  exitCode: number;
}

/**
 * The `$GITHUB_OUTPUT` text for name/value pairs: `name=value` for one line, else
 * `name<<DELIM` … `DELIM` with a random delimiter that occurs in no line of the value.
 */
export function githubOutputText(values: ReadonlyArray<readonly [string, string]>, randomToken: () => string): string {
  let text = '';
  for (const [name, raw] of values) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) throw new Error(`bad output name ${JSON.stringify(name)}`);
    const value = truncateChars(raw, MAX_OUTPUT_CHARS);
    if (!/[\r\n]/.test(value)) {
      text += `${name}=${value}\n`;
      continue;
    }
    // Not in the value, so never one of its lines.
    const delim = `ghadelimiter_${freshToken(value, randomToken, { minLength: 1, fallback: 'alto_' })}`;
    text += `${name}<<${delim}\n${value}\n${delim}\n`;
  }
  return text;
}

/** `run-ids` as a JSON array, cut (whole ids only, still valid JSON) to MAX_OUTPUT_CHARS. */
export function runIdsJson(ids: readonly string[]): string {
  const kept: string[] = [];
  let size = 2;
  for (const id of ids) {
    const add = JSON.stringify(id).length + 1;
    if (size + add > MAX_OUTPUT_CHARS) break;
    kept.push(id);
    size += add;
  }
  return JSON.stringify(kept);
}

/**
 * Appends `run-id`, `status`, `exit-code` and `run-ids` (JSON array; for fan-out) to the file
 * $GITHUB_OUTPUT names; nothing when it is unset. `run-id` is the first run's id.
 */
export async function writeGithubOutputs(env: Env, appendFile: AppendFile, outputs: GithubOutputs, randomToken: () => string): Promise<void> {
  const path = env.GITHUB_OUTPUT;
  if (!path) return;
  const text = githubOutputText(
    [
      ['run-id', outputs.runIds[0] ?? ''],
      ['status', outputs.status],
      ['exit-code', String(outputs.exitCode)],
      ['run-ids', runIdsJson(outputs.runIds)],
    ],
    randomToken,
  );
  await appendFile(path, text);
}

/**
 * Server text as one Markdown table cell (or inline text) that renders as the same characters:
 * controls and bidi dropped, newlines as spaces, cut, then every ASCII punctuation character
 * backslash-escaped (CommonMark allows it for all of them), so no `|`, link, image, emphasis,
 * code span or HTML tag can come from the server.
 */
export function markdownCell(text: string): string {
  const flat = cleanText(text).replace(/\ufffd/g, '').replace(/\s+/g, ' ').trim();
  return truncateChars(flat, MAX_CELL_CHARS).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** One run in a summary: the run as the API sent it (any value), and what alto made of it. */
export interface SummaryRun {
  run: unknown;
  /** Workflow id or name alto knows from the command line. */
  workflow?: string;
  /** Fan-out label. */
  label?: string;
  /** alto's exit code for this run. */
  exitCode?: number;
  /** `launch_failed`: a fan-out line whose run never started (status shown as such, with `error`). */
  ending?: RunEnding;
  error?: string;
}

const STATUS_ICON: Record<string, string> = { completed: '✅', success: '✅', failed: '❌', error: '❌', launch_failed: '❌', warning: '⚠️', awaiting_ui_interaction: '⏸️' };
const icon = (status: string) => STATUS_ICON[status] ?? '•';
const duration = (ms: number | undefined) => (ms === undefined ? '-' : formatDuration(ms));

/** The run's status, or `launch_failed` for a line whose run never started. */
export function summaryStatusOf(r: { ending?: RunEnding }, v: RunView): string {
  return r.ending === 'launch_failed' ? 'launch_failed' : v.status;
}

function runTitle(r: SummaryRun, v: RunView): string {
  return r.workflow || v.workflowName || 'workflow';
}

function singleRun(r: SummaryRun): string[] {
  const v = runView(r.run);
  const lines = [
    `### alto: ${markdownCell(runTitle(r, v))}`,
    '',
    `- **Run:** ${markdownCell(v.id)}`,
    `- **Outcome:** ${icon(summaryStatusOf(r, v))} ${markdownCell(summaryStatusOf(r, v))}${r.exitCode === undefined ? '' : ` (exit ${r.exitCode})`}`,
    `- **Duration:** ${duration(v.durationMs)}`,
  ];
  const error = v.errorMessage || (r.ending === 'launch_failed' ? (r.error ?? '') : '');
  if (error) lines.push(`- **Error:** ${markdownCell(error)}`);
  lines.push('', '| # | Step | Component | Status |', '|---:|---|---|---|');
  v.steps.slice(0, MAX_ROWS).forEach((s, i) => {
    lines.push(`| ${i + 1} | ${markdownCell(s.nodeId)} | ${markdownCell(s.component) || '\\-'} | ${icon(s.status)} ${markdownCell(s.status)} |`);
  });
  const hidden = Math.max(0, v.steps.length - MAX_ROWS) + v.droppedSteps;
  if (v.steps.length === 0) lines.push('| | no steps logged | | |');
  if (hidden > 0) lines.push('', `_${hidden} more steps not shown._`);
  return lines;
}

function fanOut(runs: readonly SummaryRun[]): string[] {
  const lines = [`### alto: ${runs.length} runs`, '', '| # | Label | Workflow | Run | Status | Exit | Duration |', '|---:|---|---|---|---|---:|---:|'];
  runs.slice(0, MAX_ROWS).forEach((r, i) => {
    const v = runView(r.run);
    const cells = [
      String(i + 1),
      markdownCell(r.label ?? '') || '\\-',
      markdownCell(runTitle(r, v)),
      markdownCell(v.id) || '\\-',
      `${icon(summaryStatusOf(r, v))} ${markdownCell(summaryStatusOf(r, v))}`,
      r.exitCode === undefined ? '\\-' : String(r.exitCode),
      duration(v.durationMs),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });
  if (runs.length > MAX_ROWS) lines.push('', `_${runs.length - MAX_ROWS} more runs not shown._`);
  return lines;
}

/** The Markdown job summary for one run (steps table) or a fan-out (one row per run), at most MAX_SUMMARY_CHARS. */
export function renderStepSummary(runs: readonly SummaryRun[]): string {
  const lines = runs.length === 1 && runs[0] ? singleRun(runs[0]) : fanOut(runs);
  let text = '';
  for (const line of lines) {
    if (text.length + line.length + 200 > MAX_SUMMARY_CHARS) {
      text += '\n_Summary cut: it reached alto\'s size limit._\n';
      break;
    }
    text += `${line}\n`;
  }
  return `${text}\n`;
}

/** Appends the summary to the file $GITHUB_STEP_SUMMARY names; nothing when it is unset. */
export async function writeStepSummary(env: Env, appendFile: AppendFile, runs: readonly SummaryRun[]): Promise<void> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return;
  await appendFile(path, renderStepSummary(runs));
}
