import { type Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { newAuthLoginCommand } from '../../../src/commands/auth/login.js';
import { newAuthLogoutCommand } from '../../../src/commands/auth/logout.js';
import { newAuthStatusCommand } from '../../../src/commands/auth/status.js';
import { newAuthTokenCommand } from '../../../src/commands/auth/token.js';
import { newRunGetCommand } from '../../../src/commands/run/get.js';
import { newRunLogsCommand } from '../../../src/commands/run/logs.js';
import { newRunRerunCommand } from '../../../src/commands/run/rerun.js';
import { newRunResumeCommand } from '../../../src/commands/run/resume.js';
import { newRunWatchCommand } from '../../../src/commands/run/watch.js';
import { UsageError } from '../../../src/errors.js';
import type { Factory } from '../../../src/factory.js';
import { makeTestDeps } from '../../helpers/test-deps.js';

// gh's TestNewCmdRerun: each command is built with a runF that records the typed options, so
// flag parsing is checked in milliseconds, without a process and without a server.

type Build = (f: Factory, runF: (f: Factory, opts?: unknown) => Promise<number>) => Command;

async function parse(build: Build, argv: string[]): Promise<{ opts: unknown; calls: number; exit: number }> {
  const { f } = makeTestDeps();
  let opts: unknown;
  let calls = 0;
  const cmd = build(f, async (_f, o) => {
    calls += 1;
    opts = o;
    return 7;
  });
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  await cmd.parseAsync(argv, { from: 'user' });
  return { opts, calls, exit: f.exitCode };
}

/** The error parsing throws, after checking that the run function never ran. */
async function parseError(build: Build, argv: string[]): Promise<unknown> {
  let calls = 0;
  const { f } = makeTestDeps();
  const cmd = build(f, async () => ((calls += 1), 0));
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  const err = await cmd.parseAsync(argv, { from: 'user' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(calls).toBe(0);
  return err;
}

const defaults = { timeoutMs: 65 * 60_000, intervalMs: 2000, maxOutageMs: 5 * 60_000, strict: false, verbose: false };
const text = { json: false, quiet: false, ndjson: false };

describe('run get / run logs', () => {
  it.each([
    ['get', newRunGetCommand as Build],
    ['logs', newRunLogsCommand as Build],
  ])('%s: <runId> and --json become typed options; the exit code is the run function\'s', async (_name, build) => {
    // run logs also has its filters (--failed, --node, --follow), all off by default.
    const extra = _name === 'logs' ? { failed: false, nodes: [], follow: undefined } : {};
    expect(await parse(build, ['fl_run_7'])).toEqual({ opts: { runId: 'fl_run_7', json: false, ...extra }, calls: 1, exit: 7 });
    expect((await parse(build, ['fl_run_7', '--json'])).opts).toEqual({ runId: 'fl_run_7', json: true, ...extra });
  });

  it('an empty or blank run id is a usage error (it would address another endpoint)', async () => {
    expect(await parseError(newRunGetCommand as Build, [''])).toBeInstanceOf(UsageError);
    expect(await parseError(newRunLogsCommand as Build, ['  '])).toBeInstanceOf(UsageError);
  });

  it('a missing run id is commander\'s usage error', async () => {
    const err = await parseError(newRunGetCommand as Build, []);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.missingArgument');
  });
});

describe('run watch', () => {
  it('defaults of the contract', async () => {
    expect((await parse(newRunWatchCommand as Build, ['fl_run_1'])).opts).toEqual({ runId: 'fl_run_1', watch: defaults, output: text });
  });

  it('every watch and output flag maps to milliseconds and formats', async () => {
    const { opts } = await parse(newRunWatchCommand as Build, ['fl_run_1', '--timeout', '10m', '--interval', '5s', '--max-outage', '30s', '--strict', '--verbose', '--output', 'ndjson']);
    expect(opts).toEqual({
      runId: 'fl_run_1',
      watch: { timeoutMs: 600_000, intervalMs: 5000, maxOutageMs: 30_000, strict: true, verbose: true },
      output: { json: false, quiet: false, ndjson: true },
    });
    expect((await parse(newRunWatchCommand as Build, ['fl_run_1', '--json'])).opts).toMatchObject({ output: { json: true, ndjson: false } });
    expect((await parse(newRunWatchCommand as Build, ['fl_run_1', '-q'])).opts).toMatchObject({ output: { quiet: true } });
  });

  it('has no --watch switch: it always watches', async () => {
    const err = await parseError(newRunWatchCommand as Build, ['fl_run_1', '--watch']);
    expect((err as CommanderError).code).toBe('commander.unknownOption');
  });

  it.each([
    [['--timeout', '0s'], '--timeout must be more than 0'],
    [['--interval', '10ms'], '--interval must be at least 100ms'],
    [['--timeout', 'soon'], '--timeout'],
    [['--json', '-q'], '--quiet and --json cannot be used together'],
    [['--output', 'yaml'], 'invalid value for --output'],
    [['--json', '--output', 'ndjson'], 'contradict'],
  ])('bad flags %j: usage error, nothing run', async (flags, message) => {
    const err = await parseError(newRunWatchCommand as Build, ['fl_run_1', ...flags]);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(message);
  });
});

describe('run rerun', () => {
  it('without --watch: no watch options; with -w or --watch: the contract\'s defaults', async () => {
    expect((await parse(newRunRerunCommand as Build, ['fl_run_1'])).opts).toEqual({ runId: 'fl_run_1', watch: undefined, output: text });
    expect((await parse(newRunRerunCommand as Build, ['fl_run_1', '-w'])).opts).toEqual({ runId: 'fl_run_1', watch: defaults, output: text });
    const { opts } = await parse(newRunRerunCommand as Build, ['fl_run_1', '--watch', '--timeout', '90s', '--strict', '-q']);
    expect(opts).toEqual({ runId: 'fl_run_1', watch: { ...defaults, timeoutMs: 90_000, strict: true }, output: { ...text, quiet: true } });
  });

  it.each([[['--timeout', '5m']], [['--strict']], [['--interval', '3s', '--verbose']], [['--max-outage', '1m']]])(
    'watch flags %j without --watch: usage error naming them, nothing run',
    async (flags) => {
      const err = await parseError(newRunRerunCommand as Build, ['fl_run_1', ...flags]);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(/no effect without --watch$/);
      expect((err as UsageError).message).toContain(flags[0]);
      expect((err as UsageError).hint).toBe('add --watch (or -w) to follow the run');
    },
  );

  it('a bad duration is a usage error even without --watch', async () => {
    expect(await parseError(newRunRerunCommand as Build, ['fl_run_1', '--timeout', 'x'])).toBeInstanceOf(UsageError);
  });
});

describe('run resume', () => {
  it('--from becomes fromNode; watch and output flags as rerun', async () => {
    expect((await parse(newRunResumeCommand as Build, ['fl_run_1', '--from', 'n2'])).opts).toEqual({ runId: 'fl_run_1', fromNode: 'n2', watch: undefined, output: text });
    const { opts } = await parse(newRunResumeCommand as Build, ['fl_run_1', '--from', 'n2', '-w', '--output', 'ndjson']);
    expect(opts).toEqual({ runId: 'fl_run_1', fromNode: 'n2', watch: defaults, output: { ...text, ndjson: true } });
  });

  it('without --from: commander\'s usage error, nothing run', async () => {
    const err = await parseError(newRunResumeCommand as Build, ['fl_run_1']);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).code).toBe('commander.missingMandatoryOptionValue');
  });

  it('a blank --from, or watch flags without --watch: usage error, nothing run', async () => {
    expect(((await parseError(newRunResumeCommand as Build, ['fl_run_1', '--from', ' '])) as Error).message).toBe('--from must name a node that succeeded in the run');
    expect(await parseError(newRunResumeCommand as Build, ['fl_run_1', '--from', 'n2', '--strict'])).toBeInstanceOf(UsageError);
  });
});

describe('auth', () => {
  it('login: --with-token or not', async () => {
    expect((await parse(newAuthLoginCommand as Build, [])).opts).toEqual({ withToken: false });
    expect((await parse(newAuthLoginCommand as Build, ['--with-token'])).opts).toEqual({ withToken: true });
  });

  it('login never takes the token as a flag or an argument', async () => {
    expect(((await parseError(newAuthLoginCommand as Build, ['--token', 'wfk_x'])) as CommanderError).code).toBe('commander.unknownOption');
    expect(((await parseError(newAuthLoginCommand as Build, ['wfk_x'])) as CommanderError).code).toBe('commander.excessArguments');
  });

  it('status: --json', async () => {
    expect((await parse(newAuthStatusCommand as Build, [])).opts).toEqual({ json: false });
    expect((await parse(newAuthStatusCommand as Build, ['--json'])).opts).toEqual({ json: true });
  });

  it('logout and token take no flags and run once', async () => {
    expect(await parse(newAuthLogoutCommand as Build, [])).toMatchObject({ calls: 1, exit: 7 });
    expect(await parse(newAuthTokenCommand as Build, [])).toMatchObject({ calls: 1, exit: 7 });
    expect(((await parseError(newAuthTokenCommand as Build, ['--json'])) as CommanderError).code).toBe('commander.unknownOption');
  });
});
