import { ExitCode } from '../../errors.js';
import { renderRunDetail } from '../../ui/render-run.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';

export interface RunGetOptions {
  runId: string;
  json: boolean;
}

/** alto run get: the run's status, timing, error and steps; the run as one document with --json. */
export async function runGet(ctx: Factory, opts: RunGetOptions): Promise<number> {
  const client = await ctx.client();
  const run = await client.getRun(opts.runId, { signal: ctx.deps.signal });
  const out = ctx.deps.io.stdout;
  if (opts.json) out.write(`${jsonText(run, { indent: 2 })}\n`);
  else ctx.io.writeLines('out', renderRunDetail(run, ctx.palette, ctx.deps.clock.now(), ctx.io.terminalWidth()));
  return ExitCode.Ok;
}
