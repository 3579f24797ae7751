/** Fault rules: the `--fault MATCH=KIND[:k=v,...]` syntax and the checks shared with scenario files. */
import { UsageError } from '../errors.js';
import { ENDPOINTS, endpointsMatching } from './endpoints.js';
import { FAULT_KINDS, type FaultKind, type FaultRule } from './types.js';
import { ShapeError, expectObject, optInt, optOneOf, optString } from './shape.js';

export const FAULT_SYNTAX = 'METHOD /path/glob=KIND[:key=value,...], e.g. "GET /workflows/runs/*=http_error:status=503,times=3"';

const METHODS = ['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const COMMON_KEYS = ['skip', 'times'] as const;
const KIND_KEYS: Record<FaultKind, readonly string[]> = {
  rate_limit: ['retry_after'],
  http_error: ['status'],
  slow: ['delay_ms'],
  reset: [],
  truncate: [],
  hang: [],
  reset_after_create: [],
  empty_body: [],
};

/** Checks one rule object (from a scenario file or the API); throws ShapeError naming the field. */
export function validateFaultRule(value: unknown, where: string): FaultRule {
  const obj = expectObject(value, where, ['match', 'kind', 'status', 'retry_after', 'delay_ms', 'skip', 'times']);
  const match = optString(obj.match, `${where}.match`);
  if (match === undefined) throw new ShapeError(`${where}.match is required (e.g. "GET /workflows/runs/*")`);
  checkMatch(match, `${where}.match`);
  const kind = optOneOf(obj.kind, `${where}.kind`, FAULT_KINDS);
  if (kind === undefined) throw new ShapeError(`${where}.kind is required (one of ${FAULT_KINDS.join(', ')})`);
  const allowed: readonly string[] = [...COMMON_KEYS, ...KIND_KEYS[kind]];
  for (const key of ['status', 'retry_after', 'delay_ms']) {
    if (obj[key] !== undefined && !allowed.includes(key)) {
      throw new ShapeError(`${where}.${key} does not apply to kind ${kind} (allowed: ${allowed.join(', ')})`);
    }
  }
  const rule: FaultRule = { match, kind };
  const status = optInt(obj.status, `${where}.status`, 400, 599);
  const retryAfter = optInt(obj.retry_after, `${where}.retry_after`, 0, 86_400);
  const delay = optInt(obj.delay_ms, `${where}.delay_ms`, 0, 3_600_000);
  const skip = optInt(obj.skip, `${where}.skip`, 0, Number.MAX_SAFE_INTEGER);
  const times = optInt(obj.times, `${where}.times`, -1, Number.MAX_SAFE_INTEGER);
  if (status !== undefined) rule.status = status;
  if (retryAfter !== undefined) rule.retry_after = retryAfter;
  if (delay !== undefined) rule.delay_ms = delay;
  if (skip !== undefined) rule.skip = skip;
  if (times !== undefined) {
    if (times === 0) throw new ShapeError(`${where}.times must be -1 (forever) or at least 1 (got 0)`);
    rule.times = times;
  }
  // Last, so a rule with several mistakes names the simpler one first.
  if (endpointsMatching(match).length === 0) {
    // A typo ("/workflow/runs/*", "GET .../execute") would otherwise inject nothing, silently.
    throw new ShapeError(`${where}.match "${match}" matches no endpoint of the sandbox (${ENDPOINTS.map((e) => e.replace(/:\w+/g, '*')).join(', ')})`);
  }
  return rule;
}

function checkMatch(match: string, where: string): void {
  if (match === '*') return;
  const space = match.indexOf(' ');
  const method = space === -1 ? '*' : match.slice(0, space).toUpperCase();
  const path = space === -1 ? match : match.slice(space + 1).trim();
  if (!METHODS.includes(method)) throw new ShapeError(`${where} has an unknown method "${match.slice(0, space)}"`);
  if (!path.startsWith('/')) throw new ShapeError(`${where} must be "METHOD /path" with a path starting with "/" (got "${match}")`);
}

/** Parses one `--fault` value; a bad rule is a UsageError that quotes it and shows the syntax. */
export function parseFaultRule(text: string): FaultRule {
  const fail = (why: string): never => {
    throw new UsageError(`invalid --fault "${text}": ${why}`, `syntax: ${FAULT_SYNTAX}`);
  };
  const eq = text.indexOf('=');
  if (eq === -1) return fail('expected MATCH=KIND');
  const match = text.slice(0, eq).trim();
  const rest = text.slice(eq + 1).trim();
  const colon = rest.indexOf(':');
  const kind = (colon === -1 ? rest : rest.slice(0, colon)).trim();
  const obj: Record<string, unknown> = { match, kind };
  const params = colon === -1 ? '' : rest.slice(colon + 1);
  for (const pair of params.split(',').filter((p) => p.trim() !== '')) {
    const [key, value, ...extra] = pair.split('=').map((s) => s.trim());
    if (!key || value === undefined || value === '' || extra.length > 0) return fail(`"${pair}" is not key=value`);
    if (!/^-?\d+$/.test(value)) return fail(`${key} must be an integer (got "${value}")`);
    obj[key] = Number(value);
  }
  try {
    return validateFaultRule(obj, 'rule');
  } catch (err) {
    if (err instanceof ShapeError) return fail(err.message.replace(/^rule\.?/, '').trim());
    throw err;
  }
}

/** The inverse of parseFaultRule, for banners and logs. */
export function formatFaultRule(rule: FaultRule): string {
  const params = (['status', 'retry_after', 'delay_ms', 'skip', 'times'] as const)
    .filter((key) => rule[key] !== undefined)
    .map((key) => `${key}=${rule[key]}`);
  return `${rule.match}=${rule.kind}${params.length > 0 ? `:${params.join(',')}` : ''}`;
}
