import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { collectInto } from '../shared/collect.js';
import { addDryRunFlag } from '../shared/dry-run.js';
import { addEachFlags, eachFlagsOf, type RawEachFlags } from '../shared/fanout-flags.js';
import { addOutputFlags, parseOutputFlags, type RawOutputFlags } from '../shared/output-flags.js';
import { examples, runAction } from '../shared/run-action.js';
import { addWatchFlags, parseWatchFlags, type RawWatchFlags, watchOptionsOf } from '../shared/watch-flags.js';
import type { FieldInput } from '../../input/context-input.js';
import type { ExecuteOptions } from './execute-run.js';

export type { ExecuteOptions } from './execute-run.js';
export type ExecuteRun = (f: Factory, opts: ExecuteOptions) => Promise<number>;

const executeRun: ExecuteRun = async (f, opts) => (await import('./execute-run.js')).workflowExecute(f, opts);

/** alto workflow execute <workflowId>: context, fields, Idempotency-Key, watch and output flags. */
export function newExecuteCommand(f: Factory, runF: ExecuteRun = executeRun): Command {
  // -f and -F share one list in the order given: a later field wins over an earlier one.
  const fields: FieldInput[] = [];
  const cmd = new Command('execute')
    .argument('<workflowId>')
    .description('start a run; print its id at once; --watch follows it')
    .option('--context <file>', 'JSON file with the context object; "-" reads stdin')
    .addOption(new Option('-f, --field <key=value>', 'a string field (repeatable; a.b.c or a[b] for nested keys)').argParser(collectInto(fields, (raw) => ({ raw, typed: false }))))
    .addOption(new Option('-F, --typed-field <key=value>', "a JSON value when it parses, @path for a file's text (repeatable)").argParser(collectInto(fields, (raw) => ({ raw, typed: true }))))
    .option('--idempotency-key <key>', 'sent as Idempotency-Key; a non-UUID becomes a name-based UUID');
  addOutputFlags(addWatchFlags(cmd, { withSwitch: true }), { ndjson: true });
  addDryRunFlag(cmd);
  addEachFlags(cmd);
  return cmd
    .addHelpText(
      'after',
      examples(
        'alto wf execute fl_01h3... --context ctx.json --watch',
        'alto wf execute fl_01h3... -f site_id=site_456 -F retries=3 -F tags=\'["a","b"]\' -w',
        'RUN=$(alto wf execute fl_01h3... --context - -q < ctx.json)',
        'alto wf execute fl_01h3... --idempotency-key "$CI_JOB_ID" --watch --output ndjson',
        'alto wf execute fl_01h3... --context ctx.json --dry-run',
        'alto wf execute fl_01h3... --each sites.ndjson --label site_id --concurrency 8 --idempotency-key "$CI_JOB_ID"',
      ),
    )
    .action(
      runAction(f, ([id], o, c) => {
        const output = parseOutputFlags(o as RawOutputFlags, true);
        // A fan-out always watches its runs: watch flags need no --watch there.
        const each = eachFlagsOf(c, o as RawEachFlags, parseWatchFlags(o as unknown as RawWatchFlags).intervalMs);
        if (each && o.context !== undefined) throw new UsageError('--each and --context cannot be used together', 'put the values every run shares in -f/-F fields');
        const watch = each ? parseWatchFlags(o as unknown as RawWatchFlags) : watchOptionsOf(c, o as unknown as RawWatchFlags);
        const key = o.idempotencyKey as string | undefined;
        // An unset $CI_JOB_ID must not become one fixed key that replays the first job's run.
        if (key !== undefined && key.trim() === '') {
          throw new UsageError('--idempotency-key must not be empty or blank', 'pass a value that is unique per job (e.g. "$CI_JOB_ID"), or leave the flag out');
        }
        return runF(f, { workflowId: id!, input: { source: o.context as string | undefined, fields: [...fields] }, idempotencyKey: key, watch, output, ...(o.dryRun ? { dryRun: true } : {}), ...(each ? { each } : {}) });
      }),
    );
}
