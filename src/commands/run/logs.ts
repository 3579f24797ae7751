import { ExitCode } from '../../errors.js';
import { clean } from '../../ui/format.js';
import { renderLog } from '../../ui/render-log.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';

export interface RunLogsOptions {
  runId: string;
  json: boolean;
}

/** alto run logs: every step log with its whole output; the logs array with --json. */
export async function runLogs(ctx: Factory, opts: RunLogsOptions): Promise<number> {
  const client = await ctx.client();
  const run = await client.getRun(opts.runId, { signal: ctx.deps.signal });
  const logs = Array.isArray(run.logs) ? run.logs : [];
  const { stdout, stderr } = ctx.deps.io;
  if (opts.json) {
    stdout.write(`${jsonText(logs, { indent: 2 })}\n`);
  } else if (logs.length === 0) {
    stderr.write(`run ${clean(String(run.id))} has no step logs yet (status ${clean(String(run.status))})\n`);
  } else {
    for (const log of logs) ctx.io.writeLines('out', renderLog(log, ctx.palette, { verbose: true }));
  }
  return ExitCode.Ok;
}
