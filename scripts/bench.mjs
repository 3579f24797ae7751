// npm run bench: builds alto, then measures it against a local sandbox (loopback only) and
// prints each figure beside its target. It is a report: it exits 0 even when a target is
// missed, and non-zero only when it could not run at all (build failed, sandbox did not start).
//
// Figures (targets from issue 3):
//   1. start-up: wall time of alto --version / --help / wf execute -q, as a ratio to node -e 0,
//      on the machine's Node and on Node 24 (fetched from the npm registry, scripts/ci-node.mjs)
//
// Options: --startup-only (skip 2-4); --stand-ins (instead of the report: what each stand-in
// in scripts/build.mjs saves on `wf execute -q`, by building without it, on both Nodes).
//   2. end detection: run end on the sandbox -> alto exit, for 1 s and 12 s runs (--watch)
//   3. GETs per minute spent watching a 60 s run, and the most in any 60 s window
//   4. peak RSS watching a run with 3,000 logs of 1.5 KB (text to a pipe, and --json)
//   5. fan-out (issue 10): 40 contexts of a 10 s run, 4 failing, on a sandbox limited to 60
//      requests/min: alto --each vs `xargs -P 8` of single --watch; peak RSS of 1,000 contexts.
//      --fanout-only runs just this part.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { altoEnv, cleanEnv, makeTempDir } from './bench/env.mjs';
import { firstLine, runChild, timeSync } from './bench/proc.mjs';
import { fetchNode } from './ci-node.mjs';
import { STAND_INS } from './build.mjs';
import { heading, machineLine, markAtMost, ms, printReport, row } from './bench/report.mjs';
import { apiRun, clockOffset, parseApiTime, requestLog, sandboxRuns, startSandbox } from './bench/sandbox.mjs';
import { BIG_RUN, ONE_SECOND, QUICK, SIXTY_SECONDS, TWELVE_SECONDS, writeScenarioFile } from './bench/scenarios.mjs';
import { max, maxInWindow, median } from './bench/stats.mjs';
import { budgetMs, FANOUT_FACTS, FANOUT_TARGETS, measureFanout } from './bench/fanout.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alto = join(root, 'bin', 'alto.js');

const STARTUP_RUNS = 20;
const STARTUP_WARMUPS = 3;
// The ~12 s watches run in parallel (they are idle between polls), started this far apart so
// that no two end at the same moment (their lengths also differ by 0.5 s).
const TWELVE_SECOND_STAGGER_MS = 1500;
const TARGETS = { version: 1.25, help: 1.8, execute: 2.5, end1s: 500, end12s: 1500, perMinute: 30, peakMiB: 150 };
/** Node 20 has no compile cache (module.enableCompileCache is Node >= 22.8): its own, looser line. */
const EXECUTE_TARGET_NODE20 = 3.5;
const args = process.argv.slice(2);

// ---------------------------------------------------------------------------------------------
// 1. Start-up

/** Median wall time of each command, interleaved round-robin so drift hits all of them alike. */
function measureStartup(env, node, only = null) {
  const all = {
    baseline: ['-e', '0'],
    version: [alto, '--version'],
    help: [alto, '--help'],
    execute: [alto, 'wf', 'execute', QUICK, '-q'],
  };
  const commands = only ? Object.fromEntries(only.map((n) => [n, all[n]])) : all;
  const names = Object.keys(commands);
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const errors = {};
  for (let round = 0; round < STARTUP_WARMUPS + STARTUP_RUNS; round += 1) {
    // Rotate the order each round: no command always runs right after the same other one.
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(round + k) % names.length];
      const r = timeSync(commands[name], env, node);
      if (r.error) errors[name] ??= r.error;
      else if (round >= STARTUP_WARMUPS) times[name].push(r.ms);
    }
  }
  return Object.fromEntries(names.map((n) => [n, { median: median(times[n]), n: times[n].length, error: errors[n] ?? null }]));
}

function startupRows(s, label) {
  const base = s.baseline;
  if (s.error) return [heading(`start-up on ${label}`), row('node -e 0', `not measured: ${s.error}`, '', 'N/A')];
  const rows = [
    heading(`start-up on ${label}: median wall time of ${STARTUP_RUNS} runs (after ${STARTUP_WARMUPS} warm-ups), ratio to its node -e 0`),
    row('node -e 0', base.error ? `not measured: ${base.error}` : ms(base.median), '(baseline)'),
  ];
  // limit undefined: a figure without a target (the issue sets only `execute` for Node 20).
  const line = (label, fig, limit) => {
    const target = limit === undefined ? '(none)' : `<= ${limit}x`;
    if (fig.error || base.error) return row(label, `not measured: ${fig.error ?? 'no baseline'}`, target, 'N/A');
    const ratio = fig.median / base.median;
    return row(label, `${ms(fig.median)}  ${ratio.toFixed(2)}x`, target, limit === undefined ? '' : markAtMost(ratio, limit));
  };
  const node20 = /^v20\./.test(s.nodeVersion);
  rows.push(line('alto --version', s.version, node20 ? undefined : TARGETS.version));
  rows.push(line('alto --help', s.help, node20 ? undefined : TARGETS.help));
  rows.push(line('alto wf execute <wf> -q (one POST)', s.execute, node20 ? EXECUTE_TARGET_NODE20 : TARGETS.execute));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2-4. Watching runs

/**
 * One `alto wf execute <wf> --watch` to the end. The run is found by the idempotency key we
 * give alto (works whatever alto prints, and with runs of one workflow in parallel). Its end is
 * the run's completed_at on the sandbox, which the scenario timeline fixes exactly (ms precision).
 * The request log is read before our own GET of the run, so that GET is never counted as alto's.
 */
async function watchRun(ctx, workflow, { extraArgs = ['-q'], peakMemory = false, keepStdout = false } = {}) {
  const key = randomUUID();
  const args = [alto, 'wf', 'execute', workflow.id, '--watch', '--idempotency-key', key, ...extraArgs];
  const timeoutMs = workflow.ms + 60_000;
  const res = await runChild(args, { env: ctx.env, peakMemory, tmpDir: ctx.tmp, timeoutMs, keepStdout });
  const out = { ...res, runId: null, endAt: Number.NaN, delayMs: Number.NaN, gets: [], error: null, clockOffsetMs: ctx.clock.offsetMs };
  if (res.code !== 0) out.error = `alto exited ${res.code}: ${firstLine(res.stderr) || 'no message'}`;
  const run = (await sandboxRuns(ctx.sb)).find((r) => r.idempotency_key === key);
  if (!run) {
    out.error ??= 'the sandbox has no run with the idempotency key alto was given';
    return out;
  }
  out.runId = run.id;
  const path = `/workflows/runs/${run.id}`;
  out.gets = (await requestLog(ctx.sb))
    .filter((r) => r.method === 'GET' && r.path.split('?')[0] === path)
    .map((r) => r.time);
  const view = await apiRun(ctx.sb, run.id);
  if (view.completed_at == null) {
    out.error ??= `the run is ${view.status}, not finished, after alto exited`;
    return out;
  }
  out.endAt = parseApiTime(view.completed_at) - ctx.clock.offsetMs; // on our clock
  out.delayMs = res.exitedAt - out.endAt;
  out.logCount = view.logs?.length ?? 0;
  return out;
}

/** One watch per workflow, each started `staggerMs` after the previous (0 = one after another). */
async function watchMany(ctx, workflows, staggerMs) {
  if (staggerMs === 0) {
    const results = [];
    for (const w of workflows) results.push(await watchRun(ctx, w));
    return results;
  }
  return Promise.all(workflows.map((w, i) => sleep(i * staggerMs).then(() => watchRun(ctx, w))));
}

function delayRow(label, results, limit) {
  const ok = results.filter((r) => !r.error);
  const bad = results.find((r) => r.error);
  const target = `<= ${limit} ms`;
  if (ok.length === 0) return row(label, `not measured: ${bad?.error ?? 'no runs'}`, target, 'N/A');
  const delays = ok.map((r) => r.delayMs);
  const worst = max(delays);
  const note = bad ? ` (${results.length - ok.length} failed: ${bad.error})` : '';
  // The mark is on the worst run: every run must be noticed within the target.
  return row(`${label}, ${ok.length} runs`, `median ${ms(median(delays))}, max ${ms(worst)}${note}`, target, markAtMost(worst, limit));
}

function rateRows(r) {
  const rows = [heading('polling: GETs of /workflows/runs/{id} during one execute --watch of a 60 s run')];
  if (r.error) return [...rows, row('GETs per minute', `not measured: ${r.error}`, `<= ${TARGETS.perMinute}/min`, 'N/A')];
  const minutes = (r.exitedAt - r.startedAt) / 60_000;
  const perMinute = r.gets.length / minutes;
  const windowMax = maxInWindow(r.gets, 60_000);
  return [
    ...rows,
    row('GETs per minute of watching', `${r.gets.length} in ${(minutes * 60).toFixed(1)} s = ${perMinute.toFixed(1)}/min`, `<= ${TARGETS.perMinute}/min`, markAtMost(perMinute, TARGETS.perMinute)),
    row('most GETs in any 60 s window', String(windowMax), `<= ${TARGETS.perMinute}`, markAtMost(windowMax, TARGETS.perMinute)),
    row('(end detection of this 60 s run)', ms(r.delayMs), '', ''),
  ];
}

function memoryRow(label, r, check) {
  const target = `<= ${TARGETS.peakMiB} MiB`;
  const problem = r.error ?? check(r);
  if (!Number.isFinite(r.peakKb)) return row(label, `not measured: ${problem ?? 'no peak RSS reading'}`, target, 'N/A');
  const mib = r.peakKb / 1024;
  const note = problem ? ` (but: ${problem})` : `; ${(r.stdoutBytes / 1e6).toFixed(1)} MB out; exit ${ms(r.delayMs)} after end`;
  return row(label, `${mib.toFixed(1)} MiB${note}`, target, problem ? 'N/A' : markAtMost(mib, TARGETS.peakMiB));
}

// The figure means something only if alto really handled every log: the run has the trigger's
// log plus the 3,000 steps, and the sandbox says how many there are (r.logCount).

/** Text output must show each log (a line each at least). */
const checkText = (r) => (r.stdoutLines < r.logCount ? `only ${r.stdoutLines} lines on stdout for ${r.logCount} logs` : null);

/** --json must be one JSON document holding the run with all its logs. */
function checkJson(r) {
  try {
    const doc = JSON.parse(r.stdout);
    const logs = doc?.logs ?? doc?.run?.logs;
    return Array.isArray(logs) && logs.length === r.logCount ? null : `the JSON document holds ${Array.isArray(logs) ? logs.length : 'no'} logs, not ${r.logCount}`;
  } catch (err) {
    return `stdout is not one JSON document (${err.message})`;
  }
}

/**
 * Everything that watches runs. The 60 s watch is idle most of the time and its request count
 * does not depend on CPU, so it runs throughout. The delay figures are CPU-sensitive, so they do
 * not overlap the 3,000-log runs (which parse MBs of JSON, in alto and in the sandbox).
 */
async function measureWatches(ctx) {
  const sixty = watchRun(ctx, SIXTY_SECONDS);
  const oneSecond = await watchMany(ctx, ONE_SECOND, 0);
  const twelve = await watchMany(ctx, TWELVE_SECONDS, TWELVE_SECOND_STAGGER_MS);
  // Both in parallel: peak RSS is per process and does not depend on the CPU share.
  const [bigText, bigJson] = await Promise.all([
    watchRun(ctx, BIG_RUN, { extraArgs: [], peakMemory: true }),
    watchRun(ctx, BIG_RUN, { extraArgs: ['--json'], peakMemory: true, keepStdout: true }),
  ]);
  return { oneSecond, twelve, sixty: await sixty, bigText, bigJson };
}

/** Per-run figures under the table: what a median and a max hide (which run lengths were late, poll spacing). */
function detailLines(w) {
  const delays = (rs) => rs.map((r) => (r.error ? 'failed' : Math.round(r.delayMs))).join(', ');
  const gaps = (times) => times.slice(1).map((t, i) => t - times[i]);
  const g = gaps(w.sixty.gets);
  const big = gaps(w.bigText.gets);
  return [
    'details',
    `  end detection, ms, by run length: ${ONE_SECOND.map((v) => v.ms / 1000).join('/')} s -> ${delays(w.oneSecond)}`,
    `  end detection, ms, by run length: ${TWELVE_SECONDS.map((v) => v.ms / 1000).join('/')} s -> ${delays(w.twelve)}`,
    g.length > 0
      ? `  60 s run: time between GETs min ${ms(Math.min(...g))}, median ${ms(median(g))}, max ${ms(max(g))}; first GET ${ms(w.sixty.gets[0] - ctxStart(w.sixty))} after alto started`
      : '  60 s run: no GETs recorded',
    big.length > 0 ? `  3,000-log run (text): ${w.bigText.gets.length} GETs, median ${ms(median(big))} apart` : '  3,000-log run: no GETs recorded',
  ];
}

/** When alto started, on the sandbox's clock (the request log's). */
const ctxStart = (r) => r.startedAt + r.clockOffsetMs;

// ---------------------------------------------------------------------------------------------

/** The machine's Node and Node 24 (fetched once into a cache folder), or why Node 24 is missing. */
function benchNodes() {
  const nodes = [{ path: process.execPath, version: process.version }];
  if (!process.version.startsWith('v24.')) {
    try {
      const path = fetchNode(24);
      nodes.push({ path, version: spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim() });
    } catch (err) {
      nodes.push({ path: null, version: 'v24', error: `could not fetch Node 24: ${err.message}` });
    }
  }
  return nodes;
}

function startupOn(nodes, env) {
  return nodes.map((n) => {
    const label = `Node ${n.version}${n.path === process.execPath ? " (this machine's)" : ''}`;
    if (n.error) return { label, s: { error: n.error } };
    process.stderr.write(`bench: start-up on ${n.version}…\n`);
    return { label, s: { ...measureStartup(env, n.path), nodeVersion: n.version } };
  });
}

/**
 * --stand-ins: `wf execute -q` with every stand-in, without each one, and with V8's
 * --liftoff-only, on each Node. Each build is copied aside, then all run round-robin, so
 * drift on a shared machine hits every variant alike.
 */
function measureStandIns(nodes, env, tmp) {
  const variants = [
    { label: 'as built', without: [] },
    ...Object.keys(STAND_INS).map((n) => ({ label: `without ${n}`, without: [n] })),
    { label: 'as built, --liftoff-only toggled (Node 20 off, 22+ on)', without: [], toggleLiftoff: true },
  ];
  variants.forEach((v, i) => {
    build(v.without);
    v.dir = join(tmp, `variant-${i}`);
    cpSync(join(root, 'bin'), join(v.dir, 'bin'), { recursive: true });
    cpSync(join(root, 'dist'), join(v.dir, 'dist'), { recursive: true });
    if (v.toggleLiftoff) {
      // The flag is set by src/vendor/undici.ts, once undici is loaded.
      const file = join(v.dir, 'dist', 'vendor-undici.cjs');
      const text = readFileSync(file, 'utf8');
      const toggled = text.replace('Number.parseInt(process.versions.node,10)<22&&', 'Number.parseInt(process.versions.node,10)>=22&&');
      if (toggled === text) throw new Error('bench: dist/vendor-undici.cjs no longer has the --liftoff-only line this variant toggles');
      writeFileSync(file, toggled);
    }
  });
  build();
  const live = nodes.filter((n) => !n.error);
  const jobs = live.flatMap((n) => [
    { key: `${n.version} base`, node: n.path, args: ['-e', '0'] },
    ...variants.map((v, i) => ({ key: `${n.version} ${i}`, node: n.path, args: [join(v.dir, 'bin', 'alto.js'), 'wf', 'execute', QUICK, '-q'] })),
  ]);
  const times = Object.fromEntries(jobs.map((j) => [j.key, []]));
  for (let round = 0; round < STARTUP_WARMUPS + STARTUP_RUNS; round += 1) {
    for (let k = 0; k < jobs.length; k += 1) {
      const j = jobs[(round + k) % jobs.length];
      const r = timeSync(j.args, env, j.node);
      if (!r.error && round >= STARTUP_WARMUPS) times[j.key].push(r.ms);
    }
  }
  const med = (key) => median(times[key]);
  const rows = [heading(`wf execute -q: median of ${STARTUP_RUNS} runs each, round-robin; (delta to "as built"); keep a stand-in if leaving it out costs >= 5 ms`)];
  rows.push(row('node -e 0', live.map((n) => `${n.version}: ${ms(med(`${n.version} base`))}`).join('  ')));
  variants.forEach((v, i) => {
    const cells = live.map((n) => {
      const t = med(`${n.version} ${i}`);
      const d = t - med(`${n.version} 0`);
      return `${n.version}: ${ms(t)}${i === 0 ? '' : ` (${d >= 0 ? '+' : ''}${d.toFixed(1)})`}`;
    });
    rows.push(row(v.label, cells.join('  ')));
  });
  return rows;
}

function build(without = []) {
  const extra = without.length > 0 ? [`--without=${without.join(',')}`] : [];
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs'), ...extra], { stdio: 'inherit', env: cleanEnv() });
  if (r.status !== 0) {
    console.error('bench: the build failed; nothing to measure');
    process.exit(1);
  }
  const v = spawnSync(process.execPath, [alto, '--version'], { env: cleanEnv(), encoding: 'utf8' });
  if (v.status !== 0) {
    console.error(`bench: alto --version failed after the build: ${firstLine(v.stderr)}`);
    process.exit(1);
  }
  return v.stdout.trim();
}

async function main() {
  const benchStart = performance.now();
  const version = build();
  const { dir: tmp, cleanup } = makeTempDir();
  const configDir = join(tmp, 'config');
  let sb;
  try {
    sb = await startSandbox({ alto, workflowsFile: writeScenarioFile(tmp), env: cleanEnv() });
    const env = altoEnv(sb, configDir);
    const clock = await clockOffset(sb);
    const ctx = { sb, env, tmp, clock };
    if (args.includes('--stand-ins')) {
      printReport(`alto ${version} bench: stand-ins`, [machineLine(), 'NODE_EXTRA_CA_CERTS unset, outputs to pipes'], measureStandIns(benchNodes(), env, tmp));
      return;
    }
    if (args.includes('--fanout-only')) {
      process.stderr.write('bench: fan-out side by side (a few minutes)…\n');
      printReport(`alto ${version} bench: fan-out`, [machineLine(), 'CI=1, outputs to pipes'], fanoutRows(await measureFanout(fanoutCtx(tmp, configDir))));
      return;
    }
    // Only the start-up rows run on other Nodes: --fanout-only fetches none.
    const nodes = benchNodes();
    const startup = startupOn(nodes, env).flatMap(({ label, s }) => startupRows(s, label));
    if (args.includes('--startup-only')) {
      printReport(`alto ${version} bench: start-up`, [machineLine(), 'NODE_EXTRA_CA_CERTS unset, outputs to pipes'], startup);
      return;
    }
    process.stderr.write('bench: watching runs (about 65 s)…\n');
    const w = await measureWatches(ctx);

    process.stderr.write('bench: fan-out side by side (a few minutes)…\n');
    const fan = await measureFanout(fanoutCtx(tmp, configDir));
    const rows = [
      ...startup,
      heading('end detection: run end on the sandbox (completed_at) -> alto exit, execute --watch -q; mark on the max'),
      delayRow('runs of 1.0-1.24 s', w.oneSecond, TARGETS.end1s),
      delayRow('runs of 11-13 s (in parallel)', w.twelve, TARGETS.end12s),
      ...rateRows(w.sixty),
      heading(`peak RSS watching 3,000 logs of 1.5 KB (a 15 s run; ${w.bigText.memoryMethod ?? 'n/a'})`),
      memoryRow('execute --watch (text to a pipe)', w.bigText, checkText),
      memoryRow('execute --watch --json', w.bigJson, checkJson),
      ...fanoutRows(fan),
    ];
    const clockNote = Number.isFinite(clock.errorMs)
      ? `clock check: sandbox - bench = ${clock.offsetMs.toFixed(2)} ms (+/- ${clock.errorMs.toFixed(2)} ms), corrected for`
      : 'clock check: could not be made; end times assume one shared clock';
    printReport(
      `alto ${version} bench`,
      [machineLine(), `sandbox ${sb.url} (loopback), CI=1, NODE_EXTRA_CA_CERTS unset, outputs to pipes`, clockNote,
        `bench took ${((performance.now() - benchStart) / 1000).toFixed(0)} s`],
      rows,
      detailLines(w),
    );
  } finally {
    await sb?.stop();
    cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// 5. Fan-out (issue 10)

function fanoutCtx(tmp, configDir) {
  return { alto, tmp, env: cleanEnv(), altoEnv: (sandbox) => altoEnv(sandbox, configDir) };
}

const sec = (v) => (Number.isFinite(v) ? `${(v / 1000).toFixed(1)} s` : 'n/a');

function fanoutRows(f) {
  const { CONTEXTS, FAILING, API_LIMIT, FANOUT_RATE, BIG } = FANOUT_FACTS;
  // The xargs side is the baseline users have today: shown for comparison, not marked.
  const side = (name, r, rate, expectCode, marked) => {
    const perRun = r.requests / CONTEXTS;
    const allowed = budgetMs(r.requests, rate);
    const mark = (m) => (marked ? m : '');
    const target = (t) => (marked ? t : '(baseline)');
    return [
      row(`${name}: exit code`, String(r.code), target(String(expectCode)), mark(String(r.code) === String(expectCode) ? 'PASS' : 'FAIL')),
      row(`${name}: requests (429)`, `${r.requests} (${r.refused})`, target(`${FANOUT_TARGETS.refused} refused`), mark(r.refused === FANOUT_TARGETS.refused ? 'PASS' : 'FAIL')),
      row(`${name}: requests/run`, perRun.toFixed(2), target(`<= ${FANOUT_TARGETS.perRun}`), mark(markAtMost(perRun, FANOUT_TARGETS.perRun))),
      row(`${name}: wall (budget ${sec(allowed)})`, sec(r.wallMs), target(`<= ${FANOUT_TARGETS.wallRatio}x budget`), mark(markAtMost(r.wallMs / allowed, FANOUT_TARGETS.wallRatio))),
    ];
  };
  const mib = f.big.peakKb / 1024;
  return [
    heading(`fan-out: ${CONTEXTS} contexts of a 10 s run (${FAILING} fail), sandbox at ${API_LIMIT} req/min per token`),
    ...side('alto --each', f.fanout, FANOUT_RATE, 1, true),
    // xargs exits 123 when any call exited 1-125; its budget is the API's own limit.
    ...side('xargs -P 8 (single --watch)', f.xargs, API_LIMIT, 123, false),
    heading(`fan-out peak RSS: ${BIG.toLocaleString('en-US')} contexts of an instant workflow (${f.big.memoryMethod ?? 'n/a'})`),
    row(`alto --each, exit ${f.big.code}, ${f.big.lines} ids, ${f.big.requests} requests`, Number.isFinite(mib) ? `${mib.toFixed(1)} MiB` : 'n/a', `<= ${FANOUT_TARGETS.peakMiB} MiB`, markAtMost(mib, FANOUT_TARGETS.peakMiB)),
    row('alto --each wall (1,000 runs, --rate 6000)', sec(f.big.wallMs)),
  ];
}

await main();
