import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { newRunWatchCommand } from '../../../src/commands/run/watch.js';
import { finishRunReports, reportRunsToCi } from '../../../src/commands/shared/ci-report.js';
import { UsageError } from '../../../src/errors.js';
import type { Env } from '../../../src/deps.js';
import { makeLog, makeRun } from '../../helpers/run-fixtures.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API, TEST_TOKEN } from '../../helpers/test-deps.js';

// --ci-format and --junit through main, the real program and the real client over a strict
// MockAgent, with the fake clock; GitHub's files are real temp files.
assertNoPendingAfterEach();

const json = { 'content-type': 'application/json' };
const baseEnv: Env = { ALTO_API_URL: TEST_API, ALTO_TOKEN: TEST_TOKEN, ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' };

const hostile = ['fine line', '::error::pwned by the server', '::add-mask::hunter2', '  ::warning file=x::indented', '##[error]azure style', '::stop-commands::guess'].join('\n');
const failedRun = makeRun({
  id: 'fl_run_1',
  status: 'failed',
  error_message: 'Webhook returned 503',
  completed_at: '2025-10-31T12:00:04.000000Z',
  duration_in_seconds: 4,
  logs: [makeLog(1), makeLog(2, { component_id: 'webhook', status: 'error', output: hostile })],
});
const completedRun = (logs = [makeLog(1), makeLog(2)]) =>
  makeRun({ id: 'fl_run_1', status: 'completed', completed_at: '2025-10-31T12:00:04.000000Z', duration_in_seconds: 4, logs });

async function githubFiles() {
  const dir = tempDir('alto-ci-');
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  await writeFile(output, '');
  await writeFile(summary, '');
  return { dir, output, summary, env: { ...baseEnv, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary } };
}
const realFiles = { appendFile: (p: string, t: string) => appendFile(p, t, 'utf8'), writeFile: (p: string, t: string) => writeFile(p, t, 'utf8') };

/** A test whose API answers GET /workflows/runs/fl_run_1 once with this run. */
function watching(run: unknown, env: Env, files: 'real' | 'memory' = 'real') {
  const t = makeTestDeps({ env, files: files === 'real' ? realFiles : undefined });
  t.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(run), { headers: json });
  return t;
}

/**
 * The runner's reading of a log, as GitHub's runner does it: a line whose trimmed text starts with
 * `::` is a command, unless command processing is stopped (`::stop-commands::T` until `::T::`).
 */
function githubCommands(log: string): string[] {
  const commands: string[] = [];
  let stopToken: string | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const m = /^::([a-z-]+)( [^:]*)?::(.*)$/i.exec(line);
    if (!m) continue;
    if (m[1] === 'stop-commands') stopToken = m[3];
    else commands.push(`${m[1]}${m[2] ?? ''}::${m[3]}`);
  }
  return commands;
}

/** $GITHUB_OUTPUT as the runner reads it: name=value and name<<DELIM ... DELIM. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

describe('GitHub Actions', () => {
  it('a failed run: its logs in a group, one error annotation with message and failing step, outputs and summary', async () => {
    const gh = await githubFiles();
    const t = watching(failedRun, gh.env);
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(1);
    const commands = githubCommands(r.stdout);
    expect(commands.filter((c) => c.startsWith('group::'))).toEqual(['group::workflow fl_run_1']);
    expect(commands.filter((c) => c.startsWith('endgroup'))).toHaveLength(1);
    const errors = commands.filter((c) => c.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error title=workflow%3A run fl_run_1 failed::Webhook returned 503%0Afailing step: n2$/);
    // The step output is in the log, but none of its lines is a command the runner obeys.
    expect(r.stdout).toContain('pwned by the server');
    expect(commands.some((c) => c.startsWith('add-mask') || c.includes('pwned') || c.startsWith('warning file'))).toBe(false);
    expect(r.stdout).not.toMatch(/##\[error\]/);

    const outputs = parseOutputs(await readFile(gh.output, 'utf8'));
    expect(outputs).toMatchObject({ 'run-id': 'fl_run_1', status: 'failed', 'exit-code': '1', 'run-ids': '["fl_run_1"]' });
    const summary = await readFile(gh.summary, 'utf8');
    expect(summary).toContain('| # | Step | Component | Status |');
    expect(summary).toMatch(/^\| 2 \| n2 \| webhook \| ❌ error \|$/m);
    expect(summary).toContain('- **Error:** Webhook returned 503');
  });

  it('a step error under a completed run is a warning; exit 0; outputs say completed', async () => {
    const gh = await githubFiles();
    const t = watching(completedRun([makeLog(1), makeLog(2, { status: 'error', output: 'flaky' })]), gh.env);
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(0);
    const commands = githubCommands(r.stdout);
    expect(commands.filter((c) => c.startsWith('warning'))).toEqual(['warning title=workflow%3A step n2 logged an error (the run completed)::flaky']);
    expect(commands.some((c) => c.startsWith('error'))).toBe(false);
    expect(parseOutputs(await readFile(gh.output, 'utf8'))).toMatchObject({ status: 'completed', 'exit-code': '0' });
  });

  it('an approval wait is a warning, exit 6', async () => {
    const gh = await githubFiles();
    const t = watching(makeRun({ id: 'fl_run_1', status: 'awaiting_ui_interaction', logs: [makeLog(1)] }), gh.env);
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(6);
    expect(githubCommands(r.stdout).filter((c) => c.startsWith('warning'))).toEqual([
      'warning title=workflow%3A run fl_run_1 is waiting for approval::a person must continue it in the dashboard',
    ]);
  });

  it('--ci-format plain on GitHub: no commands, no files written', async () => {
    const gh = await githubFiles();
    const t = watching(failedRun, gh.env);
    const r = await t.run(['run', 'watch', 'fl_run_1', '--ci-format', 'plain']);
    expect(r.code).toBe(1);
    expect(githubCommands(r.stdout)).toEqual([]);
    expect(await readFile(gh.output, 'utf8')).toBe('');
  });

  it('ALTO_CI_FORMAT=github outside GitHub turns the dialect on; --json stays one document', async () => {
    const t = watching(failedRun, { ...baseEnv, ALTO_CI_FORMAT: 'github' }, 'memory');
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.stdout).toContain('::group::');
    const t2 = watching(failedRun, { ...baseEnv, ALTO_CI_FORMAT: 'github' }, 'memory');
    const j = await t2.run(['run', 'watch', 'fl_run_1', '--json']);
    expect(JSON.parse(j.stdout)).toEqual(failedRun);
  });

  it('execute without --watch writes run-id and status (pending) to $GITHUB_OUTPUT', async () => {
    const gh = await githubFiles();
    const t = makeTestDeps({ env: gh.env, files: realFiles });
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(201, JSON.stringify(makeRun({ id: 'fl_run_9', status: 'pending' })), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('fl_run_9\n');
    expect(parseOutputs(await readFile(gh.output, 'utf8'))).toMatchObject({ 'run-id': 'fl_run_9', status: 'pending', 'exit-code': '0' });
  });

  it('an unwritable $GITHUB_OUTPUT: one line, exit 2 for a run that completed', async () => {
    const t = watching(completedRun(), { ...baseEnv, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '/nonexistent/dir/out' });
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^alto: cannot write \$GITHUB_OUTPUT: ENOENT$/m);
  });
});

describe('files are redacted', () => {
  it('a token the server echoes is *** in the step summary, the outputs and the JUnit report', async () => {
    const gh = await githubFiles();
    const leaky = makeRun({ ...failedRun, error_message: `bad token ${TEST_TOKEN}`, status: TEST_TOKEN });
    const t = watching(leaky, gh.env);
    await t.run(['run', 'watch', 'fl_run_1', '--junit', join(gh.dir, 'j.xml')]);
    const written = [await readFile(gh.summary, 'utf8'), await readFile(gh.output, 'utf8'), await readFile(join(gh.dir, 'j.xml'), 'utf8')];
    for (const text of written) {
      expect(text).toContain('***');
      expect(text).not.toContain(TEST_TOKEN);
    }
  });
});

describe('GitLab', () => {
  const sections = (text: string) => [...text.matchAll(/\u001b\[0Ksection_(start|end):(\d+):([A-Za-z0-9_.-]+)(\[collapsed=true\])?\r\u001b\[0K/g)];

  it.each([
    ['completed', completedRun(), 0, true],
    ['failed', failedRun, 1, false],
  ] as const)('a %s run: one balanced section, collapsed only on success', async (_name, run, code, collapsed) => {
    const t = watching(run, { ...baseEnv, GITLAB_CI: 'true', CI: 'true' });
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(code);
    const s = sections(r.stdout);
    expect(s.map((m) => m[1])).toEqual(['start', 'end']);
    expect(s[0]![3]).toBe(s[1]![3]);
    expect(Boolean(s[0]![4])).toBe(collapsed);
    // Server text cannot open or close a section.
    expect(r.stdout.match(/section_(start|end):/g)).toHaveLength(2);
  });
});

describe('--junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('execute --watch --junit: written for a failed run, right counts; exit 1', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(201, JSON.stringify(makeRun({ status: 'pending' })), { headers: json });
    t.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(failedRun), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '--watch', '--junit', 'report.xml']);
    expect(r.code).toBe(1);
    const doc = parser.parse(t.files.get('report.xml') ?? '');
    const suite = doc.testsuites.testsuite;
    expect(suite).toHaveLength(1);
    expect(suite[0]).toMatchObject({ tests: '3', failures: '2', errors: '0', time: '4.000' });
    expect(suite[0].testcase.map((c: { name: string }) => c.name)).toEqual(['n1 (http_request)', 'n2 (webhook)', 'run outcome']);
    expect(suite[0].testcase[2].failure.message).toBe('Webhook returned 503');
  });

  it('run watch --junit --json: the file and the one JSON document', async () => {
    const t = watching(completedRun(), baseEnv, 'memory');
    const r = await t.run(['run', 'watch', 'fl_run_1', '--junit', 'out.xml', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).id).toBe('fl_run_1');
    expect(parser.parse(t.files.get('out.xml') ?? '').testsuites).toMatchObject({ tests: '3', failures: '0' });
  });

  it('a report that cannot be written: one line; exit 2 for a completed run, the run\'s code otherwise', async () => {
    const failing = { appendFile: async () => {}, writeFile: async () => Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })) };
    const ok = makeTestDeps({ files: failing });
    ok.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(completedRun()), { headers: json });
    const r = await ok.run(['run', 'watch', 'fl_run_1', '--junit', '/x/report.xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('alto: cannot write --junit /x/report.xml: EACCES\n');
    const bad = makeTestDeps({ files: failing });
    bad.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(failedRun), { headers: json });
    expect((await bad.run(['run', 'watch', 'fl_run_1', '--junit', '/x/report.xml'])).code).toBe(1);
  });

  it.each([
    ['rerun', ['run', 'rerun', 'fl_run_0', '-w'], '/workflows/runs/fl_run_0/rerun'],
    ['resume', ['run', 'resume', 'fl_run_0', '--from', 'n1', '-w'], '/workflows/runs/fl_run_0/resume-from/n1'],
  ])('%s --watch --junit writes the report of the new run', async (_name, argv, path) => {
    const t = makeTestDeps();
    t.api.intercept({ path, method: 'POST' }).reply(201, JSON.stringify({ message: 'started', new_run: makeRun({ status: 'pending' }) }), { headers: json });
    t.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(failedRun), { headers: json });
    const r = await t.run([...argv, '--junit', 'r.xml']);
    expect(r.code).toBe(1);
    expect(parser.parse(t.files.get('r.xml') ?? '').testsuites).toMatchObject({ tests: '3', failures: '2' });
  });

  it('execute --junit without --watch is exit 2, nothing sent', async () => {
    const t = makeTestDeps();
    const r = await t.run(['wf', 'execute', 'fl_1', '--junit', 'r.xml']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('alto: --junit has no effect without --watch');
  });
});

describe('--ci-format parsing', () => {
  async function parse(argv: string[], env: Env = baseEnv) {
    const t = makeTestDeps({ env });
    let seen: unknown;
    const cmd = newRunWatchCommand(t.f, async (_f, o) => ((seen = o), 0));
    cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    await cmd.parseAsync(argv, { from: 'user' });
    return seen as { output: { ciFormat?: string; junit?: string } };
  }

  it('--ci-format and --junit reach the options', async () => {
    expect((await parse(['r1', '--ci-format', 'gitlab', '--junit', 'j.xml'])).output).toMatchObject({ ciFormat: 'gitlab', junit: 'j.xml' });
    expect((await parse(['r1'])).output.ciFormat).toBeUndefined();
  });

  it('a bad --ci-format is a usage error naming the choices', async () => {
    const err = await parse(['r1', '--ci-format', 'jenkins']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('invalid --ci-format "jenkins"');
  });

  it('a bad ALTO_CI_FORMAT is exit 2 before execute sends anything (no interceptor: a request would fail otherwise)', async () => {
    const t = makeTestDeps({ env: { ...baseEnv, ALTO_CI_FORMAT: 'jenkins' } });
    const r = await t.run(['wf', 'execute', 'fl_1']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('alto: invalid ALTO_CI_FORMAT "jenkins"');
    // The flag wins over the variable.
    const t2 = makeTestDeps({ env: { ...baseEnv, ALTO_CI_FORMAT: 'jenkins' } });
    t2.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(201, JSON.stringify(makeRun({ status: 'pending' })), { headers: json });
    expect((await t2.run(['wf', 'execute', 'fl_1', '--ci-format', 'auto', '-q'])).code).toBe(0);
  });
});

describe('the end-of-run hook with many runs (fan-out)', () => {
  const runs = [
    { run: completedRun(), label: 'eu', ending: 'completed' as const, exitCode: 0 },
    { run: { ...failedRun, id: 'fl_run_2' }, label: 'us', ending: 'failed' as const, exitCode: 1 },
  ];

  it('reportRunsToCi: one group per run, one error annotation, groups closed', () => {
    const t = makeTestDeps({ env: { ...baseEnv, GITHUB_ACTIONS: 'true' } });
    reportRunsToCi(t.f, 'github', runs);
    const commands = githubCommands(t.io.stdout.text());
    expect(commands.filter((c) => /^(group|endgroup)/.test(c))).toEqual(['group::workflow [eu] fl_run_1', 'endgroup::', 'group::workflow [us] fl_run_2', 'endgroup::']);
    expect(commands.filter((c) => c.startsWith('error'))).toHaveLength(1);
    reportRunsToCi(t.f, 'plain', runs);
    expect(githubCommands(t.io.stdout.text())).toEqual(commands);
  });

  it('finishRunReports: run-ids as JSON, one JUnit suite per run, one summary row per run', async () => {
    const t = makeTestDeps({ env: { ...baseEnv, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: 'out', GITHUB_STEP_SUMMARY: 'sum' } });
    expect(await finishRunReports(t.f, runs, 1, { ciFormat: 'github', junit: 'j.xml' })).toBe(1);
    expect(parseOutputs(t.files.get('out') ?? '')).toMatchObject({ 'run-id': 'fl_run_1', 'run-ids': '["fl_run_1","fl_run_2"]', status: 'failed', 'exit-code': '1' });
    expect(t.files.get('sum')).toContain('| # | Label | Workflow | Run | Status | Exit | Duration |');
    expect(t.files.get('j.xml')?.match(/<testsuite /g)).toHaveLength(2);
  });
});
