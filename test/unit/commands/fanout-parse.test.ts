// Fan-out flags → typed options, through the runF seam: no process, no server.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { newRunWatchCommand, type RunWatchOptions } from '../../../src/commands/run/watch.js';
import { newExecuteCommand, type ExecuteOptions } from '../../../src/commands/workflow/execute.js';
import { UsageError } from '../../../src/errors.js';
import type { Factory } from '../../../src/factory.js';
import { makeTestDeps } from '../../helpers/test-deps.js';

async function parse<O>(make: (f: Factory, runF: (f: Factory, o: O) => Promise<number>) => Command, argv: string[]) {
  const { f } = makeTestDeps();
  const seen: O[] = [];
  const cmd = make(f, async (_f, o) => (seen.push(o), 7));
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await cmd.parseAsync(argv, { from: 'user' });
  expect(seen).toHaveLength(1);
  return seen[0]!;
}
const usage = async <O>(make: (f: Factory, runF: (f: Factory, o: O) => Promise<number>) => Command, argv: string[], message: RegExp) => {
  const err = await parse(make, argv).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(message);
};

const W = { timeoutMs: 65 * 60_000, intervalMs: 2000, maxOutageMs: 300_000, strict: false, verbose: false };
const TEXT = { json: false, ndjson: false, quiet: false };

describe('wf execute --each', () => {
  it('defaults: concurrency 10, rate 50, no fail-fast, no label; it always watches', async () => {
    const o = await parse<ExecuteOptions>(newExecuteCommand, ['fl_1', '--each', 'c.ndjson', '-f', 'team=x']);
    expect(o.each).toEqual({ source: 'c.ndjson', concurrency: 10, failFast: false, rate: 50 });
    expect(o.watch).toEqual(W);
    expect(o.input.fields).toEqual([{ raw: 'team=x', typed: false }]);
  });

  it('every fan-out flag; watch flags need no --watch with --each; --interval only when given', async () => {
    const o = await parse<ExecuteOptions>(newExecuteCommand, [
      'fl_1', '--each', '-', '--concurrency', '4', '--fail-fast', '--rate', '30', '--label', 'site_id', '--strict', '--interval', '7s', '--idempotency-key', 'job-9', '--output', 'ndjson',
    ]);
    expect(o.each).toEqual({ source: '-', concurrency: 4, failFast: true, rate: 30, labelKey: 'site_id', intervalMs: 7000 });
    expect(o.watch).toEqual({ ...W, strict: true, intervalMs: 7000 });
    expect(o.idempotencyKey).toBe('job-9');
    expect(o.output).toEqual({ ...TEXT, ndjson: true });
  });

  it.each([
    [['--concurrency', '0'], /--concurrency takes a whole number/],
    [['--concurrency', 'many'], /--concurrency takes a whole number/],
    [['--rate', '1.5'], /--rate takes a whole number/],
    [['--rate', '100000'], /--rate must be at most/],
    [['--label', ' '], /--label must not be empty/],
    [['--context', 'c.json'], /--each and --context cannot be used together/],
  ])('%j with --each: usage error', async (extra, message) => {
    await usage<ExecuteOptions>(newExecuteCommand, ['fl_1', '--each', 'c.ndjson', ...extra], message);
  });

  it('fan-out flags without --each: usage error naming them', async () => {
    await usage<ExecuteOptions>(newExecuteCommand, ['fl_1', '--concurrency', '3', '--fail-fast'], /^--concurrency, --fail-fast need --each$/);
    await usage<ExecuteOptions>(newExecuteCommand, ['fl_1', '--label', 'x'], /^--label needs --each$/);
  });

  it('without --each nothing changes: no each, watch only with --watch', async () => {
    const o = await parse<ExecuteOptions>(newExecuteCommand, ['fl_1']);
    expect(o.each).toBeUndefined();
    expect(o.watch).toBeUndefined();
  });
});

describe('run watch <id>...', () => {
  it('one id: the single-run watch as before', async () => {
    expect(await parse<RunWatchOptions>(newRunWatchCommand, ['r1'])).toEqual({ runId: 'r1', watch: W, output: TEXT });
  });

  it('several ids, and --workflow: a multi-run watch', async () => {
    expect(await parse<RunWatchOptions>(newRunWatchCommand, ['r1', 'r2', 'r3', '--json'])).toEqual({ runId: 'r1', runIds: ['r1', 'r2', 'r3'], watch: W, output: { ...TEXT, json: true } });
    expect(await parse<RunWatchOptions>(newRunWatchCommand, ['r1', '--workflow', 'fl_1', '--interval', '9s'])).toEqual({
      runId: 'r1', runIds: ['r1'], workflowId: 'fl_1', intervalMs: 9000, watch: { ...W, intervalMs: 9000 }, output: TEXT,
    });
  });

  it('a blank id or --workflow: usage error', async () => {
    await usage<RunWatchOptions>(newRunWatchCommand, ['r1', ' '], /<runId> must not be empty/);
    await usage<RunWatchOptions>(newRunWatchCommand, ['r1', '--workflow', ''], /--workflow must not be empty/);
  });
});
