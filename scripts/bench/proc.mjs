// Running alto and node as children: wall time, exit time, peak memory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { now } from './sandbox.mjs';

/**
 * Wall time (ms) of one child, run to completion with stdout/stderr on pipes (non-TTY).
 * spawnSync: nothing else runs in this process meanwhile, so the figure is the child's start,
 * work and exit plus a constant spawn cost that the baseline (node -e 0) pays too.
 */
export function timeSync(args, env, node = process.execPath) {
  const t0 = performance.now();
  const r = spawnSync(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
  const ms = performance.now() - t0;
  const why = r.error ? r.error.message : r.status !== 0 ? `exit ${r.status ?? r.signal}: ${firstLine(r.stderr)}` : null;
  return { ms, error: why };
}

export const firstLine = (buf) => String(buf ?? '').trim().split('\n')[0]?.slice(0, 200) ?? '';

const TIME_BIN = '/usr/bin/time';

let gnuTimeChecked = null;

/**
 * Whether GNU time reports the peak RSS (%M) of its child correctly. GNU time 1.7 printed 4x
 * the real figure on Linux, so calibrate: a node child reads its own VmHWM just before exiting
 * and the two must agree (within 25 %, since a little is allocated after the read).
 */
export function gnuTimeAvailable(env) {
  if (gnuTimeChecked !== null) return gnuTimeChecked;
  gnuTimeChecked = false;
  if (!existsSync(TIME_BIN)) return false;
  const selfReport = "process.stdout.write(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status','utf8'))[1])";
  const r = spawnSync(TIME_BIN, ['-f', '%M', process.execPath, '-e', selfReport], { env, encoding: 'utf8' });
  const own = Number(r.stdout);
  const timed = Number.parseInt(String(r.stderr).trim().split('\n').pop() ?? '', 10);
  gnuTimeChecked = r.status === 0 && own > 0 && Math.abs(timed - own) / own < 0.25;
  return gnuTimeChecked;
}

/**
 * Runs one child asynchronously (the bench keeps serving other children meanwhile).
 * Resolves with its exit code, the time of its exit on our clock, its output and, when
 * asked, its peak RSS in KiB: from GNU time (`-o file` keeps it out of alto's stderr), else by
 * polling VmHWM (the kernel's own high-water mark) in /proc every 50 ms.
 * keepStdout: hold stdout in memory (for --json checks); otherwise only count bytes and lines.
 */
export function runChild(args, { env, peakMemory = false, tmpDir, timeoutMs = 150_000, keepStdout = false }) {
  const useTime = peakMemory && gnuTimeAvailable(env);
  const timeFile = useTime ? join(tmpDir, `time-${process.hrtime.bigint()}.txt`) : null;
  const [cmd, argv] = useTime ? [TIME_BIN, ['-f', '%M', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const startedAt = now();
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { bytes: 0, lines: 0, chunks: [] };
  let stderr = '';
  child.stdout.on('data', (d) => {
    out.bytes += d.length;
    for (const b of d) if (b === 10) out.lines += 1;
    if (keepStdout || out.chunks.length === 0) out.chunks.push(d); // the first chunk holds the run id
  });
  child.stderr.on('data', (d) => {
    if (stderr.length < 4000) stderr += d;
  });
  let polledKb = 0;
  const poll = peakMemory && !useTime ? setInterval(() => (polledKb = Math.max(polledKb, readHwmKb(child.pid))), 50) : null;
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let exitedAt = Number.NaN;
  let exit = null;
  // 'exit' is the moment the process ended (the figure delays are measured to); 'close' comes
  // once its pipes are drained too, when the output is complete.
  child.on('exit', (code, signal) => {
    exitedAt = now();
    exit = { code, signal };
    clearTimeout(killer);
    if (poll) clearInterval(poll);
  });
  return new Promise((resolve) => {
    child.on('error', (err) => {
      clearTimeout(killer);
      if (poll) clearInterval(poll);
      resolve({ code: `spawn error: ${err.message}`, startedAt, exitedAt, stdout: '', stdoutBytes: 0, stdoutLines: 0, stderr: '', peakKb: Number.NaN, memoryMethod: null });
    });
    child.on('close', () => {
      let peakKb = peakMemory ? polledKb || Number.NaN : null;
      if (timeFile) {
        const text = existsSync(timeFile) ? readFileSync(timeFile, 'utf8').trim() : '';
        peakKb = Number.parseInt(text.split('\n').pop() ?? '', 10);
        rmSync(timeFile, { force: true });
      }
      resolve({
        code: exit?.code ?? (exit?.signal === 'SIGKILL' ? 'timeout' : exit?.signal ?? 'unknown'),
        startedAt,
        exitedAt,
        stdout: Buffer.concat(out.chunks).toString('utf8'),
        stdoutBytes: out.bytes,
        stdoutLines: out.lines,
        stderr,
        peakKb,
        memoryMethod: peakMemory ? (useTime ? 'GNU time %M' : 'VmHWM polled every 50 ms') : null,
      });
    });
  });
}

function readHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // the process is gone, or no /proc
  }
}
