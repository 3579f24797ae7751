// Flag → typed options, through the runF seam: no process, no server (gh's TestNewCmdX).
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { newExecuteCommand, type ExecuteOptions } from '../../../src/commands/workflow/execute.js';
import { newGetCommand, type GetOptions } from '../../../src/commands/workflow/get.js';
import { newListCommand, type ListOptions } from '../../../src/commands/workflow/list.js';
import { newRunsCommand, type WorkflowRunsOptions } from '../../../src/commands/workflow/runs.js';
import { newSandboxCommand, type SandboxCommandOptions } from '../../../src/commands/sandbox/sandbox.js';
import { UsageError } from '../../../src/errors.js';
import type { Factory } from '../../../src/factory.js';
import { makeTestDeps } from '../../helpers/test-deps.js';

/** Builds a command with a runF that records its options (and returns 7), and parses argv. */
async function parse<O>(make: (f: Factory, runF: (f: Factory, o: O) => Promise<number>) => Command, argv: string[]) {
  const { f } = makeTestDeps();
  const seen: O[] = [];
  const cmd = make(f, async (_f, o) => (seen.push(o), 7));
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await cmd.parseAsync(argv, { from: 'user' });
  expect(seen).toHaveLength(1);
  expect(f.exitCode).toBe(7);
  return seen[0]!;
}

const usage = async <O>(make: (f: Factory, runF: (f: Factory, o: O) => Promise<number>) => Command, argv: string[], message: RegExp) => {
  const err = await parse(make, argv).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as Error).message).toMatch(message);
};

const W = { timeoutMs: 65 * 60_000, intervalMs: 2000, maxOutageMs: 300_000, strict: false, verbose: false };

describe('wf execute flags', () => {
  it('defaults: no context, no fields, no key, no watch, text output', async () => {
    expect(await parse<ExecuteOptions>(newExecuteCommand, ['fl_1'])).toEqual({
      workflowId: 'fl_1',
      input: { source: undefined, fields: [] },
      idempotencyKey: undefined,
      watch: undefined,
      output: { json: false, ndjson: false, quiet: false },
    });
  });

  it('-f and -F keep their order in one list; --context and the key pass through', async () => {
    const o = await parse<ExecuteOptions>(newExecuteCommand, ['fl_1', '-F', 'n=1', '--context', '-', '-f', 'n=2', '--typed-field', 'a=[1]', '--field', 's=x', '--idempotency-key', 'job-9']);
    expect(o.input).toEqual({ source: '-', fields: [{ raw: 'n=1', typed: true }, { raw: 'n=2', typed: false }, { raw: 'a=[1]', typed: true }, { raw: 's=x', typed: false }] });
    expect(o.idempotencyKey).toBe('job-9');
  });

  it('--watch with its flags in milliseconds; --output ndjson', async () => {
    const o = await parse<ExecuteOptions>(newExecuteCommand, ['fl_1', '-w', '--timeout', '10m', '--interval', '500ms', '--max-outage', '0s', '--strict', '--verbose', '--output', 'ndjson']);
    expect(o.watch).toEqual({ timeoutMs: 600_000, intervalMs: 500, maxOutageMs: 0, strict: true, verbose: true });
    expect(o.output).toEqual({ json: false, ndjson: true, quiet: false });
    expect((await parse<ExecuteOptions>(newExecuteCommand, ['fl_1', '--watch', '--json'])).watch).toEqual(W);
  });

  it.each([
    [['fl_1', '--strict'], /--strict has no effect without --watch/],
    [['fl_1', '--timeout', '5m', '--verbose'], /--timeout, --verbose have no effect without --watch/],
    [['fl_1', '-w', '--interval', '10ms'], /--interval must be at least 100ms/],
    [['fl_1', '--timeout', 'soon'], /invalid duration for --timeout/],
    [['fl_1', '--idempotency-key', '  '], /--idempotency-key must not be empty/],
    [['fl_1', '--json', '-q'], /--quiet and --json cannot be used together/],
    [['fl_1', '--json', '--output', 'ndjson'], /contradict/],
    [['fl_1', '--output', 'xml'], /invalid value for --output/],
    [[' '], /<workflowId> must not be empty/],
  ])('%j is a usage error', async (argv, message) => {
    await usage<ExecuteOptions>(newExecuteCommand, argv, message);
  });

  it('a fresh command per build: fields do not leak from one parse to the next', async () => {
    await parse<ExecuteOptions>(newExecuteCommand, ['fl_1', '-f', 'a=1']);
    expect((await parse<ExecuteOptions>(newExecuteCommand, ['fl_1'])).input.fields).toEqual([]);
  });
});

describe('wf list / get / runs flags', () => {
  it('list and get', async () => {
    expect(await parse<ListOptions>(newListCommand, [])).toEqual({ json: false });
    expect(await parse<ListOptions>(newListCommand, ['--json'])).toEqual({ json: true });
    expect(await parse<GetOptions>(newGetCommand, ['fl_9', '--json'])).toEqual({ workflowId: 'fl_9', json: true });
    await usage<GetOptions>(newGetCommand, [''], /<workflowId> must not be empty/);
  });

  it('runs: --page, --all, --limit, --json', async () => {
    expect(await parse<WorkflowRunsOptions>(newRunsCommand, ['fl_1'])).toEqual({ workflowId: 'fl_1', page: undefined, all: false, limit: undefined, json: false });
    expect(await parse<WorkflowRunsOptions>(newRunsCommand, ['fl_1', '--page', '3', '--limit', '20', '--json'])).toEqual({ workflowId: 'fl_1', page: 3, all: false, limit: 20, json: true });
    expect((await parse<WorkflowRunsOptions>(newRunsCommand, ['fl_1', '--all'])).all).toBe(true);
  });

  it.each([
    [['fl_1', '--page', '2', '--all'], /--page and --all cannot be used together/],
    [['fl_1', '--page', '0'], /--page takes a whole number of 1 or more/],
    [['fl_1', '--limit', '2.5'], /--limit takes a whole number/],
    [['fl_1', '--limit', '-1'], /--limit takes a whole number/],
  ])('runs %j is a usage error', async (argv, message) => {
    await usage<WorkflowRunsOptions>(newRunsCommand, argv, message);
  });
});

describe('sandbox flags', () => {
  it('defaults, repeatable --fault in order, --rate-limit', async () => {
    expect(await parse<SandboxCommandOptions>(newSandboxCommand, [])).toEqual({ port: 8787, host: '127.0.0.1', token: undefined, workflows: undefined, faults: [], quiet: false });
    const o = await parse<SandboxCommandOptions>(newSandboxCommand, ['--port', '0', '--fault', 'GET /a=drop', '-q', '--fault', 'GET /b=drop', '--rate-limit', '5', '--token', 't1']);
    expect(o).toMatchObject({ port: 0, faults: ['GET /a=drop', 'GET /b=drop'], quiet: true, rateLimit: 5, token: 't1' });
  });

  it('a bad --port is a usage error', async () => {
    await usage<SandboxCommandOptions>(newSandboxCommand, ['--port', '70000'], /--port takes a number from 0 to 65535/);
  });
});
