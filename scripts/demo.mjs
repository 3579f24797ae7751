// npm run demo [-- WORKFLOW] [--keep] [--no-build]: builds alto (unless --no-build: tests run it
// beside others that spawn dist/), starts the built-in sandbox on a free port,
// runs a demo workflow with --watch against it and exits with alto's exit code.
// The hints alto prints (`alto run rerun ID`...) need the sandbox that holds the run, and from a
// clone `alto` is `npx alto`: with --keep the sandbox stays up (in the background, with how to
// use and stop it); without, the demo says how to get there.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alto = join(root, 'bin', 'alto.js');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const unknown = args.filter((a) => a.startsWith('-') && a !== '--keep' && a !== '--no-build');
const positional = args.filter((a) => !a.startsWith('-'));
if (unknown.length > 0 || positional.length > 1) {
  console.error(`demo: usage: npm run demo -- [WORKFLOW_ID] [--keep]${unknown.length > 0 ? ` (unknown option ${unknown[0]})` : ''}`);
  process.exit(2);
}
const workflow = positional[0] ?? 'fl_demo_onboarding';
const TOKEN = 'alto-sandbox-token'; // the sandbox's default (src/sandbox/defaults.ts)

if (!args.includes('--no-build') && spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);

const work = mkdtempSync(join(tmpdir(), 'alto-demo-'));
const urlFile = join(work, 'sandbox.url');
const logFile = join(work, 'sandbox.log');
// Files, not pipes: a kept sandbox outlives this script, and a pipe to a dead reader would kill it.
// Kept, it runs in its own process group, so the Ctrl-C that ends this script does not end it.
const sandbox = spawn(process.execPath, [alto, 'sandbox', '--port', '0'], {
  stdio: ['ignore', openSync(urlFile, 'w'), openSync(logFile, 'w')],
  detached: keep,
});
const url = await waitForUrl();

/** The sandbox prints its URL alone on stdout once it listens. */
async function waitForUrl() {
  let exited;
  sandbox.once('exit', (code) => (exited = code ?? 'a signal'));
  for (let waited = 0; waited < 15_000; waited += 25) {
    const line = readFileSync(urlFile, 'utf8').split('\n')[0];
    if (line && readFileSync(urlFile, 'utf8').includes('\n')) return line;
    if (exited !== undefined) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  sandbox.kill('SIGINT');
  console.error(`demo: the sandbox did not start (${exited === undefined ? 'no URL after 15 s' : `it exited with ${exited}`}); its log:\n${readFileSync(logFile, 'utf8')}`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}

const env = { ...process.env, ALTO_API_URL: url, ALTO_TOKEN: TOKEN, ALTO_CONFIG_DIR: join(work, 'config') };
console.log(`\nalto sandbox is serving the demo workflows at ${url}\n\n$ alto wf execute ${workflow} --context examples/context.json --watch\n`);
// Ctrl-C reaches alto too: it stops watching and exits 130, and this script tidies up after it.
process.on('SIGINT', () => {});
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [alto, 'wf', 'execute', workflow, '--context', join(root, 'examples/context.json'), '--watch'], {
    stdio: 'inherit',
    env,
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 70)));
});

// The run id for the hints below, from the sandbox's inspection endpoint (no auth, loopback).
const runs = await fetch(`${url}/__sandbox/runs`, { signal: AbortSignal.timeout(5000) })
  .then((r) => r.json())
  .catch(() => []);
const ours = Array.isArray(runs) ? runs.filter((r) => r?.workflow_id === workflow && typeof r.id === 'string') : [];
const runId = ours.at(-1)?.id ?? '<run id>';

console.log(`\nalto exited with ${code}`);
if (keep) {
  sandbox.unref();
  rmSync(join(work, 'config'), { recursive: true, force: true });
  console.log(
    [
      '',
      `The sandbox is still up at ${url} (pid ${sandbox.pid}; its request log: ${logFile}).`,
      'From this clone `alto` is `npx alto`: point it at the sandbox, then run any hint above with npx in front:',
      `  export ALTO_API_URL=${url} ALTO_TOKEN=${TOKEN}`,
      `  npx alto run logs ${runId}`,
      `  npx alto run rerun ${runId} --watch`,
      'Stop the sandbox (its runs go with it) when you are done:',
      `  kill ${sandbox.pid}; unset ALTO_API_URL ALTO_TOKEN; rm -r ${work}`,
    ].join('\n'),
  );
} else {
  sandbox.kill('SIGINT');
  await new Promise((resolve) => (sandbox.exitCode !== null || sandbox.signalCode !== null ? resolve() : sandbox.once('exit', resolve)));
  rmSync(work, { recursive: true, force: true });
  console.log(
    [
      '',
      'The sandbox has stopped, and its runs with it: the `alto run ...` hints above need it. To try them,',
      `keep it up:   npm run demo -- ${workflow} --keep`,
      'or start one yourself (from this clone `alto` is `npx alto`):',
      '  npx alto sandbox                 # in another terminal; it listens on http://127.0.0.1:8787',
      `  export ALTO_API_URL=http://127.0.0.1:8787 ALTO_TOKEN=${TOKEN}`,
      `  npx alto wf execute ${workflow} --watch`,
    ].join('\n'),
  );
}
process.exit(code);
