// The GitHub Action's inputs (action.yml) as the runner sets them, turned into alto's argv.
// Pure: everything comes from the environment passed in; nothing is read or sent here.
import { createHash } from 'node:crypto';
import type { Env } from '../deps.js';
import { UsageError } from '../errors.js';

/** The inputs action.yml declares, in its order. */
export const ACTION_INPUTS = [
  'workflow',
  'context',
  'context-file',
  'fields',
  'watch',
  'timeout',
  'strict',
  'each',
  'idempotency-key',
  'token',
  'api-url',
] as const;
export type ActionInputName = (typeof ACTION_INPUTS)[number];

/** Largest `context` or `fields` input, in characters (the runner's own env caps are larger). */
export const MAX_INPUT_CHARS = 1024 * 1024;
/** Largest single-line input (workflow, paths, durations, URL, key), in characters. */
export const MAX_SHORT_INPUT_CHARS = 4096;
/** Most `key=value` lines in `fields`. */
export const MAX_FIELDS = 1000;

/**
 * An input as the runner passes it: INPUT_<name uppercased, spaces as `_`> (a dash stays a dash,
 * e.g. INPUT_CONTEXT-FILE), trimmed as @actions/core's getInput trims it. Unset reads as ''.
 */
export function readInput(env: Env, name: ActionInputName): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** YAML 1.2 core-schema booleans, as @actions/core's getBooleanInput reads them; '' is the default. */
export function booleanInput(env: Env, name: ActionInputName, fallback: boolean): boolean {
  const raw = readInput(env, name);
  if (raw === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(raw)) return true;
  if (['false', 'False', 'FALSE'].includes(raw)) return false;
  throw new UsageError(`input \`${name}\` must be true or false, not ${quote(raw)}`);
}

/** What the entry runs: alto's argv, the token for ALTO_TOKEN, and stdin text (inline context). */
export interface ActionPlan {
  argv: string[];
  token: string;
  stdin: string | undefined;
  /** The Idempotency-Key passed to alto (given or derived); undefined outside a workflow run. */
  idempotencyKey: string | undefined;
}

/** The token to mask and hand to alto: the `token` input, else ALTO_TOKEN from the step's env. */
export function actionToken(env: Env): string {
  return readInput(env, 'token') || (env.ALTO_TOKEN ?? '').trim();
}

/**
 * Validates the inputs and builds `alto workflow execute` argv. Every value goes in `--flag=value`
 * form and the workflow id after `--`, so no input can be read as another flag. Throws UsageError.
 */
export function planAction(env: Env): ActionPlan {
  const short = (name: ActionInputName) => {
    const value = readInput(env, name);
    if (value.length > MAX_SHORT_INPUT_CHARS) throw new UsageError(`input \`${name}\` is longer than ${MAX_SHORT_INPUT_CHARS} characters`);
    if (/[\u0000-\u001f\u007f]/.test(value)) throw new UsageError(`input \`${name}\` must be one line without control characters`);
    return value;
  };
  const workflow = short('workflow');
  if (workflow === '') throw new UsageError('input `workflow` is required: the id of the workflow to run');
  const context = readInput(env, 'context');
  const contextFile = short('context-file');
  const each = short('each');
  const timeout = short('timeout');
  const apiUrl = short('api-url');
  const givenKey = short('idempotency-key');
  const rawFields = readInput(env, 'fields');
  const watch = booleanInput(env, 'watch', true);
  const strict = booleanInput(env, 'strict', false);

  if (context !== '' && contextFile !== '') throw new UsageError('give input `context` or `context-file`, not both');
  if (context.length > MAX_INPUT_CHARS) throw new UsageError(`input \`context\` is larger than ${MAX_INPUT_CHARS} characters; use \`context-file\``);
  if (context !== '') checkContextJson(context);
  if (!watch && (timeout !== '' || strict)) {
    throw new UsageError('inputs `timeout` and `strict` need `watch: true`', 'remove them, or let the action watch the run');
  }
  const fields = parseFields(rawFields);

  const key = givenKey !== '' ? givenKey : defaultIdempotencyKey(env, { workflow, context, contextFile, fields: rawFields, each });
  const argv = ['workflow', 'execute'];
  if (apiUrl !== '') argv.push(`--api-url=${apiUrl}`);
  if (context !== '') argv.push('--context=-');
  if (contextFile !== '') argv.push(`--context=${contextFile}`);
  if (each !== '') argv.push(`--each=${each}`);
  for (const field of fields) argv.push(`--field=${field}`);
  if (key !== undefined) argv.push(`--idempotency-key=${key}`);
  if (watch) argv.push('--watch');
  if (timeout !== '') argv.push(`--timeout=${timeout}`);
  if (strict) argv.push('--strict');
  argv.push('--', workflow);
  return { argv, token: actionToken(env), stdin: context === '' ? undefined : context, idempotencyKey: key };
}

/**
 * `fields`: one `key=value` a line, each passed as alto's `-f` (a string, never parsed as JSON and
 * never `@path`): values are often `${{ }}` expressions, and a branch named `true` or `@/etc/passwd`
 * must arrive as that text. Typed values go in `context`. Blank lines are skipped; CRLF is accepted.
 */
export function parseFields(raw: string): string[] {
  if (raw.length > MAX_INPUT_CHARS) throw new UsageError(`input \`fields\` is larger than ${MAX_INPUT_CHARS} characters`);
  const out: string[] = [];
  raw.split('\n').forEach((text, i) => {
    const line = text.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '') return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new UsageError(`input \`fields\`, line ${i + 1}: expected key=value, got ${quote(line)}`);
    if (out.length === MAX_FIELDS) throw new UsageError(`input \`fields\` has more than ${MAX_FIELDS} lines`);
    out.push(line);
  });
  return out;
}

function checkContextJson(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`input \`context\` is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError('input `context` must be a JSON object');
}

/**
 * The default Idempotency-Key: the same for every attempt to send one step's request (so a retry
 * re-attaches) and new for a re-run of the job (GITHUB_RUN_ATTEMPT grows). GITHUB_ACTION tells
 * two steps of one job apart; a digest of the request's inputs tells matrix legs apart (they share
 * GITHUB_JOB). Outside a workflow run (no GITHUB_RUN_ID) there is none: alto picks a random key.
 */
export function defaultIdempotencyKey(env: Env, request: Record<string, string>): string | undefined {
  const runId = (env.GITHUB_RUN_ID ?? '').trim();
  if (runId === '') return undefined;
  const digest = createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 16);
  const part = (name: string, fallback: string) => (env[name] ?? '').trim().slice(0, 200) || fallback;
  return [
    'alto-action',
    part('GITHUB_REPOSITORY', '-'),
    runId.slice(0, 200),
    part('GITHUB_RUN_ATTEMPT', '1'),
    part('GITHUB_JOB', '-'),
    part('GITHUB_ACTION', '-'),
    digest,
  ].join(':');
}

function quote(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut);
}
