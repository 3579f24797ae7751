import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { addOutputFlags, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, parseWatchFlags, type RawWatchFlags, watchOptionsOf } from '../shared/watch-flags.js';

const load = {
  get: () => import('./get.js'),
  logs: () => import('./logs.js'),
  follow: () => import('../shared/follow.js'),
  relaunch: () => import('./relaunch.js'),
};

/** alto run get|logs|watch|rerun|resume. */
export function newRunCommand(f: Factory): Command {
  const runCmd = new Command('run').description('read, follow, re-run and resume runs');
  runCmd
    .command('get <runId>')
    .description('show a run: status, timing, error and steps')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto run get fl_run_01h3...', 'alto run get fl_run_01h3... --json | jq -r .status'))
    .action(runAction(f, async ([id], o) => (await load.get()).runGet(f, { runId: id!, json: Boolean(o.json) })));
  runCmd
    .command('logs <runId>')
    .description("print a run's step logs")
    .option('--json', 'print the logs as one JSON array')
    .addHelpText('after', examples('alto run logs fl_run_01h3...', "alto run logs fl_run_01h3... --json | jq '.[] | select(.status==\"error\")'"))
    .action(runAction(f, async ([id], o) => (await load.logs()).runLogs(f, { runId: id!, json: Boolean(o.json) })));
  const watchCmd = runCmd.command('watch <runId>').description('follow a run until it ends (re-attach after Ctrl-C or --timeout)');
  addOutputFlags(addWatchFlags(watchCmd, { withSwitch: false }), { ndjson: true })
    .addHelpText('after', examples('alto run watch fl_run_01h3...', 'alto run watch fl_run_01h3... --timeout 10m --strict'))
    .action(
      runAction(f, async ([id], o) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = parseWatchFlags(o as unknown as RawWatchFlags);
        return (await load.follow()).followRun(f, id!, undefined, watch, output);
      }),
    );
  const rerun = runCmd.command('rerun <runId>').description('start a new run with the same trigger payload');
  addOutputFlags(addWatchFlags(rerun, { withSwitch: true }), { ndjson: true })
    .addHelpText('after', examples('alto run rerun fl_run_01h3... --watch'))
    .action(
      runAction(f, async ([id], o, cmd) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = watchOptionsOf(cmd, o as unknown as RawWatchFlags);
        return (await load.relaunch()).runRelaunch(f, { runId: id!, watch, output });
      }),
    );
  const resume = runCmd
    .command('resume <runId>')
    .description('start a new run that continues a failed run after a node that succeeded')
    .requiredOption('--from <nodeId>', 'the node to continue after');
  addOutputFlags(addWatchFlags(resume, { withSwitch: true }), { ndjson: true })
    .addHelpText('after', examples('alto run resume fl_run_01h3... --from n2 --watch'))
    .action(
      runAction(f, async ([id], o, cmd) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        const watch = watchOptionsOf(cmd, o as unknown as RawWatchFlags);
        if (String(o.from).trim() === '') throw new UsageError('--from must name a node that succeeded in the run');
        return (await load.relaunch()).runRelaunch(f, { runId: id!, fromNode: String(o.from), watch, output });
      }),
    );
  return runCmd;
}
