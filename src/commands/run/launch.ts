import type { WorkflowRun } from '../../api/types.js';
import { ExitCode } from '../../errors.js';
import type { CommandContext, OutputOptions, WatchOptions } from '../context.js';
import { followRun } from './follow.js';

/**
 * After execute, rerun or resume: print the new run's id at once, then follow it when asked.
 * With --watch --json nothing is printed until the one final document.
 */
export async function announceAndFollow(
  ctx: CommandContext,
  run: WorkflowRun,
  watch: WatchOptions | undefined,
  output: OutputOptions,
  verb = 'Started',
): Promise<number> {
  const out = ctx.deps.io.stdout;
  const p = ctx.palette;
  if (output.quiet) out.write(`${run.id}\n`);
  else if (output.ndjson) {
    if (!watch) out.write(`${JSON.stringify({ type: 'run', run })}\n`);
  } else if (output.json) {
    if (!watch) out.write(`${JSON.stringify(run, null, 2)}\n`);
  } else {
    out.write(`${p.success('✓')} ${verb} run ${p.id(run.id)} (${run.status})\n`);
    if (!watch) out.write(`  Follow it: alto run watch ${run.id}\n`);
  }
  if (!watch) return ExitCode.Ok;
  return followRun(ctx, run.id, run, watch, output);
}
