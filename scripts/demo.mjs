// npm run demo: builds alto, starts the built-in sandbox on a free port, runs a demo workflow
// to completion with --watch against it, stops the sandbox and exits with alto's exit code.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const alto = join(root, 'bin', 'alto.js');
const workflow = process.argv[2] ?? 'fl_demo_onboarding';

if (spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);

const configDir = mkdtempSync(join(tmpdir(), 'alto-demo-'));
const sandbox = spawn(process.execPath, [alto, 'sandbox', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
const url = await new Promise((resolve, reject) => {
  createInterface({ input: sandbox.stdout }).once('line', resolve);
  sandbox.once('exit', (code) => reject(new Error(`the sandbox exited early (${code})`)));
});

const env = { ...process.env, ALTO_API_URL: url, ALTO_TOKEN: 'alto-sandbox-token', ALTO_CONFIG_DIR: configDir };
console.log(`\nalto sandbox is serving the demo workflows at ${url}\n\n$ alto wf execute ${workflow} --context examples/context.json --watch\n`);
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [alto, 'wf', 'execute', workflow, '--context', join(root, 'examples/context.json'), '--watch'], {
    stdio: 'inherit',
    env,
  });
  child.on('exit', (c, signal) => resolve(c ?? (signal ? 130 : 70)));
});
sandbox.kill('SIGINT');
rmSync(configDir, { recursive: true, force: true });
console.log(`\nalto exited with ${code}`);
process.exit(code);
