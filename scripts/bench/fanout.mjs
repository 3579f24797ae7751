// Item 9 of issue 10: fan-out against the sandbox at 60 requests/min per token, side by side with
// what users do today (`xargs -P 8` over single `alto wf execute --watch`), and the peak RSS of a
// fan-out over 1,000 contexts of an instant workflow.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChild } from './proc.mjs';
import { requestLog, resetSandbox, startSandbox } from './sandbox.mjs';

export const FANOUT_TARGETS = { refused: 0, perRun: 1.6, wallRatio: 1.3, peakMiB: 150 };
const API_LIMIT = 60;
const FANOUT_RATE = 50; // alto's default --rate
const RUN_MS = 10_000;
const CONTEXTS = 40;
const FAILING = new Set([5, 15, 25, 35]);
const BIG = 1000;
const TEN = 'fl_bench_fanout_10s';
const INSTANT = 'fl_bench_fanout_instant';

function scenarioFile(dir) {
  const path = join(dir, 'bench-fanout-workflows.json');
  const workflows = [
    // pending 200 ms, a trigger, nine 1 s steps, the end: exactly 10 s from creation
    { id: TEN, name: 'Bench: 10 s run', start_after_ms: 200, steps: [{ node_id: 'n0', component_id: 'manual_trigger', after_ms: 300 }, { node_id: 'tick', component_id: 'delay', after_ms: 1000, repeat: 9 }], end_after_ms: 500 },
    { id: INSTANT, name: 'Bench: instant', start_after_ms: 0, steps: [{ node_id: 'n0', component_id: 'manual_trigger', after_ms: 0 }], end_after_ms: 0 },
  ];
  writeFileSync(path, `${JSON.stringify({ workflows }, null, 2)}\n`);
  return path;
}

const contextOf = (i) => ({ site_id: `site_${i}`, ...(FAILING.has(i) ? { sandbox_outcome: 'failed' } : {}) });

/** What the sandbox saw since its last reset: requests, and how many it refused with 429. */
async function traffic(sb) {
  const log = await requestLog(sb);
  const api = log.filter((r) => !String(r.path).startsWith('/__sandbox'));
  return { requests: api.length, refused: api.filter((r) => r.refused || r.status === 429).length };
}

/** Runs both sides one after the other on one rate-limited sandbox (reset between), then the RSS check. */
export async function measureFanout({ alto, tmp, env: baseEnv, altoEnv }) {
  const workflowsFile = scenarioFile(tmp);
  const eachFile = join(tmp, 'contexts.ndjson');
  writeFileSync(eachFile, Array.from({ length: CONTEXTS }, (_, i) => JSON.stringify(contextOf(i + 1))).join('\n') + '\n');
  const xargsFile = join(tmp, 'contexts.args');
  // One line of arguments per context for `xargs -L 1`.
  writeFileSync(xargsFile, Array.from({ length: CONTEXTS }, (_, i) => Object.entries(contextOf(i + 1)).map(([k, v]) => `-f ${k}=${v}`).join(' ')).join('\n') + '\n');

  const sb = await startSandbox({ alto, workflowsFile, env: baseEnv, rateLimit: API_LIMIT });
  const result = {};
  try {
    const env = altoEnv(sb);
    await resetSandbox(sb);
    const fan = await runChild([alto, 'wf', 'execute', TEN, '--each', eachFile, '--label', 'site_id', '-q'], { env, timeoutMs: 15 * 60_000 });
    result.fanout = { code: fan.code, wallMs: fan.exitedAt - fan.startedAt, ...(await traffic(sb)), stderr: fan.stderr };

    await resetSandbox(sb);
    const shell = `xargs -P 8 -L 1 ${JSON.stringify(process.execPath)} ${JSON.stringify(alto)} wf execute ${TEN} --watch -q < ${JSON.stringify(xargsFile)}`;
    const xa = await runChild(['-e', `const r = require('child_process').spawnSync('sh', ['-c', ${JSON.stringify(shell)}], { stdio: ['ignore', 'ignore', 'pipe'] }); process.stderr.write(String(r.stderr).slice(-2000)); process.exit(r.status ?? 1);`], { env, timeoutMs: 20 * 60_000 });
    result.xargs = { code: xa.code, wallMs: xa.exitedAt - xa.startedAt, ...(await traffic(sb)) };
  } finally {
    await sb.stop();
  }

  // 1,000 instant contexts, on a sandbox without a limit: memory, not the rate, is measured.
  const big = await startSandbox({ alto, workflowsFile, env: baseEnv });
  try {
    const bigFile = join(tmp, 'contexts-1000.ndjson');
    writeFileSync(bigFile, Array.from({ length: BIG }, (_, i) => JSON.stringify({ site_id: `site_${i + 1}`, note: 'x'.repeat(200) })).join('\n') + '\n');
    const r = await runChild([alto, 'wf', 'execute', INSTANT, '--each', bigFile, '--concurrency', String(BIG), '--rate', '6000', '--interval', '1s', '-q'], {
      env: altoEnv(big), peakMemory: true, tmpDir: tmp, timeoutMs: 10 * 60_000,
    });
    result.big = { code: r.code, wallMs: r.exitedAt - r.startedAt, peakKb: r.peakKb, memoryMethod: r.memoryMethod, lines: r.stdoutLines, ...(await traffic(big)) };
  } finally {
    await big.stop();
  }
  return result;
}

/** The wall time the budget allows: its requests at the rate, plus one run's duration. */
export const budgetMs = (requests, ratePerMinute) => (requests / ratePerMinute) * 60_000 + RUN_MS;
export const FANOUT_FACTS = { CONTEXTS, FAILING: FAILING.size, API_LIMIT, FANOUT_RATE, RUN_MS, BIG };
