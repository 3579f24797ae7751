import type { Factory } from '../../factory.js';
import { dryRun } from '../shared/dry-run.js';
import { announceAndFollow } from '../shared/launch.js';
import { launchStopped } from '../stop-reasons.js';
import type { RunRerunOptions } from './rerun.js';
import type { RunResumeOptions } from './resume.js';

/** alto run rerun: a new run with the old one's trigger payload, followed with --watch. */
export async function runRerun(f: Factory, opts: RunRerunOptions): Promise<number> {
  if (opts.dryRun) return dryRun(f, [{ method: 'POST', path: `/workflows/runs/${encodeURIComponent(opts.runId)}/rerun` }], opts.output);
  const client = await f.client();
  const launched = await client.rerunRun(opts.runId, { signal: f.deps.signal }).catch((err: unknown) => {
    throw stoppedLaunch(f, opts.runId, 'rerun') ?? err;
  });
  return announceAndFollow(f, launched.new_run, opts.watch, opts.output, `Re-ran ${opts.runId} as`);
}

/** alto run resume --from: a new run continuing after a node that succeeded, followed with --watch. */
export async function runResume(f: Factory, opts: RunResumeOptions): Promise<number> {
  if (opts.dryRun) {
    const path = `/workflows/runs/${encodeURIComponent(opts.runId)}/resume-from/${encodeURIComponent(opts.fromNode)}`;
    return dryRun(f, [{ method: 'POST', path }], opts.output);
  }
  const client = await f.client();
  const launched = await client.resumeRun(opts.runId, opts.fromNode, { signal: f.deps.signal }).catch((err: unknown) => {
    throw stoppedLaunch(f, opts.runId, 'resume') ?? err;
  });
  return announceAndFollow(f, launched.new_run, opts.watch, opts.output, `Resumed ${opts.runId} from ${opts.fromNode} as`);
}

/** Ctrl-C or SIGTERM during the rerun/resume POST: a new run may have started; no key can re-attach to it. */
function stoppedLaunch(f: Factory, runId: string, verb: 'rerun' | 'resume') {
  const id = f.io.safe(runId);
  return launchStopped(
    f.deps.signal,
    `while asking for the ${verb} of ${id}: the request may have reached the API and a new run may have started`,
    `look before trying again: alto run get ${id} names its workflow, and alto wf runs <workflow> lists the new run`,
  );
}
