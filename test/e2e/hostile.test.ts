// Issue 7: alto against a hostile API, terminal and machine. One table row (or a few) per numbered
// defect class 1–17; each row spawns bin/alto against its own hostile server (loopback, bounded)
// and asserts what the issue and ../shared/CLI.md demand, not what the code did when it was filed.
// Invariants checked on every row: no exit 70, no stack trace, no token, in text mode no raw
// control or bidi character from the server, and an end by itself (a row killed at its hard limit
// fails). No row bounds wall time otherwise: "not retried" or "stopped" is a count of requests.
// Rows run concurrently, each against its own server.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { jsonArrayStream, startHostileServer, type HostileServer, type HostileServerOptions, type Route } from '../helpers/hostile-server.js';
import { type InProcessResult, runAltoInProcess } from '../helpers/in-process-alto.js';
import { ALTO, testHome } from '../helpers/spawn-alto.js';

const TOKEN = 'wfk_hostile_5ec2e7a1d9b04c33';
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
/** A uid with no passwd entry (checked in the rows that use it). */
const STRANGER = 12345;
/**
 * The Node binary STRANGER can run (root only): this one, or a hard link to it in a 0755 temp
 * directory when it lives where that uid cannot reach (CI's fetched Nodes under /root/.cache).
 */
const STRANGER_NODE = ((): string | undefined => {
  if (!IS_ROOT) return undefined;
  const runs = (node: string) => spawnSync(node, ['-e', '0'], { uid: STRANGER, gid: STRANGER }).status === 0;
  if (runs(process.execPath)) return process.execPath;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'alto-hostile-node-'));
    chmodSync(dir, 0o755);
    const node = join(dir, 'node');
    linkSync(process.execPath, node);
    return runs(node) ? node : undefined;
  } catch {
    return undefined;
  }
})();
const asStrangerSkip = () => (STRANGER_NODE ? undefined : IS_ROOT ? `uid ${STRANGER} cannot run ${process.execPath}` : 'needs root to run as a uid without a passwd entry');
const strangerDir = (mode: number) => {
  const d = tempDir(0o755);
  chownSync(d, STRANGER, STRANGER);
  chmodSync(d, mode);
  return d;
};
/** Raw control characters, C1 controls and bidi overrides/isolates: never in text-mode output. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const STACK = /^\s+at .+(:\d+:\d+\)?|native\))$/m;
/** Everything hostile a server can put in a string: SGR, OSC 8 link, OSC 52 clipboard, CSI via C1, bidi, NEL, CR. */
const EVIL = '\u001b[31mRED\u001b[0m \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 \u001b]52;c;ZXZpbA==\u0007 \u009b2J \u202egnp.exe\u202c \u2066iso\u2069 \u0085nel \rCR \u0007bell \u007fdel';

// ---------- fixtures ----------
const T0 = '2026-11-30T10:00:00.000000Z';
const log = (id: string, status: unknown = 'success', output: unknown = { ok: true }, extra: Record<string, unknown> = {}) => ({
  id,
  node_id: `n_${id}`,
  component_id: 'http',
  status,
  output,
  created_at: T0,
  ...extra,
});
const run = (id: string, status: unknown, logs: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  id,
  status,
  error_message: status === 'failed' ? 'step n2 failed' : null,
  started_at: T0,
  completed_at: status === 'completed' || status === 'failed' ? '2026-11-30T10:00:05.000000Z' : null,
  duration_in_seconds: status === 'completed' || status === 'failed' ? 5 : null,
  logs,
  ...extra,
});
const workflow = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Workflow ${id}`, description: 'a workflow', is_active: true, ...extra });
const page = (data: unknown[], meta: Record<string, unknown> = {}, links: Record<string, unknown> = {}) => ({
  data,
  links: { first: null, last: null, prev: null, next: null, ...links },
  meta: { current_page: 1, from: 1, last_page: 1, path: '/workflows/fl_wf/executions', per_page: 15, to: data.length, total: data.length, ...meta },
});
const apiError = (status: number, message: string) => ({ status, json: { type: 'invalid_request_error', code: 'bad', message, doc_url: 'https://x' } });

const RUN_PATH = /^\/workflows\/runs\/([^/]+)$/;
const EXECUTE_PATH = /^\/workflows\/([^/]+)\/execute$/;
const getRun = (answer: Route['answer']): Route => ({ method: 'GET', path: RUN_PATH, answer });
const execute = (answer: Route['answer']): Route => ({ method: 'POST', path: EXECUTE_PATH, answer });
const launched = (id: string, extra: Record<string, unknown> = {}) => ({ status: 202, json: run(id, 'pending', [], { started_at: null, ...extra }) });

// ---------- spawning ----------
const servers: HostileServer[] = [];
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of tempDirs.splice(0)) spawnSync('rm', ['-rf', d]);
  if (STRANGER_NODE && STRANGER_NODE !== process.execPath) spawnSync('rm', ['-rf', dirname(STRANGER_NODE)]);
});
function tempDir(mode = 0o700): string {
  const d = mkdtempSync(join(tmpdir(), 'alto-hostile-'));
  chmodSync(d, mode);
  tempDirs.push(d);
  return d;
}
async function server(routes: Route[], opts: Omit<HostileServerOptions, 'routes'> = {}): Promise<HostileServer> {
  const s = await startHostileServer({ routes, maxRequests: 400, ...opts });
  servers.push(s);
  return s;
}

/** A spawned run has the same shape as an in-process one. */
type Spawned = InProcessResult;
interface SpawnOpts {
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Kill with SIGKILL after this long (the row then fails: alto must end by itself). */
  hardLimitMs?: number;
  /** Run as this uid/gid (root only): a uid with no passwd entry, for whom permissions apply. */
  uid?: number;
  /** Called on each chunk of output with everything so far. */
  onOutput?: (child: ReturnType<typeof spawn>, all: string) => void;
  /** Spawn bin/alto even though nothing else here needs a process (a hang a worker cannot survive). */
  spawn?: boolean;
}

/**
 * Whether a run needs a real process: a uid, a child to signal, HOME unset (os.homedir reads the
 * process's HOME), NODE_OPTIONS (heap limits), the compile cache (XDG_CACHE_HOME, bin/alto.js),
 * the --version fast path. Everything else runs in this process (see in-process-alto.ts).
 */
function needsProcess(args: string[], opts: SpawnOpts): boolean {
  const env = opts.env ?? {};
  return opts.spawn === true || opts.uid !== undefined || opts.onOutput !== undefined || ('HOME' in env && env.HOME === undefined) || 'NODE_OPTIONS' in env || 'XDG_CACHE_HOME' in env || args.includes('--version') || args.includes('-V');
}

function alto(args: string[], opts: SpawnOpts = {}): Promise<Spawned> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: testHome(), TMPDIR: tmpdir(), ALTO_CONFIG_DIR: tempDir(), ALTO_TOKEN: TOKEN };
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  if (!needsProcess(args, opts)) return runAltoInProcess(args, { env, stdin: opts.stdin, hardLimitMs: opts.hardLimitMs });
  const started = performance.now();
  return new Promise((resolve) => {
    const node = (opts.uid !== undefined && STRANGER_NODE) || process.execPath;
    const child = spawn(node, [ALTO, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}) });
    const out: Buffer[] = [];
    let stderr = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => (out.push(d), (all += d.toString()), opts.onOutput?.(child, all)));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), (all += d.toString()), opts.onOutput?.(child, all)));
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.hardLimitMs ?? 12_000);
    child.stdin.on('error', () => undefined); // alto may stop reading a huge stdin: that is its right
    child.on('error', (err) => {
      // Not started at all (e.g. EACCES): fail the row at once instead of waiting for the test timeout.
      clearTimeout(killer);
      resolve({ code: null, signal: null, stdout: '', stderr: `spawn failed: ${err.message}`, stdoutBytes: 0, ms: performance.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stdout = Buffer.concat(out);
      resolve({ code, signal, stdout: stdout.toString(), stderr, stdoutBytes: stdout.length, ms: performance.now() - started });
    });
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

type Expect = ExpectStatic;

/** Runs a sh pipeline with the same clean environment as alto(); args are $0, $1, … */
function shell(script: string, args: string[], env: Record<string, string>): Promise<Spawned> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script, ...args], { env: { PATH: process.env.PATH ?? '', HOME: testHome(), TMPDIR: tmpdir(), ALTO_CONFIG_DIR: tempDir(), ALTO_TOKEN: TOKEN, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const stdout = Buffer.concat(out);
      resolve({ code, signal, stdout: stdout.toString(), stderr, stdoutBytes: stdout.length, ms: performance.now() - started });
    });
  });
}
/** The invariants of issue 7's "Checked by": no 70, no stack, no token, no raw control char in text mode. */
function invariants(expect: Expect, r: Spawned, args: string[], opts: { machine?: boolean } = {}) {
  const where = `alto ${args.join(' ')}\n--- stdout\n${r.stdout.slice(0, 1500)}\n--- stderr\n${r.stderr.slice(0, 1500)}`;
  expect(r.code, `exit 70 or killed: ${where}`).not.toBe(70);
  expect(r.signal, `killed by a signal: ${where}`).toBeNull();
  expect(r.stdout + r.stderr, `a stack trace: ${where}`).not.toMatch(STACK);
  expect(r.stdout + r.stderr, `the token: ${where}`).not.toContain(TOKEN);
  expect(r.stderr, `raw control character on stderr: ${where}`).not.toMatch(RAW_CONTROL);
  if (!opts.machine) expect(r.stdout, `raw control character on stdout: ${where}`).not.toMatch(RAW_CONTROL);
}

// ---------- the table ----------
interface Row {
  cls: number;
  name: string;
  argv: string[];
  routes?: () => Route[];
  env?: (s: HostileServer) => Record<string, string | undefined>;
  stdin?: string | Buffer;
  /** Exit code(s) the contract demands. */
  code: number | number[];
  stdout?: (string | RegExp)[];
  stderr?: (string | RegExp)[];
  notOut?: RegExp[];
  /** Request-count bounds: [method, path pattern, min, max]. */
  requests?: [string | undefined, RegExp | undefined, number, number][];
  /** What the server does with a request that is not HTTP (a TLS hello). */
  onGarbage?: HostileServerOptions['onGarbage'];
  /** Run as NOBODY_UID (rows that need a uid without a passwd entry; root only). */
  asStranger?: boolean;
  /** Row-specific checks. */
  check?: (expect: Expect, r: Spawned, s: HostileServer) => void;
  skip?: () => string | undefined;
}

const NOTHING_SENT: Row['requests'] = [[undefined, undefined, 0, 0]];
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
const rawRun = (id: string, outputJson: string) =>
  `{"id":"${id}","status":"completed","error_message":null,"started_at":"${T0}","completed_at":"${T0}","duration_in_seconds":1,"logs":[{"id":"fl_log_1","node_id":"n1","component_id":"x","status":"success","output":${outputJson},"created_at":"${T0}"}]}`;
/** 429 with this Retry-After for `ms` from the first request on (however late alto starts), then the run. */
const stormThen = (retryAfter: string, ms: number, then: unknown): Route['answer'] => {
  let first: number | undefined;
  return (c) => {
    first ??= c.elapsedMs;
    return c.elapsedMs - first < ms ? { status: 429, headers: { 'retry-after': retryAfter }, json: { type: 'rate_limit_error', code: 'rate_limited', message: 'slow down' } } : { json: then };
  };
};

const rows: Row[] = [
  // 2. An empty or blank Idempotency-Key is a usage error; a re-attach is said out loud.
  { cls: 2, name: 'empty --idempotency-key: exit 2, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--idempotency-key', ''], routes: () => [execute(launched('fl_run_1'))], code: 2, stderr: [/idempotency/i], requests: NOTHING_SENT },
  { cls: 2, name: 'blank --idempotency-key: exit 2, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--idempotency-key', '   '], routes: () => [execute(launched('fl_run_1'))], code: 2, stderr: [/idempotency/i], requests: NOTHING_SENT },
  {
    cls: 2,
    name: 'a key answered with an existing run: "re-attached … Idempotency-Key reused" on stderr',
    argv: ['wf', 'execute', 'fl_wf', '--idempotency-key', 'ci-job-1'],
    routes: () => [execute({ status: 200, json: run('fl_run_old', 'completed', [log('fl_log_1')], { started_at: '2026-11-30T08:00:00.000000Z' }) })],
    code: 0,
    stderr: [/re-attached to run fl_run_old/i, /Idempotency-Key reused/i],
  },
  // 3. Watch flags without --watch: exit 2, nothing sent, "add --watch".
  ...[['--strict'], ['--timeout', '10s'], ['--interval', '5s'], ['--max-outage', '1m'], ['--verbose']].map(
    (flag): Row => ({ cls: 3, name: `execute ${flag.join(' ')} without --watch: exit 2, "add --watch", nothing sent`, argv: ['wf', 'execute', 'fl_wf', ...flag], routes: () => [execute(launched('fl_run_1'))], code: 2, stderr: [/add --watch/], requests: NOTHING_SENT }),
  ),
  { cls: 3, name: 'rerun --strict without --watch: exit 2, nothing sent', argv: ['run', 'rerun', 'fl_run_1', '--strict'], code: 2, stderr: [/add --watch/], requests: NOTHING_SENT },
  // 5. --strict decides on every log seen, not only the last answer.
  {
    cls: 5,
    name: '--strict: an error step that a later answer drops still exits 1',
    argv: ['wf', 'execute', 'fl_wf', '--watch', '--strict', '--interval', '200ms'],
    routes: () => [
      execute(launched('fl_run_s')),
      getRun([{ json: run('fl_run_s', 'running', [log('fl_log_1'), log('fl_log_2', 'error', { error: 'boom' })]) }, { json: run('fl_run_s', 'completed', [log('fl_log_1')]) }]),
    ],
    code: 1,
  },
  // 6. 400/413/422 are the request's fault: exit 2 with the API's reason; 409 is retried.
  { cls: 6, name: '422 on execute: exit 2 with the API message, not retried', argv: ['wf', 'execute', 'fl_wf'], routes: () => [execute(apiError(422, 'Idempotency-Key was used for another workflow'))], code: 2, stderr: ['Idempotency-Key was used for another workflow'], requests: [['POST', undefined, 1, 1]] },
  {
    cls: 6,
    name: '422 problem+json on resume --from: exit 2 with detail',
    argv: ['run', 'resume', 'fl_run_1', '--from', 'n9'],
    routes: () => [{ method: 'POST', path: /resume-from/, answer: { status: 422, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: 'about:blank', title: 'Unprocessable', detail: 'node n9 is not part of run fl_run_1' }) } }],
    code: 2,
    stderr: ['node n9 is not part of run fl_run_1'],
    requests: [['POST', undefined, 1, 1]],
  },
  { cls: 6, name: '422 problem+json with only a title: exit 2 with the title', argv: ['wf', 'execute', 'fl_wf'], routes: () => [execute({ status: 422, headers: { 'content-type': 'application/problem+json' }, body: '{"title":"Context rejected by policy"}' })], code: 2, stderr: ['Context rejected by policy'] },
  { cls: 6, name: '413: exit 2 saying how large the context was', argv: ['wf', 'execute', 'fl_wf', '-f', `blob=${'x'.repeat(5000)}`], routes: () => [execute(apiError(413, 'Payload too large'))], code: 2, stderr: [/\d[\d.,]*\s*(bytes|B|KiB|KB|kB)\b/], requests: [['POST', undefined, 1, 1]] },
  { cls: 6, name: '400: exit 2 with the API message', argv: ['wf', 'execute', 'fl_wf'], routes: () => [execute(apiError(400, 'context.region must be a string'))], code: 2, stderr: ['context.region must be a string'] },
  {
    cls: 6,
    name: '409 (same key in progress) is retried with the same key: exit 0, one run',
    argv: ['wf', 'execute', 'fl_wf', '-q'],
    routes: () => [execute([apiError(409, 'A request with this Idempotency-Key is in progress'), launched('fl_run_409')])],
    code: 0,
    stdout: ['fl_run_409'],
    requests: [['POST', undefined, 2, 3]],
    check: (expect, _r, s) => expect(new Set(s.requests.map((q) => q.headers['idempotency-key'])).size).toBe(1),
  },
  // 7. Wrongly typed fields: total renderers, outcome independent of rendering.
  { cls: 7, name: 'failed run with numeric error_message: exit 1, not 70', argv: ['run', 'watch', 'fl_run_f'], routes: () => [getRun({ json: run('fl_run_f', 'failed', [log('fl_log_1', 'error', 42)], { error_message: 42 }) })], code: 1 },
  {
    cls: 7,
    name: 'run logs: component_id 7, output {"toString":1}, created_at true',
    argv: ['run', 'logs', 'fl_run_t'],
    routes: () => [getRun({ json: run('fl_run_t', 'completed', [log('fl_log_1', 'error', { toString: 1 }, { component_id: 7, created_at: true }), log('fl_log_2', 'success', { valueOf: 1, toJSON: 2 }, { component_id: [] })]) })],
    code: 0,
  },
  { cls: 7, name: 'wf get: description 9, name {"toString":1}, created_at []', argv: ['wf', 'get', 'fl_wf'], routes: () => [{ method: 'GET', path: '/workflows/fl_wf', answer: { json: workflow('fl_wf', { description: 9, name: { toString: 1 }, created_at: [] }) } }], code: 0 },
  { cls: 7, name: 'wf list: description 9, name null, is_active "yes"', argv: ['wf', 'list'], routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [workflow('fl_a', { description: 9, name: null, is_active: 'yes' }), workflow('fl_b', { name: { valueOf: 1 } })] } }], code: 0 },
  { cls: 7, name: 'run get: started_at true, duration "x", completed_at {}', argv: ['run', 'get', 'fl_run_g'], routes: () => [getRun({ json: run('fl_run_g', 'completed', [log('fl_log_1', 'warning', [1, { a: [] }])], { started_at: true, duration_in_seconds: 'x', completed_at: {} }) })], code: 0 },
  {
    cls: 7,
    name: 'wf runs: links.next an object, last_page an object',
    argv: ['wf', 'runs', 'fl_wf'],
    routes: () => [{ method: 'GET', path: /executions$/, answer: { json: page([run('fl_run_1', 'completed', [], { started_at: 5 })], { current_page: 1, last_page: {} }, { next: { href: 'x' } }) } }],
    code: 0,
  },
  {
    cls: 7,
    name: 'execute --watch --verbose: typed garbage in every field, run failed: exit 1',
    argv: ['wf', 'execute', 'fl_wf', '--watch', '--verbose'],
    routes: () => [execute(launched('fl_run_v', { status: 'pending' })), getRun({ json: run('fl_run_v', 'failed', [log('fl_log_1', 'error', { toString: 1 }, { component_id: 7, node_id: [] })], { error_message: { message: 1 }, started_at: false }) })],
    code: 1,
  },
  // 8. JSON 10,000 deep: no "Maximum call stack" in any output mode.
  { cls: 8, name: 'run get --json with output nested 10,000 deep', argv: ['run', 'get', 'fl_run_d', '--json'], routes: () => [getRun({ body: rawRun('fl_run_d', deep(10_000)), headers: { 'content-type': 'application/json' } })], code: [0, 5] },
  { cls: 8, name: 'run logs (text) with output nested 10,000 deep', argv: ['run', 'logs', 'fl_run_d'], routes: () => [getRun({ body: rawRun('fl_run_d', deep(10_000)), headers: { 'content-type': 'application/json' } })], code: [0, 5] },
  { cls: 8, name: 'run watch --output ndjson with output nested 10,000 deep', argv: ['run', 'watch', 'fl_run_d', '--output', 'ndjson'], routes: () => [getRun({ body: rawRun('fl_run_d', deep(10_000)), headers: { 'content-type': 'application/json' } })], code: [0, 5] },
  { cls: 8, name: 'run watch --verbose (text) with objects nested 10,000 deep', argv: ['run', 'watch', 'fl_run_d', '--verbose'], routes: () => [getRun({ body: rawRun('fl_run_d', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)), headers: { 'content-type': 'application/json' } })], code: [0, 5] },
  // Invalid JSON 100,000 deep: the position finder must not overflow the stack (exit 2 with a place, not 70).
  { cls: 8, name: '--context - with invalid JSON 100,000 deep: exit 2 with a position, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--context', '-', '--dry-run'], stdin: '{"a":' + '['.repeat(100_000), code: 2, stderr: [/^alto: invalid JSON in stdin at line 1, column \d+: nested too deep/m], requests: NOTHING_SENT },
  { cls: 8, name: '--each - (NDJSON) with invalid JSON 100,000 deep: exit 2 with a position, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--each', '-', '--dry-run'], stdin: '{"a":1}\n{"a":' + '['.repeat(100_000), code: 2, stderr: [/^alto: stdin:2: invalid JSON at column \d+: nested too deep/m], requests: NOTHING_SENT },
  // 9. Retry-After: 0 or negative: every retry waits at least the backoff floor; a watch's retries count against its budget.
  // The backoff floor waits >= 250, 500, 1000 ms: a 700 ms storm costs at most 4 requests however
  // slow the machine (a slower machine sends fewer); obeying Retry-After: 0 would send hundreds.
  { cls: 9, name: 'run get: 700 ms of 429 Retry-After: 0 costs at most 5 requests', argv: ['run', 'get', 'fl_run_r'], routes: () => [getRun(stormThen('0', 700, run('fl_run_r', 'completed')))], code: 0, requests: [['GET', undefined, 2, 5]] },
  { cls: 9, name: 'run get: 700 ms of 429 Retry-After: -1 costs at most 5 requests', argv: ['run', 'get', 'fl_run_r'], routes: () => [getRun(stormThen('-1', 700, run('fl_run_r', 'completed')))], code: 0, requests: [['GET', undefined, 2, 5]] },
  {
    cls: 9,
    name: 'run watch --max-outage 1s under 429 Retry-After: 0: exit 5, at most 8 requests',
    argv: ['run', 'watch', 'fl_run_r', '--max-outage', '1s'],
    routes: () => [getRun({ status: 429, headers: { 'retry-after': '0' }, json: { type: 'rate_limit_error', code: 'rate_limited', message: 'slow down' } })],
    code: 5,
    requests: [['GET', undefined, 1, 8]],
  },
  // 10. Size limits: context capped (exit 2 naming the limit), response capped (exit 5 naming it).
  { cls: 10, name: '--context /dev/zero: exit 2 naming the limit, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--context', '/dev/zero'], code: 2, stderr: [/\d+\s*MiB|MB|limit|too large/i], requests: NOTHING_SENT, env: () => ({ NODE_OPTIONS: '--max-old-space-size=256' }) },
  { cls: 10, name: '-F x=@/dev/zero: exit 2, nothing sent', argv: ['wf', 'execute', 'fl_wf', '-F', 'x=@/dev/zero'], code: 2, stderr: [/\d+\s*MiB|MB|limit|too large/i], requests: NOTHING_SENT, env: () => ({ NODE_OPTIONS: '--max-old-space-size=256' }) },
  { cls: 10, name: '--context - with 12 MiB on stdin: exit 2, nothing sent', argv: ['wf', 'execute', 'fl_wf', '--context', '-'], stdin: `{"a":"${'y'.repeat(12 << 20)}"}`, code: 2, stderr: [/\d+\s*MiB|MB|limit|too large/i], requests: NOTHING_SENT },
  {
    cls: 10,
    name: 'a 70 MiB response: exit 5 naming the limit, not "lost the connection"',
    argv: ['run', 'logs', 'fl_run_huge'],
    routes: () => [
      getRun({
        stream: function* () {
          yield `{"id":"fl_run_huge","status":"completed","started_at":"${T0}","logs":`;
          yield* jsonArrayStream(JSON.stringify(log('fl_log_x', 'success', 'x'.repeat(900))), 70 * 1024);
          yield '}';
        },
      }),
    ],
    code: 5,
    stderr: [/64\s*MiB|too large|limit/i],
    notOut: [/lost the connection/i],
  },
  // 11. No HOME / unusable config directory: one clear line, never 70.
  { cls: 11, name: 'HOME unset, ALTO_CONFIG_DIR set: run get works', argv: ['run', 'get', 'fl_run_h'], routes: () => [getRun({ json: run('fl_run_h', 'completed') })], env: () => ({ HOME: undefined }), code: 0, stdout: ['fl_run_h'] },
  { cls: 11, name: 'HOME unset, ALTO_CONFIG_DIR set: auth status is not 70', argv: ['auth', 'status'], routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [] } }], env: () => ({ HOME: undefined }), code: [0, 3] },
  {
    cls: 11,
    name: 'config dir under a regular file (ENOTDIR): auth login, one line, not 0/70',
    argv: ['auth', 'login', '--with-token'],
    stdin: `${TOKEN}\n`,
    routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [] } }],
    env: () => {
      const d = tempDir();
      writeFileSync(join(d, 'file'), 'x');
      return { ALTO_CONFIG_DIR: join(d, 'file', 'alto'), ALTO_TOKEN: undefined };
    },
    code: [2, 5],
    check: (expect, r) => expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2),
  },
  {
    cls: 11,
    name: 'config dir under a regular file: auth logout, not 70',
    argv: ['auth', 'logout'],
    env: () => {
      const d = tempDir();
      writeFileSync(join(d, 'file'), 'x');
      return { ALTO_CONFIG_DIR: join(d, 'file', 'alto'), ALTO_TOKEN: undefined };
    },
    code: [0, 2, 5],
  },
  {
    cls: 11,
    name: 'unwritable config dir (chmod 500): auth login, one line, not 0/70',
    skip: () => (IS_ROOT ? 'running as root: chmod 500 does not stop root; the uid-without-passwd rows below cover EACCES' : undefined),
    argv: ['auth', 'login', '--with-token'],
    stdin: `${TOKEN}\n`,
    routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [] } }],
    env: () => ({ ALTO_CONFIG_DIR: tempDir(0o500), ALTO_TOKEN: undefined }),
    code: [2, 5],
  },
  {
    cls: 11,
    name: 'uid without a passwd entry, HOME unset, chmod 500 config dir: auth login is EACCES, one line, not 0/70',
    skip: asStrangerSkip,
    asStranger: true,
    argv: ['auth', 'login', '--with-token'],
    stdin: `${TOKEN}\n`,
    routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [] } }],
    env: () => ({ HOME: undefined, ALTO_CONFIG_DIR: strangerDir(0o500), ALTO_TOKEN: undefined }),
    code: [2, 5],
    check: (expect, r) => expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2),
  },
  {
    cls: 11,
    name: 'uid without a passwd entry, HOME unset, chmod 500 config dir: auth logout, not 70',
    skip: asStrangerSkip,
    asStranger: true,
    argv: ['auth', 'logout'],
    env: () => {
      const d = strangerDir(0o700);
      writeFileSync(join(d, 'config.json'), JSON.stringify({ profiles: { default: { token: TOKEN, api_url: 'http://127.0.0.1:9' } } }));
      chownSync(join(d, 'config.json'), STRANGER, STRANGER);
      chmodSync(d, 0o500);
      return { HOME: undefined, ALTO_CONFIG_DIR: d, ALTO_TOKEN: undefined };
    },
    code: [2, 5],
  },
  {
    cls: 11,
    name: 'uid without a passwd entry, HOME unset, ALTO_CONFIG_DIR set: run get works',
    skip: asStrangerSkip,
    asStranger: true,
    argv: ['run', 'get', 'fl_run_h'],
    routes: () => [getRun({ json: run('fl_run_h', 'completed') })],
    env: () => ({ HOME: undefined, ALTO_CONFIG_DIR: strangerDir(0o700) }),
    code: 0,
    stdout: ['fl_run_h'],
  },
  {
    cls: 12,
    name: 'a config whose profiles is not an object: login is a clear error, not a silent no-op',
    argv: ['auth', 'login', '--with-token', '--profile', 'p'],
    stdin: `${TOKEN}\n`,
    routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [] } }],
    env: () => {
      const d = tempDir();
      writeFileSync(join(d, 'config.json'), '{"profiles": 5}');
      return { ALTO_CONFIG_DIR: d, ALTO_TOKEN: undefined };
    },
    code: [2, 5],
    stderr: [/profiles/],
  },
  // 13. Server text reaches the terminal cleaned, everywhere; --json stays byte-exact.
  { cls: 13, name: 'run logs: hostile node_id, status, output', argv: ['run', 'logs', 'fl_run_e'], routes: () => [getRun({ json: run('fl_run_e', 'completed', [log('fl_log_1', EVIL, EVIL, { node_id: EVIL, component_id: EVIL, created_at: EVIL }), log('fl_log_2', 'success', { [EVIL]: [EVIL] })]) })], code: 0, stdout: ['RED'] },
  {
    cls: 13,
    name: 'execute --watch --verbose: hostile statuses, outputs, failure digest',
    argv: ['wf', 'execute', 'fl_wf', '--watch', '--verbose'],
    routes: () => [
      execute(launched('fl_run_e', { status: EVIL })),
      getRun([{ json: run('fl_run_e', EVIL, [log('fl_log_1', 'success', EVIL)]) }, { json: run('fl_run_e', 'failed', [log('fl_log_1', 'success', EVIL), log('fl_log_2', 'error', { error: EVIL }, { node_id: EVIL })], { error_message: EVIL, started_at: EVIL }) }]),
    ],
    code: 1,
  },
  { cls: 13, name: 'run watch (not verbose): hostile one-line summaries and statuses', argv: ['run', 'watch', 'fl_run_e'], routes: () => [getRun([{ json: run('fl_run_e', EVIL, [log('fl_log_1', EVIL, EVIL)]) }, { json: run('fl_run_e', 'completed', [log('fl_log_1', EVIL, EVIL), log('fl_log_2', 'error', EVIL)], { completed_at: EVIL }) }])], code: 0 },
  { cls: 13, name: 'wf get: hostile name, description, node names', argv: ['wf', 'get', 'fl_wf'], routes: () => [{ method: 'GET', path: '/workflows/fl_wf', answer: { json: workflow('fl_wf', { name: EVIL, description: EVIL, nodes: [{ id: EVIL, type: EVIL, data: { label: EVIL } }], created_at: EVIL }) } }], code: 0 },
  { cls: 13, name: 'wf list: hostile names and ids', argv: ['wf', 'list'], routes: () => [{ method: 'GET', path: '/workflows', answer: { json: [workflow('fl_a', { name: EVIL, description: EVIL }), workflow(`fl_${EVIL}`)] } }], code: 0 },
  { cls: 13, name: 'wf runs: hostile status and dates', argv: ['wf', 'runs', 'fl_wf'], routes: () => [{ method: 'GET', path: /executions$/, answer: { json: page([run('fl_run_1', EVIL, [], { started_at: EVIL, error_message: EVIL })]) } }], code: 0 },
  { cls: 13, name: 'a 404 with a hostile message on stderr: exit 4, cleaned', argv: ['run', 'get', 'fl_run_x'], routes: () => [getRun(apiError(404, EVIL))], code: 4 },
  { cls: 13, name: 'a 422 with a hostile detail on resume --from: exit 2, cleaned', argv: ['run', 'resume', 'fl_run_1', '--from', 'n1'], routes: () => [{ method: 'POST', path: /resume-from/, answer: apiError(422, `unknown node ${EVIL}`) }], code: 2 },
  { cls: 13, name: 'rerun: hostile new_run status in the launch line', argv: ['run', 'rerun', 'fl_run_1'], routes: () => [{ method: 'POST', path: /rerun$/, answer: { status: 202, json: { message: EVIL, new_run: run('fl_run_new', EVIL, [], { started_at: EVIL }) } } }], code: 0, stdout: ['fl_run_new'] },
  {
    cls: 13,
    name: '--json carries server text byte-exact',
    argv: ['run', 'get', 'fl_run_e', '--json'],
    routes: () => [getRun({ json: run('fl_run_e', 'completed', [log('fl_log_1', 'success', EVIL)], { error_message: EVIL }) })],
    code: 0,
    check: (expect, r) => {
      const doc = JSON.parse(r.stdout) as { error_message: string; logs: { output: string }[] };
      expect(doc.error_message).toBe(EVIL);
      expect(doc.logs[0]?.output).toBe(EVIL);
    },
  },
  // 15. The token echoed back by the server is redacted everywhere.
  { cls: 15, name: 'run logs: a step that logged the Authorization header: token redacted on stdout', argv: ['run', 'logs', 'fl_run_k'], routes: () => [getRun({ json: run('fl_run_k', 'completed', [log('fl_log_1', 'success', { headers: { authorization: `Bearer ${TOKEN}` } })]) })], code: 0 },
  { cls: 15, name: 'execute --watch --verbose: token in a step output redacted', argv: ['wf', 'execute', 'fl_wf', '--watch', '--verbose'], routes: () => [execute(launched('fl_run_k')), getRun({ json: run('fl_run_k', 'completed', [log('fl_log_1', 'success', `echo ${TOKEN}`)]) })], code: 0 },
  { cls: 15, name: 'a 404 message echoing the token: redacted on stderr', argv: ['run', 'get', 'fl_run_k'], routes: () => [getRun(apiError(404, `no run for token ${TOKEN}`))], code: 4 },
  {
    cls: 15,
    name: 'fixed (src/util/redact.ts): a token cut by a view (step summary, error line) shows none of its head',
    argv: ['run', 'watch', 'fl_run_k'],
    routes: () => [
      getRun({ json: run('fl_run_k', 'failed', Array.from({ length: 90 }, (_, i) => log(`fl_log_${i}`, 'error', { m: `${'z'.repeat(i)}${TOKEN}` })), { error_message: `${'e'.repeat(300)}${TOKEN}` }) }),
    ],
    code: 1,
    check: (expect, r) => expect(r.stdout + r.stderr).not.toContain(TOKEN.slice(0, 8)),
  },
  {
    cls: 15,
    name: 'fixed (src/util/redact.ts): wf list names cut at the column width show none of the token',
    argv: ['wf', 'list'],
    routes: () => [{ method: 'GET', path: '/workflows', answer: { json: Array.from({ length: 70 }, (_, i) => workflow(`fl_${i}`, { name: `${'x'.repeat(i)}${TOKEN}` })) } }],
    code: 0,
    check: (expect, r) => expect(r.stdout + r.stderr).not.toContain(TOKEN.slice(0, 8)),
  },
  {
    cls: 15,
    name: '--debug with a 3-character token echoed in the response: redacted in the dump',
    argv: ['run', 'get', 'fl_run_k', '--debug'],
    routes: () => [getRun({ json: run('fl_run_k', 'completed', [log('fl_log_1', 'success', { echoed: 'Bearer Zq9', token: 'Zq9' })]) })],
    env: () => ({ ALTO_TOKEN: 'Zq9' }),
    code: 0,
    check: (expect, r, s) => {
      expect(s.requests[0]?.headers.authorization).toBe('Bearer Zq9');
      expect(r.stderr, 'the --debug dump on stderr').not.toContain('Zq9');
    },
  },
  {
    cls: 13,
    name: '--debug: a response body carrying raw C1 and bidi characters is cleaned in the dump',
    argv: ['run', 'get', 'fl_run_e', '--debug'],
    routes: () => [getRun({ json: run('fl_run_e', 'completed', [log('fl_log_1', 'success', EVIL)], { error_message: EVIL }) })],
    code: 0,
    check: (expect, r) => {
      // JSON escapes C0 controls but carries U+009B, U+202E, U+0085 and DEL raw: all must be gone.
      expect(r.stderr, 'the dumped body').toMatch(/^.*< .*"error_message".*gnp\.exe.*$/m);
      expect(r.stderr).not.toMatch(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    },
  },
  // 16. https:// to a plain-HTTP server: not retried, says TLS. Two ways such a server answers a TLS
  // hello: it hangs up (nginx and most servers; Node's with a clientError handler), or Node's own
  // "400 Bad Request" in plain text (the client sees a record that is not TLS).
  ...(['destroy', 'node'] as const).map(
    (onGarbage): Row => ({
      cls: 16,
      name: `https:// to a plain-http server that ${onGarbage === 'destroy' ? 'hangs up on the TLS hello' : 'answers it "400 Bad Request"'}: exit 5, a TLS hint, one connection, no retry`,
      argv: ['run', 'get', 'fl_run_1'],
      routes: () => [getRun({ json: run('fl_run_1', 'completed') })],
      onGarbage,
      env: (s) => ({ ALTO_API_URL: s.url.replace('http:', 'https:') }),
      code: 5,
      stderr: [/^alto: TLS handshake (with 127\.0\.0\.1:\d+ failed|failed with 127\.0\.0\.1:\d+).*is the server speaking https\?$/m],
      notOut: [/retrying|lost the connection/i],
      check: (expect, _r, s) => {
        expect(s.connections).toBe(1);
        expect(s.requests).toHaveLength(0);
      },
    }),
  ),
  {
    cls: 16,
    name: 'a connection lost after the request arrived (not a TLS mismatch) is still retried: exit 0',
    argv: ['run', 'get', 'fl_run_1'],
    routes: () => [getRun([{ reset: true }, { json: run('fl_run_1', 'completed') }])],
    code: 0,
    stdout: ['fl_run_1'],
    stderr: [/lost the connection to 127\.0\.0\.1:\d+.*retrying/],
    requests: [['GET', undefined, 2, 2]],
  },
  // 17. Smaller lies.
  { cls: 17, name: 'a JSON error body without "message" is not "truncated or malformed"', argv: ['run', 'get', 'fl_run_x'], routes: () => [getRun({ status: 404, json: { error: 'run expired' } })], code: 4, notOut: [/truncated|malformed/i] },
  { cls: 17, name: 'a 400 whose body is {"errors":{…}}: exit 2, not "malformed"', argv: ['wf', 'execute', 'fl_wf'], routes: () => [execute({ status: 400, json: { errors: { 'context.x': ['must be a number'] } } })], code: 2, notOut: [/truncated|malformed/i] },
  {
    cls: 17,
    name: 'a negative current_page never yields --page -4 (or 0)',
    argv: ['wf', 'runs', 'fl_wf'],
    routes: () => [{ method: 'GET', path: /executions$/, answer: { json: page([run('fl_run_1', 'completed')], { current_page: -5, last_page: 9 }, { next: null }) } }],
    code: [0, 5],
    notOut: [/--page\s+-/, /--page\s+0\b/],
  },
  {
    cls: 17,
    name: 'links.next with page=1e+23 never becomes --page 1e+23',
    argv: ['wf', 'runs', 'fl_wf'],
    routes: () => [{ method: 'GET', path: /executions$/, answer: { json: page([run('fl_run_1', 'completed')], { current_page: 1, last_page: 3 }, { next: 'http://127.0.0.1/workflows/fl_wf/executions?page=1e+23' }) } }],
    code: [0, 5],
    notOut: [/e\+23|--page\s+1e/, /--page\s+1\d{20}/],
  },
  {
    cls: 17,
    name: 'a launch reply with a good id and odd logs still shows the id',
    argv: ['wf', 'execute', 'fl_wf'],
    routes: () => [execute({ status: 202, json: { id: 'fl_run_odd', status: 'pending', logs: 'none', started_at: null } })],
    code: 0,
    stdout: ['fl_run_odd'],
  },
  { cls: 17, name: 'a GET that returns another run is not accepted as this run: exit 5', argv: ['run', 'watch', 'fl_run_a'], routes: () => [getRun({ json: run('fl_run_b', 'completed') })], code: 5, stderr: [/fl_run_a/], notOut: [/✔ .*completed/] },
  {
    cls: 17,
    name: 'duplicate log ids are counted once (ndjson)',
    argv: ['run', 'watch', 'fl_run_dup', '--output', 'ndjson'],
    routes: () => [getRun({ json: run('fl_run_dup', 'completed', [log('fl_log_1'), log('fl_log_1'), log('fl_log_2'), log('fl_log_2')]) })],
    code: 0,
    check: (expect, r) => {
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
      expect(events.filter((e) => e.type === 'log')).toHaveLength(2);
    },
  },
];

describe.concurrent('issue 7: hostile table', () => {
  it.for(rows.map((r) => [`${r.cls}. ${r.name}`, r] as const))('%s', async ([, row], { expect, skip }) => {
    const reason = row.skip?.();
    if (reason) skip(reason);
    const s = await server(row.routes?.() ?? [], { onGarbage: row.onGarbage });
    const env = { ALTO_API_URL: s.url, ...(row.env?.(s) ?? {}) };
    const r = await alto(row.argv, { env, stdin: row.stdin, uid: row.asStranger ? STRANGER : undefined });
    const machine = row.argv.includes('--json') || row.argv.includes('ndjson');
    invariants(expect, r, row.argv, { machine });
    const where = `--- stdout\n${r.stdout.slice(0, 1500)}\n--- stderr\n${r.stderr.slice(0, 1500)}`;
    const codes = Array.isArray(row.code) ? row.code : [row.code];
    expect(codes, `exit ${r.code}\n${where}`).toContain(r.code);
    for (const p of row.stdout ?? []) expect(r.stdout, where).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
    for (const p of row.stderr ?? []) expect(r.stderr, where).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
    for (const p of row.notOut ?? []) expect(r.stdout + r.stderr, where).not.toMatch(p);
    for (const [method, path, min, max] of row.requests ?? []) {
      const n = s.count(method, path);
      expect(n, `${method ?? 'any'} requests: ${n}\n${where}`).toBeGreaterThanOrEqual(min);
      expect(n, `${method ?? 'any'} requests: ${n}\n${where}`).toBeLessThanOrEqual(max);
    }
    expect(s.overCap).toBe(0);
    row.check?.(expect, r, s);
  });
});

// ---------- rows that need their own choreography ----------
describe.concurrent('issue 7: hostile process and machine', () => {
  it('1. more than 64 KiB on stdout to a reader 1 s behind: every byte arrives', async ({ expect }) => {
    const big = run('fl_run_big', 'completed', Array.from({ length: 300 }, (_, i) => log(`fl_log_${i}`, 'success', { line: 'z'.repeat(1000), i })));
    const served = join(tempDir(), 'served');
    const s = await server([getRun(() => (writeFileSync(served, ''), { json: big }))]);
    // A real pipe (spawn's 'pipe' is a socketpair with a larger buffer) whose reader starts 1 s late:
    // alto run get … --json | (sleep 1; cat). alto's own exit code goes to a file.
    // The reader wakes 1 s after the server answered (so alto has long finished rendering).
    const codeFile = join(tempDir(), 'code');
    const pipeline = `{ "$0" "$1" run get fl_run_big --json; echo $? > "$2"; } | { i=0; while [ ! -e "$3" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; sleep 1; cat; }`;
    const r = await shell(pipeline, [process.execPath, ALTO, codeFile, served], { ALTO_API_URL: s.url });
    invariants(expect, r, ['run', 'get', '--json'], { machine: true });
    expect(readFileSync(codeFile, 'utf8').trim()).toBe('0');
    expect(r.stdoutBytes).toBeGreaterThan(256 * 1024);
    expect(JSON.parse(r.stdout)).toEqual(big);
  });

  it('4. stdout closed mid-watch: stop watching, exit 141', async ({ expect }) => {
    // Every poll brings one more step, so alto keeps writing to stdout.
    const s = await server([getRun((c) => ({ json: run('fl_run_live', 'running', Array.from({ length: c.index + 1 }, (_, i) => log(`fl_log_${i}`))) }))]);
    let closedAt = -1;
    const r = await alto(['run', 'watch', 'fl_run_live', '--interval', '200ms'], {
      env: { ALTO_API_URL: s.url },
      onOutput: (child, all) => {
        if (closedAt < 0 && all.includes('n_fl_log_0')) {
          closedAt = s.requests.length;
          child.stdout?.destroy();
        }
      },
    });
    expect(closedAt, r.stderr).toBeGreaterThan(0);
    expect(r.code === 141 || r.signal === 'SIGPIPE', `code ${r.code} signal ${r.signal}\n${r.stderr}`).toBe(true);
    expect(r.stderr).not.toMatch(STACK);
    // It stopped watching: at most a couple of polls after the pipe closed.
    expect(s.requests.length - closedAt).toBeLessThanOrEqual(3);
  });

  // 12. Four logins at once: test/e2e/process-config.test.ts (four rounds); the bad-config row is above.

  it('16. a refused connection: one stderr line at the first retry says what failed and that alto is retrying', async ({ expect }) => {
    const s = await server([]);
    const url = s.url;
    await s.close(); // the port is now closed: connections are refused
    let sawAt = -1;
    const started = performance.now();
    const r = await alto(['run', 'get', 'fl_run_1'], {
      env: { ALTO_API_URL: url },
      onOutput: (child, all) => {
        if (sawAt < 0 && /retry/i.test(all)) {
          sawAt = performance.now() - started;
          child.kill('SIGINT');
        }
      },
    });
    // Seen while alto was still running (it is then interrupted): said at the first retry, not at the end.
    expect(sawAt, `no retry line before alto ended; stderr: ${r.stderr}`).toBeGreaterThan(0);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/refused|ECONNREFUSED|could not connect|cannot connect/i);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('17. SIGTERM mid-watch: the re-attach hint, exit 143', async ({ expect }) => {
    const s = await server([getRun({ json: run('fl_run_term', 'running', [log('fl_log_1')]) })]);
    let sent = false;
    const r = await alto(['run', 'watch', 'fl_run_term'], {
      env: { ALTO_API_URL: s.url },
      onOutput: (child, all) => {
        if (!sent && all.includes('n_fl_log_1')) {
          sent = true;
          setTimeout(() => child.kill('SIGTERM'), 200);
        }
      },
    });
    expect(sent, r.stdout + r.stderr).toBe(true);
    expect(r.code === 143 || r.signal === 'SIGTERM', `code ${r.code} signal ${r.signal}`).toBe(true);
    expect(r.stderr).toContain('alto run watch fl_run_term');
    expect(r.stderr).not.toMatch(STACK);
  });
});

// ---------- 14. the compile cache: only a private directory, verified content ----------
// bin/alto.js hands Node (>= 22.8) $XDG_CACHE_HOME/alto for its compile cache only when that
// directory is a real directory owned by this user that no one else can write (nor any directory
// above it). Witness: Node's own trace of its compile cache (NODE_DEBUG_NATIVE=COMPILE_CACHE)
// names every directory it was told to use; the control row shows the trace works.
const HAS_COMPILE_CACHE = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const TRACE = { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' };
const CACHE_LINE = /^\[compile cache\]/m;

/** Every file under root with its bytes (relative path → base64). */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    out[relative(root, file)] = readFileSync(file).toString('base64');
  }
  return out;
}

describe.concurrent('issue 7: 14. the compile cache', () => {
  const args = ['wf', 'list'];
  let s: HostileServer;
  /** What `alto wf list` prints with no cache at all (no HOME, no XDG_CACHE_HOME). */
  let clean: Spawned;
  /** A genuine cache for this build and this Node, made in a private directory: what a planter copies. */
  let genuine: Record<string, string> = {};

  beforeAll(async () => {
    s = await server([{ method: 'GET', path: '/workflows', answer: { json: [workflow('fl_a')] } }]);
    clean = await alto(args, { env: { ALTO_API_URL: s.url, HOME: undefined, XDG_CACHE_HOME: undefined } });
    const priv = tempDir(0o700);
    await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: priv } });
    genuine = snapshot(priv);
  });

  /** Writes the genuine cache into dir/alto (made with `mode`), as another user would plant it. */
  const plantGenuine = (xdg: string, mode: number, owner?: number) => {
    const dir = join(xdg, 'alto');
    mkdirSync(dir, { recursive: true });
    for (const [rel, b64] of Object.entries(genuine)) {
      const file = join(dir, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Buffer.from(b64, 'base64'));
    }
    for (const e of [dir, ...readdirSync(dir, { recursive: true }).map((r) => join(dir, String(r)))]) {
      if (owner !== undefined) chownSync(e, owner, owner);
      chmodSync(e, statSync(e).isDirectory() ? mode : mode & 0o666);
    }
    return dir;
  };

  it.runIf(HAS_COMPILE_CACHE)('control: a private $XDG_CACHE_HOME/alto (0700) is used, written, and accepted on the next start', async ({ expect }) => {
    const xdg = tempDir(0o700);
    const first = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(clean.stdout);
    expect(first.stderr).toContain(`[compile cache] resolved path ${join(xdg, 'alto')}`);
    expect(statSync(join(xdg, 'alto')).mode & 0o777).toBe(0o700);
    expect(Object.keys(snapshot(xdg)).length).toBeGreaterThan(0);
    const again = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
    expect(again.stdout).toBe(clean.stdout);
    expect(again.stderr).toMatch(/was accepted/);
  });

  const refused: { name: string; root?: boolean; setup: () => { xdg: string; watch: string } }[] = [
    {
      name: 'a world-writable cache directory (0777) holding a planted cache',
      setup: () => {
        const xdg = tempDir(0o700);
        return { xdg, watch: plantGenuine(xdg, 0o777) };
      },
    },
    {
      name: 'a private cache directory below a world-writable, non-sticky $XDG_CACHE_HOME',
      setup: () => {
        const xdg = tempDir(0o700);
        plantGenuine(xdg, 0o700);
        chmodSync(xdg, 0o777);
        return { xdg, watch: xdg };
      },
    },
    {
      name: 'a private $XDG_CACHE_HOME two levels below a world-writable, non-sticky directory',
      setup: () => {
        const top = tempDir(0o700);
        const xdg = join(top, 'home', 'cache');
        mkdirSync(xdg, { recursive: true, mode: 0o700 });
        plantGenuine(xdg, 0o700);
        chmodSync(top, 0o777);
        return { xdg, watch: xdg };
      },
    },
    {
      name: 'a cache directory owned by another uid (0755) holding its planted cache',
      root: true,
      setup: () => {
        const xdg = tempDir(0o755);
        return { xdg, watch: plantGenuine(xdg, 0o755, STRANGER) };
      },
    },
    {
      name: 'a private cache directory below a $XDG_CACHE_HOME owned by another uid',
      root: true,
      setup: () => {
        const xdg = tempDir(0o755);
        plantGenuine(xdg, 0o700);
        chownSync(xdg, STRANGER, STRANGER);
        return { xdg, watch: xdg };
      },
    },
    {
      name: '$XDG_CACHE_HOME/alto a symlink (planted in a world-writable directory) to a private directory',
      setup: () => {
        const xdg = tempDir(0o1777);
        const victim = tempDir(0o700);
        symlinkSync(victim, join(xdg, 'alto'));
        return { xdg, watch: victim };
      },
    },
  ];
  it.for(refused.map((c) => [c.name, c] as const))('not used: %s (Node is not told of it, nothing written, output unchanged)', async ([, { root, setup }], { expect, skip }) => {
    if (!HAS_COMPILE_CACHE) skip('this Node has no module.enableCompileCache (see the Node < 22.8 row)');
    if (root && !IS_ROOT) skip('needs root to make a directory owned by another uid');
    const { xdg, watch } = setup();
    const before = snapshot(watch);
    for (let i = 0; i < 2; i++) {
      const r = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
      invariants(expect, r, args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(clean.stdout);
      // No "[compile cache]" line at all: Node was never handed a cache directory.
      expect(r.stderr).toBe('');
    }
    expect(snapshot(watch)).toEqual(before);
  });

  const corrupt: { name: string; damage: (b: Buffer) => Buffer }[] = [
    { name: 'every byte of every file overwritten', damage: (b) => Buffer.alloc(b.length, 0xa5) },
    // The header (sizes and hashes) intact, the bytecode behind it flipped: Node's hash of the cache catches it.
    { name: 'a valid header and a corrupt body', damage: (b) => Buffer.from(b.map((x, i) => (i >= 32 ? x ^ 0x5a : x))) },
    { name: 'files cut to 10 bytes', damage: (b) => b.subarray(0, 10) },
  ];
  it.for(corrupt.map((c) => [c.name, c] as const))('a corrupt cache in the user’s own directory (%s): alto runs, Node rejects and rewrites it', async ([, { damage }], { expect, skip }) => {
    if (!HAS_COMPILE_CACHE) skip('this Node has no module.enableCompileCache');
    const xdg = tempDir(0o700);
    const dir = plantGenuine(xdg, 0o700);
    const files = Object.keys(snapshot(dir));
    expect(files.length).toBeGreaterThan(0);
    for (const rel of files) writeFileSync(join(dir, rel), damage(readFileSync(join(dir, rel))));
    const r = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
    invariants(expect, r, args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
    expect(r.stderr).not.toMatch(/was accepted/);
    const again = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
    expect([again.code, again.stdout]).toEqual([0, clean.stdout]);
    expect(again.stderr).toMatch(/was accepted/);
  });

  it.runIf(!HAS_COMPILE_CACHE)('Node < 22.8: no cache is used at all (nothing written, not even the directory)', async ({ expect }) => {
    const xdg = tempDir(0o700);
    const r = await alto(args, { env: { ALTO_API_URL: s.url, XDG_CACHE_HOME: xdg, ...TRACE } });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, clean.stdout, '']);
    expect(readdirSync(xdg)).toEqual([]);
  });
});

// ---------- found by the independent attack (branch `attack`) ----------
// Rows for what the attack tried: `it` where alto holds (or was fixed), `it.fails` for a defect
// still open in a file the attack may not edit; the comment names the defect and the file, and
// the fixer flips `it.fails` to `it`.
describe.concurrent('attack: hostile server, terminal and machine', () => {
  /** Runs one spawn against its own server and checks the issue-7 invariants. */
  async function attack(routes: Route[], argv: string[], opts: SpawnOpts & { maxRequests?: number } = {}) {
    const s = await server(routes, opts.maxRequests !== undefined ? { maxRequests: opts.maxRequests } : {});
    const r = await alto(argv, { ...opts, env: { ALTO_API_URL: s.url, ...(opts.env ?? {}) } });
    return { s, r };
  }

  it.for(['301', '302', '307', '308'])('a %s redirect to another origin: not followed, the token never reaches it, exit 5', async (status, { expect }) => {
    const other = await server([{ method: 'GET', path: RUN_PATH, answer: { json: run('fl_run_1', 'completed') } }, execute(launched('fl_run_1'))]);
    const to = (c: { request: { url: string } }) => ({ status: Number(status), headers: { location: `${other.url}${c.request.url}` }, body: '' });
    for (const argv of [['run', 'get', 'fl_run_1'], ['wf', 'execute', 'fl_wf']]) {
      const { s, r } = await attack([getRun(to), execute(to)], argv);
      invariants(expect, r, argv);
      expect(r.code, r.stderr).toBe(5);
      expect(s.requests).toHaveLength(1);
    }
    expect(other.requests).toEqual([]);
  });

  it('a run whose status flips from completed back to running: the first terminal answer decides (exit 0, no more polls)', async ({ expect }) => {
    const { s, r } = await attack([getRun([{ json: run('fl_run_1', 'running') }, { json: run('fl_run_1', 'completed') }, { json: run('fl_run_1', 'running') }, { json: run('fl_run_1', 'failed') }])], ['run', 'watch', 'fl_run_1', '--interval', '200ms']);
    invariants(expect, r, []);
    expect(r.code, r.stderr).toBe(0);
    expect(s.count('GET')).toBe(2);
  });

  it('Retry-After as an HTTP date in the past: retried at the backoff floor, exit 0, bounded', async ({ expect }) => {
    const { s, r } = await attack([getRun([{ status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, json: { message: 'slow' } }, { json: run('fl_run_1', 'completed') }])], ['run', 'get', 'fl_run_1']);
    invariants(expect, r, []);
    expect(r.code, r.stderr).toBe(0);
    expect(s.count('GET')).toBe(2);
  });

  it('fixed (src/api/http-errors.ts): a JSON answer led by a UTF-8 BOM is read at once, not retried as malformed', async ({ expect }) => {
    const { s, r } = await attack([getRun({ headers: { 'content-type': 'application/json' }, body: `\ufeff${JSON.stringify(run('fl_run_1', 'completed'))}` })], ['run', 'get', 'fl_run_1']);
    invariants(expect, r, []);
    expect(r.code, r.stderr).toBe(0);
    expect(s.count('GET')).toBe(1);
  });

  it('a gzip bomb alto never asked for (128 MiB inflated, 64 MiB heap): not inflated, retried, exit 0', async ({ expect }) => {
    const { gzipSync } = await import('node:zlib');
    const bomb = gzipSync(Buffer.alloc(128 << 20, 0x61), { level: 9 });
    const { s, r } = await attack([getRun([{ headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb }, { json: run('fl_run_1', 'completed') }])], ['run', 'get', 'fl_run_1'], { env: { NODE_OPTIONS: '--max-old-space-size=64' } });
    invariants(expect, r, []);
    expect(r.code, r.stderr).toBe(0);
    expect(s.count('GET')).toBe(2);
  });

  // Fixed (src/config/store.ts, bin/alto.js): Node's recursive mkdirSync spins forever at 100% CPU
  // below /proc/self, and a busy loop never runs the SIGTERM handler: `timeout` could not stop it.
  it('a config or cache directory below /proc/self: one line and an end, never a busy hang', async ({ expect }) => {
    const login = await alto(['auth', 'login', '--with-token', '--api-url', 'http://127.0.0.1:9'], { env: { ALTO_CONFIG_DIR: '/proc/self/alto' }, stdin: 'wfk_x\n', hardLimitMs: 8000, spawn: true });
    invariants(expect, login, ['auth', 'login']);
    expect([2, 5]).toContain(login.code);
    const version = await alto(['--version'], { env: { XDG_CACHE_HOME: '/proc/self' }, hardLimitMs: 8000 });
    invariants(expect, version, ['--version']);
    expect([version.code, version.stdout.trim()]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+/)]);
  });

  // Fixed (src/commands/workflow/execute-run.ts): Ctrl-C (or SIGTERM) while the execute POST was
  // in flight said only "alto: interrupted": the request reached the API, a run may have started,
  // and the random Idempotency-Key that would re-attach to it was never shown.
  it('Ctrl-C during the launch request: says a run may have started and how to find or re-attach to it', async ({ expect }) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let child: ReturnType<typeof spawn> | undefined;
    const s = await server([execute(() => (child?.kill('SIGINT'), { status: 202, json: run('fl_run_1', 'pending'), after: gate }))]);
    const env = { PATH: process.env.PATH ?? '', HOME: testHome(), TMPDIR: tmpdir(), ALTO_CONFIG_DIR: tempDir(), ALTO_TOKEN: TOKEN, ALTO_API_URL: s.url };
    child = spawn(process.execPath, [ALTO, 'wf', 'execute', 'fl_wf', '--watch'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout?.resume();
    const killer = setTimeout(() => child?.kill('SIGKILL'), 10_000);
    const code = await new Promise<number | null>((resolve) => child?.on('close', (c) => resolve(c)));
    clearTimeout(killer);
    release();
    const r = { code, signal: null, stdout: '', stderr, stdoutBytes: 0, ms: 0 };
    invariants(expect, r, []);
    expect(code, stderr).toBe(130);
    expect(r.stderr).toMatch(/may have started/);
    expect(r.stderr).toContain('alto wf runs fl_wf');
    // The key alto sent is the one it prints: the same command with it re-attaches.
    const sent = s.requests.find((q) => q.method === 'POST')?.headers['idempotency-key'];
    expect(sent).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stderr).toContain(`--idempotency-key ${String(sent)}`);
  });

  // Fixed (src/input/random-uuid.ts): the random Idempotency-Key was read from whatever character
  // device sat at /dev/urandom. With /dev/zero bound there (a misbuilt container or sandbox),
  // every execute sent 00000000-0000-4000-8000-000000000000, so the API would take a new execute
  // for a retry of the last one and start nothing. Now only Linux's random device is read.
  const UNSHARE = IS_ROOT && spawnSync('unshare', ['-m', 'true']).status === 0;
  it.runIf(UNSHARE)('/dev/zero bind-mounted at /dev/urandom: two executes still send two different v4 keys', async ({ expect }) => {
    const keys: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await shell('unshare -m sh -c \'mount --bind /dev/zero /dev/urandom && exec "$0" "$@"\' "$0" "$1" wf execute fl_wf --dry-run', [process.execPath, ALTO], {});
      invariants(expect, r, ['wf', 'execute', '--dry-run']);
      expect(r.code, r.stderr).toBe(0);
      const key = /Idempotency-Key: (\S+)/.exec(r.stdout + r.stderr)?.[1];
      expect(key, r.stdout + r.stderr).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      keys.push(key as string);
    }
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  // Fixed (src/cli.ts): the `--version` fast path wrote to process.stdout with no 'error'
  // listener, so a full disk or a broken stdout was an unhandled 'error' event: a Node stack
  // trace and exit 1. Now one line, `cannot write to stdout: ENOSPC`, exit 141 like every command.
  it('alto --version > /dev/full: one line, no stack, not 0', async ({ expect }) => {
    for (const args of [['--version'], ['completion', 'bash']]) {
      const r = await shell(`"$0" "$1" ${args.join(' ')} > /dev/full`, [process.execPath, ALTO], {});
      invariants(expect, r, args);
      expect(r.code).toBe(141);
      expect(r.stderr.trim().split('\n'), r.stderr).toEqual(['alto: cannot write to stdout: ENOSPC']);
    }
  });

  // Fixed (src/commands/workflow/execute-run.ts, replayedRun): any launch reply past `pending`
  // was taken for a replay, so a brand-new run that the API reports as already `running` (a
  // fresh random key, one POST) printed "re-attached … Idempotency-Key reused": a false alarm.
  it('a new run answered as "running" with a fresh key: no "re-attached … reused" warning', async ({ expect }) => {
    const { s, r } = await attack([execute(() => ({ status: 202, json: run('fl_run_new', 'running', [], { started_at: new Date().toISOString() }) }))], ['wf', 'execute', 'fl_wf']);
    invariants(expect, r, []);
    expect(r.code, r.stderr).toBe(0);
    expect(s.count('POST')).toBe(1);
    expect(r.stderr).not.toMatch(/re-attached|reused/);
  });

  // Fixed (src/ui/safe-text.ts): text mode removed control and bidi characters but kept
  // invisible ones: zero-width space/joiners, U+2060, a BOM and Unicode tag characters
  // (U+E0000–E007F, which spell hidden ASCII). A workflow name could carry text no one sees.
  it('wf get / run logs: zero-width, BOM and tag characters from the server never reach the terminal', async ({ expect }) => {
    const hidden = 'ok\u200b\u200d\u2060\ufeff\u{e0069}\u{e0067}\u{e006e}end';
    const routes = [{ method: 'GET', path: '/workflows/fl_wf', answer: { json: workflow('fl_wf', { name: hidden, description: hidden }) } }, getRun({ json: run('fl_run_1', 'completed', [log('fl_log_1', 'success', hidden, { node_id: hidden })]) })];
    for (const argv of [['wf', 'get', 'fl_wf'], ['run', 'logs', 'fl_run_1']]) {
      const { r } = await attack(routes, argv);
      invariants(expect, r, argv);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/ok.*end/);
      expect(r.stdout).not.toMatch(/[\u200b-\u200d\u2060-\u2064\ufeff]|[\u{e0000}-\u{e007f}]/u);
    }
  });

  // Fixed (src/input/context-input.ts): the context goes through JSON.parse and
  // JSON.stringify, so a number JSON allows but a double cannot hold changed silently: 1e400 was
  // sent as null, 12345678901234567890123 as 1.2345678901234568e+22. Now refused (exit 2,
  // nothing sent, naming the source, line and number).
  it('a context number a double cannot hold is never changed silently (1e400, a 23-digit integer)', async ({ expect }) => {
    for (const literal of ['1e400', '12345678901234567890123']) {
      const { s, r } = await attack([execute(launched('fl_run_1'))], ['wf', 'execute', 'fl_wf', '--context', '-'], { stdin: `{"n":${literal}}` });
      invariants(expect, r, []);
      const sent = s.requests.find((q) => q.method === 'POST');
      if (sent) expect(sent.body).toContain(literal);
      else expect(r.code, r.stderr).toBe(2);
    }
  });

  // Fixed (src/commands/workflow/runs-run.ts, collectRuns): `wf runs --all` had no page cap. A
  // server that always has one more page of new runs (links.next page+1, last_page 1e9) was
  // followed until it stopped answering, every run held in memory. Now 500 pages, one stderr
  // line naming the cap, exit 5 since the list is incomplete.
  it('wf runs --all against endless pages of new runs: stops by itself within 500 pages', async ({ expect }) => {
    const endless: Route = {
      method: 'GET',
      path: /executions$/,
      answer: (c) => {
        const p = Number(/page=(\d+)/.exec(c.request.url)?.[1] ?? 1);
        // Past 520 pages the row has failed already: a 404 ends alto at once instead of a retry loop.
        if (p > 520) return apiError(404, 'no such page');
        return { json: page([run(`fl_run_p${p}`, 'completed')], { current_page: p, last_page: 1e9, total: 1e9 }, { next: `/workflows/fl_wf/executions?page=${p + 1}` }) };
      },
    };
    const { s, r } = await attack([endless], ['wf', 'runs', 'fl_wf', '--all', '--json'], { maxRequests: 600 });
    invariants(expect, r, [], { machine: true });
    expect(r.signal).toBeNull();
    expect(s.overCap).toBe(0);
    expect(s.count('GET')).toBeLessThanOrEqual(500);
    expect(r.code).not.toBe(0);
  });
});
