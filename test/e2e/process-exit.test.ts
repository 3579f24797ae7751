import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ALTO, runAltoHere, secret, tempConfigDir, testHome } from '../helpers/spawn-alto.js';

// What only a real process shows: stdout drained to a slow reader, a closed stdout (EPIPE),
// SIGTERM, and that the process ends by itself. Tests run concurrently on one sandbox: each finds
// its own run by id, and no test bounds wall time (a loaded machine is slow, not wrong): "stopped
// at once" is a count of the polls made after the event.
const TOKEN = secret('wfk_e2e_process_exit_token_81c2');
const BIG = 'x'.repeat(40_000);
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({
    token: TOKEN,
    scenarios: {
      workflows: [
        {
          id: 'fl_big',
          name: 'Big outputs',
          start_after_ms: 10,
          steps: [1, 2, 3, 4, 5].map((n) => ({ node_id: `n${n}`, component_id: 'webhook', after_ms: 10, output: { n, body: BIG } })),
          outcome: 'completed',
          end_after_ms: 10,
        },
        {
          id: 'fl_chatty',
          name: 'A step every 150 ms for a long time',
          start_after_ms: 10,
          // Node ids with a '-': a run id (lowercase base32) never contains one, so `sigtermOn` cannot
          // fire on the id in "Started run …" before alto has polled (it did for ids with 'n2' in them).
          steps: Array.from({ length: 200 }, (_, i) => ({ node_id: `step-${i}`, component_id: 'webhook', after_ms: 150 })),
          outcome: 'completed',
          end_after_ms: 10,
        },
      ],
    },
  });
  env = { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN };
});
afterAll(() => sandbox.close());

interface Spawned {
  code: number | null;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

/**
 * Spawns bin/alto; stdout is closed after its first bytes when asked. With a reader, alto
 * writes into a real pipe (64 KiB) read by that shell command, as in
 * `alto run logs ID | (sleep 1; cat)`; the code is alto's own (PIPESTATUS). (A child's stdio
 * from spawn is a socket pair that Node drains on exit, so it cannot show lost bytes.)
 */
function spawnAlto(args: string[], opts: { reader?: string; closeStdoutAfterFirst?: boolean; sigtermOn?: string } = {}): Promise<Spawned> {
  const started = performance.now();
  const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const [cmd, argv] = opts.reader
    ? ['bash', ['-c', `${quote(process.execPath)} ${[ALTO, ...args].map(quote).join(' ')} | ${opts.reader}; exit \${PIPESTATUS[0]}`]]
    : [process.execPath, [ALTO, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      env: { PATH: process.env.PATH ?? '', HOME: testHome(), TMPDIR: tmpdir(), ALTO_CONFIG_DIR: tempConfigDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (opts.sigtermOn && stderr.includes(opts.sigtermOn)) child.kill('SIGTERM');
    });
    const read = () =>
      child.stdout.on('data', (d: Buffer) => {
        out.push(d);
        if (opts.closeStdoutAfterFirst) child.stdout.destroy();
        if (opts.sigtermOn && Buffer.concat(out).toString().includes(opts.sigtermOn)) {
          opts.sigtermOn = undefined;
          child.kill('SIGTERM');
        }
      });
    read();
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`alto ${args.join(' ')} hung\n${stderr}`))), 15_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr, ms: performance.now() - started });
    });
  });
}

async function finishedRun(expect: ExpectStatic, workflow: string): Promise<string> {
  const r = await runAltoHere(['wf', 'execute', workflow, '-w', '-q', '--interval', '100ms'], { env });
  expect(r.code).toBe(0);
  return r.stdout.trim();
}

/** GETs of one run the sandbox has seen. */
const pollsOf = (id: string) => sandbox.requests.filter((q) => q.method === 'GET' && q.path.startsWith(`/workflows/runs/${id}`)).length;

describe.concurrent('the process ends by itself, after all output is out', () => {
  it('a reader that starts 1 s late gets every byte of > 64 KiB, and exit 0', async ({ expect }) => {
    const id = await finishedRun(expect, 'fl_big');
    const [prompt, late, json] = await Promise.all([
      spawnAlto(['run', 'logs', id]),
      spawnAlto(['run', 'logs', id], { reader: '(sleep 1; cat)' }),
      // --json too: one complete document.
      spawnAlto(['run', 'logs', id, '--json'], { reader: '(sleep 1; cat)' }),
    ]);
    expect(prompt.code).toBe(0);
    expect(prompt.stdout.length).toBeGreaterThan(200_000);
    expect(late.code).toBe(0);
    expect(late.stdout.length).toBe(prompt.stdout.length);
    expect(late.stdout.equals(prompt.stdout)).toBe(true);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout.toString())).toHaveLength(5);
  });

  it('ends by itself after a watch (nothing keeps the event loop alive past the hard limit)', async ({ expect }) => {
    const r = await spawnAlto(['wf', 'execute', 'fl_big', '-w', '--interval', '100ms']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/completed/);
  });
});

describe.concurrent('stdout closed (EPIPE) and SIGTERM', () => {
  it('`alto run watch <id> | head -1`: stops watching at once, exit 141, says how to re-attach', async ({ expect }) => {
    const id = (await runAltoHere(['wf', 'execute', 'fl_chatty', '-q'], { env })).stdout.trim();
    const r = await spawnAlto(['run', 'watch', id, '--interval', '100ms'], { closeStdoutAfterFirst: true });
    expect(r.code).toBe(141);
    expect(r.stderr).toContain('stdout was closed');
    expect(r.stderr).toContain(`alto run watch ${id}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    // The run takes 30 s of steps 150 ms apart, polled every 100 ms: alto stopped after a few polls.
    expect(pollsOf(id)).toBeGreaterThan(0);
    expect(pollsOf(id)).toBeLessThan(15);
  });

  it('outside a watch a closed stdout is never exit 0', async ({ expect }) => {
    const id = await finishedRun(expect, 'fl_big');
    const r = await spawnAlto(['run', 'logs', id], { reader: 'head -c 100' });
    expect(r.code).toBe(141);
    expect(r.stderr).toContain('stdout was closed');
  });

  it('SIGTERM mid-watch: stops, says how to re-attach, exit 143', async ({ expect }) => {
    const r = await spawnAlto(['wf', 'execute', 'fl_chatty', '-w', '--interval', '100ms'], { sigtermOn: 'step-2' });
    const id = /Started run (fl_run_\w+)/.exec(r.stdout.toString())?.[1] ?? 'no run id on stdout';
    expect(r.code).toBe(143);
    expect(r.stderr).toContain(`alto run watch ${id}`);
    expect(pollsOf(id)).toBeGreaterThan(0);
    expect(pollsOf(id)).toBeLessThan(15);
  });
});
