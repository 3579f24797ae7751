// The end-of-run hook: what alto writes besides stdout once the runs it followed have ended.
// One place for a single watch (follow.ts, launch.ts) and a fan-out (many runs):
//   - GitHub Actions: step outputs ($GITHUB_OUTPUT: run-id, status, exit-code, run-ids) and the
//     job summary ($GITHUB_STEP_SUMMARY);
//   - --junit FILE: the JUnit XML report, written even when a run failed.
// Files go through deps.files (real fs from cli.ts, memory in tests). A write that fails is one
// line on stderr and never exit 0: the command's code, or 2 when it was 0 (like any path alto
// cannot write; the environment's fault, not alto's).
import { createCiDialect, type CiDialect, type CiFormat } from '../../ci/index.js';
import { isCiDialect } from '../../ci/detect.js';
import { summaryStatusOf, writeGithubOutputs, writeStepSummary } from '../../ci/github-files.js';
import { cryptoToken } from '../../ci/random.js';
import { ciRunsLines, type CiRunEnding } from '../../ci/run-report.js';
import { runView } from '../../ci/run-view.js';
import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { clean } from '../../ui/format.js';
import { renderJunit } from '../../report/junit.js';

/** One run as the end-of-run hook sees it. */
export interface EndedRun {
  /** The run as the API last sent it (any value); `{ id }` when none arrived. */
  run: unknown;
  /** Workflow id or name known from the command line. */
  workflow?: string;
  /** Fan-out label. */
  label?: string;
  /** How the watch ended (the watch engine's outcome); undefined: not watched (execute without --watch). */
  ending?: CiRunEnding;
  /** Why the launch failed (ending `launch_failed`): the error's message. */
  error?: string;
  /** alto's exit code for this run. */
  exitCode?: number;
}

export interface RunReportOptions {
  /** The CI dialect in use (Factory.io.ciFormat(output.ciFormat)). */
  ciFormat: CiFormat;
  /** --junit FILE. */
  junit?: string;
  /** --strict: a completed run with step errors fails its JUnit outcome case. */
  strict?: boolean;
}

/** The dialect object for a format, with the factory's clock and an unguessable token source. */
export function ciDialectFor(f: Factory, format: CiFormat): CiDialect {
  return createCiDialect(format, { clock: f.deps.clock, randomToken: f.deps.randomToken ?? cryptoToken });
}

/**
 * Groups and annotations for finished runs in the CI dialect, on stdout (a fan-out calls this once
 * with every run; a single watch prints them through its reporter). Nothing outside a CI dialect.
 */
export function reportRunsToCi(f: Factory, format: CiFormat, runs: readonly EndedRun[], opts: { verbose?: boolean } = {}): void {
  if (!isCiDialect(format)) return;
  const lines = ciRunsLines(
    ciDialectFor(f, format),
    runs.map((r) => ({ run: r.run, workflow: r.workflow, label: r.label, ending: r.ending, error: r.error, verbose: opts.verbose })),
  );
  f.io.writeLines('out', lines);
}

/** Writes the JUnit XML report of the runs to `file`; false (one line on stderr) when it cannot. */
export async function writeJunit(f: Factory, file: string, runs: readonly EndedRun[], opts: { strict?: boolean } = {}): Promise<boolean> {
  const xml = renderJunit(
    runs.map((r) => ({ run: r.run, workflow: r.workflow, label: r.label, ending: r.ending, error: r.error })),
    { strict: opts.strict },
  );
  return write(f, `--junit ${file}`, (files) => files.writeFile(file, xml));
}

/**
 * The end-of-run hook: the JUnit report (when asked), then on GitHub Actions the step outputs and
 * summary. Returns the exit code to use: `exitCode`, or 2 when it was 0 and a file was not written.
 */
export async function finishRunReports(f: Factory, runs: readonly EndedRun[], exitCode: number, opts: RunReportOptions): Promise<number> {
  let ok = true;
  if (opts.junit !== undefined) ok = (await writeJunit(f, opts.junit, runs, { strict: opts.strict })) && ok;
  if (opts.ciFormat === 'github') {
    const code = ok || exitCode !== 0 ? exitCode : ExitCode.Usage;
    const randomToken = f.deps.randomToken ?? cryptoToken;
    const status = runs.length === 1 && runs[0] ? statusOf(runs[0]) : summaryStatus(runs);
    const ids = runs.map((r) => runView(r.run).id);
    ok = (await write(f, '$GITHUB_OUTPUT', (files) => writeGithubOutputs(f.deps.env, files.appendFile, { runIds: ids, status, exitCode: code }, randomToken))) && ok;
    const summary = runs.map((r) => ({ run: r.run, workflow: r.workflow, label: r.label, exitCode: r.exitCode, ending: r.ending, error: r.error }));
    ok = (await write(f, '$GITHUB_STEP_SUMMARY', (files) => writeStepSummary(f.deps.env, files.appendFile, summary))) && ok;
  }
  return ok || exitCode !== 0 ? exitCode : ExitCode.Usage;
}

const statusOf = (r: EndedRun) => summaryStatusOf(r, runView(r.run));

/** Many runs: `completed` when all completed, else the first other status. */
function summaryStatus(runs: readonly EndedRun[]): string {
  const statuses = runs.map(statusOf);
  return statuses.find((s) => s !== 'completed') ?? (statuses.length > 0 ? 'completed' : 'unknown');
}

async function write(f: Factory, what: string, fn: (files: NonNullable<Factory['deps']['files']>) => Promise<void>): Promise<boolean> {
  const files = f.deps.files;
  try {
    if (!files) throw new Error('file writes are not available here');
    await fn(files);
    return true;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = typeof e?.code === 'string' ? e.code : err instanceof Error ? err.message : String(err);
    f.io.err.write(`${f.errPalette.failure('alto:')} cannot write ${clean(what)}: ${clean(reason)}\n`);
    return false;
  }
}
