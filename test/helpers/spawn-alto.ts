import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { tempDir } from './temp-dir.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ALTO = join(ROOT, 'bin', 'alto.js');

/** Tokens no output of alto may ever contain (outside `alto auth token`). */
const secrets = new Set<string>();
const captured: { args: string[]; text: string }[] = [];

/** Registers a secret that every captured output of this test file is checked for at the end. */
export function secret(token: string): string {
  secrets.add(token);
  return token;
}

afterAll(() => {
  // Every run of bin/alto in this file, stdout and stderr: the token never appears.
  const leaks = captured.filter(({ args, text }) => !(args[0] === 'auth' && args[1] === 'token') && [...secrets].some((s) => text.includes(s)));
  expect(leaks.map((l) => l.args.join(' '))).toEqual([]);
});

export interface AltoResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Called with the child once it has written this text to stdout or stderr. */
  onOutput?: { text: string; then: (child: ReturnType<typeof spawn>) => void };
  timeoutMs?: number;
}

/** A fresh config directory, so no test sees another's profiles (removed after the test file). */
export function tempConfigDir(): string {
  return tempDir('alto-e2e-');
}

let home: string | undefined;
/**
 * HOME of the runs in this test file: one directory, so that alto's compile cache (~/.cache/alto)
 * serves the file's later runs; removed after the file (made again if a shared module outlived it).
 */
export function testHome(): string {
  if (home === undefined || !existsSync(home)) home = tempDir('alto-home-');
  return home;
}

/** The clean environment of a run (no CI, no colour, no proxies unless given), with opts.env over it. */
function cleanEnv(opts: SpawnOptions): Record<string, string> {
  // TMPDIR passed on: whatever a run leaves in os.tmpdir() lands where npm test looks for leftovers.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: testHome(), TMPDIR: tmpdir() };
  if (!opts.env || !('ALTO_CONFIG_DIR' in opts.env)) env.ALTO_CONFIG_DIR = tempConfigDir();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/**
 * runAlto's twin in this process (main with test streams, the real clock and dispatcher, the same
 * clean environment as deps.env): for runs whose meaning needs no process. Signals, stdout
 * draining, TTY, HOME unset, NODE_OPTIONS, --version and bin/alto.js itself need runAlto.
 */
export async function runAltoHere(args: string[], opts: Omit<SpawnOptions, 'onOutput'> = {}): Promise<AltoResult> {
  // Loaded on first use: files that only spawn do not import src/.
  const { runAltoInProcess } = await import('./in-process-alto.js');
  const r = await runAltoInProcess(args, { env: cleanEnv(opts), stdin: opts.input, hardLimitMs: opts.timeoutMs ?? 15_000 });
  captured.push({ args, text: r.stdout + r.stderr });
  if (r.signal) throw new Error(`alto ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 15_000} ms\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** Runs bin/alto with a clean environment (no CI, no colour, no proxies unless given). */
export function runAlto(args: string[], opts: SpawnOptions = {}): Promise<AltoResult> {
  const env = cleanEnv(opts);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ALTO, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let triggered = false;
    const check = () => {
      if (opts.onOutput && !triggered && (stdout + stderr).includes(opts.onOutput.text)) {
        triggered = true;
        opts.onOutput.then(child);
      }
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`alto ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 15_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      captured.push({ args, text: stdout + stderr });
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
