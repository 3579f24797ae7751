import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';
import { renderLog } from '../../ui/render-log.js';
import type { RunLogsOptions } from './logs.js';

/** alto run logs: every step log with its whole output; the logs array with --json. */
export async function runLogs(f: Factory, opts: RunLogsOptions): Promise<number> {
  const client = await f.client();
  const run = await client.getRun(opts.runId, { signal: f.deps.signal });
  const logs = Array.isArray(run.logs) ? run.logs : [];
  if (opts.json) {
    f.io.out.write(`${jsonText(logs, { indent: 2 })}\n`);
  } else if (logs.length === 0) {
    f.io.err.write(`run ${f.io.safe(String(run.id))} has no step logs yet (status ${f.io.safe(String(run.status))})\n`);
  } else {
    for (const log of logs) f.io.writeLines('out', renderLog(log, f.palette, { verbose: true }));
  }
  return ExitCode.Ok;
}
