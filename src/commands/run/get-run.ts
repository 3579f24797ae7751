import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';
import { renderRunDetail } from '../../ui/render-run.js';
import type { RunGetOptions } from './get.js';

/** alto run get: the run's status, timing, error and steps; the run as one document with --json. */
export async function runGet(f: Factory, opts: RunGetOptions): Promise<number> {
  const client = await f.client();
  const run = await client.getRun(opts.runId, { signal: f.deps.signal });
  if (opts.json) f.io.out.write(`${jsonText(run, { indent: 2 })}\n`);
  else f.io.writeLines('out', renderRunDetail(run, f.palette, f.deps.clock.now(), f.io.terminalWidth()));
  return ExitCode.Ok;
}
