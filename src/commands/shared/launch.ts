import type { WorkflowRun } from '../../api/types.js';
import { ExitCode } from '../../errors.js';
import { clean } from '../../ui/format.js';
import type { Factory } from '../../factory.js';
import type { OutputOptions } from './output-flags.js';
import type { WatchOptions } from './watch-flags.js';
import { jsonText } from '../../ui/json-text.js';
import { MARK } from '../../ui/marks.js';

/**
 * After execute, rerun or resume: print the new run's id at once, then follow it when asked.
 * With --watch --json nothing is printed until the one final document.
 */
export async function announceAndFollow(
  ctx: Factory,
  run: WorkflowRun,
  watch: WatchOptions | undefined,
  output: OutputOptions,
  verb = 'Started',
): Promise<number> {
  const out = ctx.deps.io.stdout;
  const p = ctx.palette;
  // Server text (the id, the status) is cleaned in text mode; --json and ndjson stay exact.
  const id = clean(String(run.id));
  if (output.quiet) out.write(`${id}\n`);
  else if (output.ndjson) {
    // Without --watch the stream still ends with a result event: a consumer reads one shape.
    if (!watch) out.write(`${jsonText({ type: 'run', run })}\n${jsonText({ type: 'result', run, exit_code: ExitCode.Ok })}\n`);
  } else if (output.json) {
    if (!watch) out.write(`${jsonText(run, { indent: 2 })}\n`);
  } else {
    out.write(`${p.success(MARK.success)} ${clean(verb)} run ${p.id(id)} (${clean(String(run.status))})\n`);
    if (!watch) out.write(`  Follow it: alto run watch ${id}\n`);
  }
  // Not watched: GitHub's step outputs still get the run id and its status; elsewhere there is
  // nothing to report (--junit needs --watch).
  if (!watch) {
    const ciFormat = ctx.io.ciFormat(output.ciFormat);
    if (ciFormat !== 'github') return ExitCode.Ok;
    return (await import('./ci-report.js')).finishRunReports(ctx, [{ run, exitCode: ExitCode.Ok }], ExitCode.Ok, { ciFormat });
  }
  // The watch engine and its reporters load only for --watch: `execute -q` starts faster without them.
  return (await import('./follow.js')).followRun(ctx, run.id, run, watch, output);
}
