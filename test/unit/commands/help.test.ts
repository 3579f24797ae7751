import { describe, expect, it } from 'vitest';
import { examples } from '../../../src/commands/shared/run-action.js';
import { makeTestDeps } from '../../helpers/test-deps.js';

// Help output, checked by substring through main (no process): issue 12 item 1.

const SUBCOMMANDS = [
  'auth login',
  'auth status',
  'auth logout',
  'auth token',
  'wf list',
  'wf get',
  'wf execute',
  'wf runs',
  'run get',
  'run logs',
  'run watch',
  'run rerun',
  'run resume',
  'sandbox',
];

async function help(words: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return makeTestDeps().run([...words.split(' '), '--help']);
}

describe('help', () => {
  it.each(SUBCOMMANDS)('%s --help lists the global options as inherited options', async (words) => {
    const { code, stdout } = await help(words);
    expect(code).toBe(0);
    const inherited = stdout.split('Inherited options:\n')[1] ?? '';
    for (const flag of ['--api-url', '--profile', '--debug', '--request-timeout', '--no-color']) expect(inherited).toContain(flag);
    expect(inherited).not.toContain('--version');
    expect(stdout).toContain('Examples:');
  });

  it.each(['auth', 'wf', 'run'])('alto %s --help has examples', async (group) => {
    const { code, stdout } = await help(group);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`Examples:\\n  \\$ alto ${group} \\w+`));
  });

  it('alto help wf execute shows execute, not the group', async () => {
    const { code, stdout } = await makeTestDeps().run(['help', 'wf', 'execute']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: alto workflow execute');
    expect(stdout).toContain('--idempotency-key');
  });

  it('alto help with an unknown command is exit 2 and one line', async () => {
    const { code, stdout, stderr } = await makeTestDeps().run(['help', 'wf', 'nope']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^alto: unknown command "alto wf nope"\n/);
  });

  it('marks required options (resume --from)', async () => {
    const { stdout } = await help('run resume');
    expect(stdout).toMatch(/--from <nodeId> +the node to continue after \(required\)/);
    expect(stdout).toContain('Usage: alto run resume <runId> --from <nodeId>');
  });

  it('no example line is wider than 80 columns or ends inside a quoted string', async () => {
    for (const words of [...SUBCOMMANDS, 'auth', 'wf', 'run']) {
      const { stdout } = await help(words);
      const block = stdout.split('Examples:\n')[1] ?? '';
      for (const line of block.split('\n')) {
        expect(line.length, `${words}: ${line}`).toBeLessThanOrEqual(80);
        expect((line.match(/'/g) ?? []).length % 2, `${words}: ${line}`).toBe(0);
        expect((line.match(/"/g) ?? []).length % 2, `${words}: ${line}`).toBe(0);
      }
    }
  });

  it('wraps a long example at a space outside quotes, with a shell continuation', () => {
    const text = examples(`alto wf execute fl_1 -F note='${'a b '.repeat(12)}end' -F x=1 --watch --output ndjson`);
    const lines = text.split('\n').filter((l) => l.trim() !== '' && l !== 'Examples:');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/ \\$/);
    expect(lines.some((l) => l.includes(`note='${'a b '.repeat(12)}end'`))).toBe(true);
    expect(lines.some((l) => /^ +--output ndjson$/.test(l) || /--watch --output ndjson$/.test(l))).toBe(true);
  });
});

describe('habit suggestions', () => {
  it.each([
    ['wf run fl_1 --context c.json', "alto: unknown command 'wf run' (did you mean 'alto wf execute'?)"],
    ['wf show fl_1', "alto: unknown command 'wf show' (did you mean 'alto wf get'?)"],
    ['run view r_1', "alto: unknown command 'run view' (did you mean 'alto run get'?)"],
    ['run list', "alto: unknown command 'run list' (did you mean 'alto wf runs <workflowId>'?)"],
  ])('alto %s: exit 2, one line with the suggestion, nothing sent', async (argv, line) => {
    const t = makeTestDeps();
    const { code, stdout, stderr } = await t.run(argv.split(' '));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });

  it('habit commands do not show in the group help', async () => {
    const { stdout } = await help('wf');
    expect(stdout).not.toMatch(/^\s+(run|show)\b/m);
  });
});
