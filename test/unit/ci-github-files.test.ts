import { describe, expect, it } from 'vitest';
import {
  MAX_SUMMARY_CHARS,
  githubOutputText,
  markdownCell,
  renderStepSummary,
  runIdsJson,
  writeGithubOutputs,
  writeStepSummary,
} from '../../src/ci/github-files.js';

/** Parses $GITHUB_OUTPUT text the way the runner does: name=value or name<<DELIM ... DELIM. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; lines[i] !== delim; i++) {
        if (i >= lines.length) throw new Error(`no closing ${delim}`);
        value.push(lines[i] as string);
      }
      out[name] = value.join('\n');
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/** Unescaped pipes of a Markdown table row. */
const pipes = (row: string) => row.replace(/\\./g, '').split('|').length - 1;

function memoryFs() {
  const files = new Map<string, string>();
  const appendFile = async (path: string, text: string) => void files.set(path, (files.get(path) ?? '') + text);
  return { files, appendFile };
}

const run = (over: Record<string, unknown> = {}) => ({
  id: 'fl_run_1',
  status: 'failed',
  error_message: 'step "send" failed',
  started_at: '2026-11-30T10:00:00.000000Z',
  completed_at: '2026-11-30T10:01:05.500000Z',
  logs: [
    { id: 'l1', node_id: 'trigger', component_id: 'webhook', status: 'success', output: {}, created_at: '2026-11-30T10:00:01Z' },
    { id: 'l2', node_id: 'send', component_id: 'http', status: 'error', output: 'boom', created_at: '2026-11-30T10:01:05Z' },
  ],
  ...over,
});

describe('GitHub step outputs', () => {
  it('writes run-id, status, exit-code and run-ids to $GITHUB_OUTPUT', async () => {
    const fs = memoryFs();
    await writeGithubOutputs({ GITHUB_OUTPUT: '/tmp/out' }, fs.appendFile, { runIds: ['fl_run_1', 'fl_run_2'], status: 'failed', exitCode: 1 }, () => 'r');
    expect(parseOutputs(fs.files.get('/tmp/out') ?? '')).toEqual({
      'run-id': 'fl_run_1',
      status: 'failed',
      'exit-code': '1',
      'run-ids': '["fl_run_1","fl_run_2"]',
    });
  });

  it('writes nothing when GITHUB_OUTPUT is unset', async () => {
    const fs = memoryFs();
    await writeGithubOutputs({}, fs.appendFile, { runIds: ['x'], status: 'completed', exitCode: 0 }, () => 'r');
    await writeStepSummary({}, fs.appendFile, [{ run: run() }]);
    expect(fs.files.size).toBe(0);
  });

  it('writes a multi-line value with a random delimiter that is not in the value', () => {
    const tokens = ['abc', 'abc', 'def'];
    const value = 'line 1\nghadelimiter_abc\nrun-id=evil';
    const text = githubOutputText([['status', value], ['exit-code', '0']], () => tokens.shift() ?? 'zzz');
    expect(text).toBe(`status<<ghadelimiter_def\n${value}\nghadelimiter_def\nexit-code=0\n`);
    expect(parseOutputs(text)).toEqual({ status: value, 'exit-code': '0' });
  });

  it('a random source that always collides still gets a delimiter that is not in the value', () => {
    const value = 'x\nghadelimiter_x\nghadelimiter_alto_0\nrun-id=evil';
    const text = githubOutputText([['status', value]], () => 'x');
    expect(text.startsWith('status<<ghadelimiter_alto_1\n')).toBe(true);
    expect(parseOutputs(text)).toEqual({ status: value });
  });

  it('a value with a bare CR also takes the delimited form, so it cannot start a new output', () => {
    const text = githubOutputText([['status', 'ok\rrun-id=evil']], () => 'tok');
    expect(text.startsWith('status<<ghadelimiter_tok\n')).toBe(true);
  });

  it('keeps run-ids valid JSON when there are too many to fit', () => {
    const ids = Array.from({ length: 20000 }, (_, i) => `fl_run_${String(i).padStart(20, '0')}`);
    const json = runIdsJson(ids);
    const parsed = JSON.parse(json) as string[];
    expect(parsed.length).toBeGreaterThan(1000);
    expect(parsed.length).toBeLessThan(ids.length);
    expect(json.length).toBeLessThanOrEqual(256 * 1024);
  });
});

describe('GitHub step summary', () => {
  it('shows run, outcome, duration and a steps table', async () => {
    const fs = memoryFs();
    await writeStepSummary({ GITHUB_STEP_SUMMARY: '/tmp/sum' }, fs.appendFile, [{ run: run(), workflow: 'wf_deploy', exitCode: 1 }]);
    const md = fs.files.get('/tmp/sum') ?? '';
    expect(md).toContain('### alto: wf\\_deploy');
    expect(md).toContain('- **Run:** fl\\_run\\_1');
    expect(md).toContain('- **Outcome:** ❌ failed (exit 1)');
    expect(md).toContain('- **Duration:** 1m6s'); // 65.5 s, as util/duration.ts rounds it on a terminal too
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toEqual([
      '| # | Step | Component | Status |',
      '|---:|---|---|---|',
      '| 1 | trigger | webhook | ✅ success |',
      '| 2 | send | http | ❌ error |',
    ]);
  });

  it('has one row per run for a fan-out', () => {
    const md = renderStepSummary([
      { run: run({ id: 'fl_run_a', status: 'completed' }), label: 'eu', exitCode: 0 },
      { run: run({ id: 'fl_run_b' }), label: 'us', exitCode: 1 },
      { run: 'not even an object', label: 'bad' },
    ]);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(5);
    expect(rows[2]).toContain('fl\\_run\\_a');
    expect(rows[4]).toContain('bad');
    for (const row of rows) expect(pipes(row)).toBe(8);
  });

  it('server text cannot break the table or inject HTML, links or images', () => {
    const evil = 'a | b\n| x | y |\n<img src=x onerror=alert(1)> ![t](https://evil/p.png) [c](javascript:x) `code` **b** \u001b[31m';
    const md = renderStepSummary([
      {
        run: run({
          id: evil,
          status: evil,
          error_message: evil,
          logs: [{ node_id: evil, component_id: evil, status: evil, output: evil }],
        }),
        workflow: evil,
      },
    ]);
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(pipes(row)).toBe(5);
    const unescaped = md.replace(/\\./g, '');
    expect(unescaped).not.toMatch(/[<>[\]`]/);
    expect(md).not.toContain('\u001b');
    expect(markdownCell('x|y')).toBe('x\\|y');
  });

  it('stays under its size cap with huge and many steps, and any input never throws', () => {
    const logs = Array.from({ length: 5000 }, (_, i) => ({ node_id: `n${i}`.repeat(500), component_id: 'c', status: 'success' }));
    const md = renderStepSummary([{ run: run({ logs }) }]);
    expect(md.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(md).toMatch(/more steps not shown|Summary cut/);
    const big = 'x'.repeat(1000);
    const many = Array.from({ length: 1500 }, () => ({ run: run({ id: big, status: big }), label: big, workflow: big }));
    const fan = renderStepSummary(many);
    expect(fan.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(fan).toContain('Summary cut');
    for (const weird of [null, 42, [], { logs: 'x' }, { logs: [null, 1, 'a'] }, { id: 5, status: {} }]) {
      expect(() => renderStepSummary([{ run: weird }])).not.toThrow();
    }
  });
});
