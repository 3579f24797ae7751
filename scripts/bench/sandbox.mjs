// The sandbox as a separate process (as a user runs it), and the calls the bench makes to it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export const SANDBOX_TOKEN = 'alto-sandbox-token';

/** Epoch ms with sub-ms precision, computed exactly as the sandbox's own clock does. */
export const now = () => performance.timeOrigin + performance.now();

/** Starts `alto sandbox` on a free loopback port (with --rate-limit when given); resolves once it printed its URL. */
export async function startSandbox({ alto, workflowsFile, env, rateLimit }) {
  const limit = rateLimit === undefined ? [] : ['--rate-limit', String(rateLimit)];
  const child = spawn(process.execPath, [alto, 'sandbox', '--port', '0', '--host', '127.0.0.1', '--quiet', '--workflows', workflowsFile, ...limit], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 4000) stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the sandbox exited early (${code}): ${stderr.trim()}`)));
  });
  child.stdout.resume();
  return {
    url,
    token: SANDBOX_TOKEN,
    pid: child.pid,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}

async function getJson(url, headers = {}) {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json();
}

/** Every API request the sandbox received (not the /__sandbox/ ones). */
export const requestLog = (sb) => getJson(`${sb.url}/__sandbox/requests`);

/** The run as the API answers it (with the token); its completed_at is the end we measure from. */
export const apiRun = (sb, runId) => getJson(`${sb.url}/workflows/runs/${encodeURIComponent(runId)}`, { authorization: `Bearer ${sb.token}` });

/** The sandbox's runs; used to find a run by the idempotency key the bench gave alto. */
export const sandboxRuns = (sb) => getJson(`${sb.url}/__sandbox/runs`);

/**
 * Offset (ms) of the sandbox's clock relative to ours: end times come from the sandbox and exit
 * times from this process. Both read the same system clock, but each process derives it from its
 * own performance.timeOrigin, so check rather than assume. We send GET /workflows and compare the
 * arrival time the sandbox logged with the middle of our round trip; the quickest of a few
 * round trips bounds the error.
 */
export async function clockOffset(sb) {
  let best = null;
  for (let i = 0; i < 6; i += 1) {
    const t0 = now();
    const res = await fetch(`${sb.url}/workflows?bench_clock_check=${i}`, { headers: { authorization: `Bearer ${sb.token}` } });
    await res.arrayBuffer();
    const t1 = now();
    const log = await requestLog(sb);
    const rec = log.findLast((r) => r.path === `/workflows?bench_clock_check=${i}`);
    if (!rec) continue;
    const sample = { offsetMs: rec.time - (t0 + t1) / 2, errorMs: (t1 - t0) / 2 };
    if (i > 0 && (best === null || sample.errorMs < best.errorMs)) best = sample; // i = 0 warms fetch up
  }
  return best ?? { offsetMs: 0, errorMs: Number.NaN };
}

/** An ISO time of the API (2025-10-31T12:00:00.000000Z) as epoch ms. */
export function parseApiTime(text) {
  const m = typeof text === 'string' ? /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text) : null;
  if (!m) return Number.NaN;
  const frac = Number(`0.${m[2] ?? '0'}`) * 1000;
  return Date.parse(`${m[1]}Z`) + frac;
}

/** Forgets requests, runs, keys and rate windows (POST /__sandbox/reset). */
export async function resetSandbox(sb) {
  const res = await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`POST /__sandbox/reset answered ${res.status}`);
}
