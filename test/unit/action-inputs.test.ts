import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_INPUTS, defaultIdempotencyKey, parseFields, planAction, readInput } from '../../src/action/inputs.js';
import { maskCommands, runAction, type ActionHooks } from '../../src/action/run-action.js';
import type { Deps } from '../../src/deps.js';
import { UsageError } from '../../src/errors.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO } from '../helpers/test-io.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The environment the runner gives a step: its GITHUB_* variables and one INPUT_* per input that
// has a value or a default (action.yml: watch 'true', strict 'false').
const RUNNER = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '9100', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'deploy', GITHUB_ACTION: '__altostrat_alto' };
const inputs = (values: Record<string, string>) => ({
  ...RUNNER,
  INPUT_WATCH: 'true',
  INPUT_STRICT: 'false',
  ...Object.fromEntries(Object.entries(values).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
});
const usage = (env: Record<string, string>) => {
  try {
    planAction(env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no usage error');
};

describe('action inputs', () => {
  it('reads INPUT_<NAME> as the runner names it: uppercased, a dash kept, trimmed', () => {
    expect(readInput({ 'INPUT_CONTEXT-FILE': ' ctx.json \n' }, 'context-file')).toBe('ctx.json');
    expect(readInput({ INPUT_CONTEXT_FILE: 'ctx.json' }, 'context-file')).toBe('');
  });

  it('builds execute argv: values as --flag=value, the workflow after --, fields as -f strings', () => {
    const plan = planAction(
      inputs({ workflow: 'fl_ok', 'context-file': 'ctx.json', fields: 'a=1\r\n\n  b.c=@/etc/passwd\nflag=true\n', timeout: '10m', strict: 'TRUE', 'api-url': 'http://127.0.0.1:1', 'idempotency-key': 'k-1', token: ' tok ' }),
    );
    expect(plan.argv).toEqual([
      'workflow', 'execute', '--api-url=http://127.0.0.1:1', '--context=ctx.json',
      '--field=a=1', '--field=b.c=@/etc/passwd', '--field=flag=true',
      '--idempotency-key=k-1', '--watch', '--timeout=10m', '--strict', '--', 'fl_ok',
    ]);
    expect(plan.token).toBe('tok');
    expect(plan.argv.join(' ')).not.toContain('tok ');
  });

  it('passes inline context on stdin (--context=-), each as --each=FILE, watch false as no --watch', () => {
    const plan = planAction(inputs({ workflow: '--debug', context: '{"site":"s1"}', each: 'sites.ndjson', watch: 'false', strict: 'false' }));
    expect(plan.stdin).toBe('{"site":"s1"}');
    expect(plan.argv).toEqual(['workflow', 'execute', '--context=-', '--each=sites.ndjson', `--idempotency-key=${plan.idempotencyKey}`, '--', '--debug']);
  });

  it('derives the Idempotency-Key: same for the same step and attempt, new for a re-run, a step or a matrix leg', () => {
    const base = inputs({ workflow: 'fl_ok', context: '{"a":1}' });
    const key = planAction(base).idempotencyKey;
    expect(key).toMatch(/^alto-action:acme\/infra:9100:1:deploy:__altostrat_alto:[0-9a-f]{16}$/);
    expect(planAction({ ...base }).idempotencyKey).toBe(key);
    const others = [
      { ...base, GITHUB_RUN_ATTEMPT: '2' },
      { ...base, GITHUB_ACTION: '__altostrat_alto_2' },
      { ...base, INPUT_CONTEXT: '{"a":2}' },
      { ...base, GITHUB_RUN_ID: '9101' },
    ].map((env) => planAction(env).idempotencyKey);
    expect(new Set([key, ...others]).size).toBe(5);
    expect(planAction({ ...base, 'INPUT_IDEMPOTENCY-KEY': 'mine' }).argv).toContain('--idempotency-key=mine');
    // Outside a workflow run there is nothing stable to build it from: alto's random key applies.
    const { GITHUB_RUN_ID: _, ...local } = base;
    expect(planAction(local).argv.some((a) => a.startsWith('--idempotency-key'))).toBe(false);
    expect(defaultIdempotencyKey({ GITHUB_RUN_ID: ' ' }, {})).toBeUndefined();
  });

  it('rejects bad inputs with one clear message', () => {
    expect(usage(inputs({}))).toMatch(/`workflow` is required/);
    expect(usage(inputs({ workflow: 'w', context: '{}', 'context-file': 'c.json' }))).toMatch(/not both/);
    expect(usage(inputs({ workflow: 'w', context: '{"a":' }))).toMatch(/`context` is not valid JSON/);
    expect(usage(inputs({ workflow: 'w', context: '[1]' }))).toMatch(/must be a JSON object/);
    expect(usage(inputs({ workflow: 'w', watch: 'yes' }))).toMatch(/`watch` must be true or false, not "yes"/);
    expect(usage(inputs({ workflow: 'w', watch: 'false', timeout: '5m' }))).toMatch(/need `watch: true`/);
    expect(usage(inputs({ workflow: 'w', fields: 'a=1\nnoequals' }))).toMatch(/`fields`, line 2: expected key=value/);
    expect(usage(inputs({ workflow: 'w\nx' }))).toMatch(/one line/);
    expect(usage(inputs({ workflow: 'w', context: `{"a":"${'x'.repeat(1024 * 1024)}"}` }))).toMatch(/larger than/);
    expect(() => parseFields('a=1\n'.repeat(1001))).toThrow(/more than 1000/);
  });

  it('action.yml declares the inputs the entry reads, the outputs, node24 and the committed bundle', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    const section = (name: string) => (new RegExp(`^${name}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(yml)?.[1] ?? '');
    const keys = (text: string) => [...text.matchAll(/^ {2}([\w-]+):/gm)].map((m) => m[1]);
    expect(keys(section('inputs'))).toEqual([...ACTION_INPUTS]);
    expect(keys(section('outputs'))).toEqual(['run-id', 'status', 'exit-code']);
    expect(section('inputs')).toMatch(/ {2}watch:\n(?: {4}.*\n)*? {4}default: 'true'/);
    expect(section('runs')).toMatch(/using: node24\n {2}main: action\/index\.cjs/);
    expect(readFileSync(join(ROOT, 'action', 'index.cjs'), 'utf8').length).toBeGreaterThan(1000);
  });
});

describe('runAction', () => {
  const setup = (env: Record<string, string>, opts: { appendFails?: boolean; code?: number } = {}) => {
    const io = createTestIO();
    const calls: { argv: string[]; env: Deps['env']; stdin: string }[] = [];
    const appended: [string, string][] = [];
    const hooks: ActionHooks = {
      appendFile: async (path, text) => {
        if (opts.appendFails) throw Object.assign(new Error('nope'), { code: 'EACCES' });
        appended.push([path, text]);
      },
      randomToken: () => 'r',
      main: async (argv, deps) => {
        let stdin = '';
        for await (const chunk of deps.io.stdin) stdin += String(chunk);
        calls.push({ argv, env: deps.env, stdin });
        deps.io.stdout.write('alto ran\n');
        return opts.code ?? 0;
      },
    };
    const deps: Deps = { io, env, clock: new FakeClock(), signal: new AbortController().signal, version: 'test' };
    return { io, calls, appended, run: () => runAction(deps, hooks) };
  };

  it('masks the token first, hands it to alto as ALTO_TOKEN only, feeds the context, writes exit-code', async () => {
    const t = setup({ ...inputs({ workflow: 'fl_ok', context: '{"a":1}', token: 'sec%ret\nline2' }), GITHUB_OUTPUT: '/out' }, { code: 1 });
    expect(await t.run()).toBe(1);
    expect(t.io.stdout.text()).toBe('::add-mask::sec%25ret%0Aline2\n::add-mask::sec%25ret\n::add-mask::line2\nalto ran\n');
    expect(t.calls[0]?.env.ALTO_TOKEN).toBe('sec%ret\nline2');
    expect(t.calls[0]?.argv.join('\n')).not.toContain('sec%ret');
    expect(t.calls[0]?.stdin).toBe('{"a":1}');
    expect(t.appended).toEqual([['/out', 'exit-code=1\n']]);
  });

  it('a bad input is exit 2 with one annotation line on stderr, alto not run, exit-code still written', async () => {
    const t = setup({ ...inputs({ workflow: 'w', strict: 'maybe', token: 'tk' }), GITHUB_OUTPUT: '/out' });
    expect(await t.run()).toBe(2);
    expect(t.calls).toEqual([]);
    expect(t.io.stderr.text()).toBe('::error title=alto action::input `strict` must be true or false, not "maybe"\n');
    expect(t.appended).toEqual([['/out', 'exit-code=2\n']]);
  });

  it('an unwritable $GITHUB_OUTPUT is never success', async () => {
    const t = setup({ ...inputs({ workflow: 'w' }), GITHUB_OUTPUT: '/out' }, { appendFails: true });
    expect(await t.run()).toBe(70);
    expect(t.io.stderr.text()).toMatch(/cannot write \$GITHUB_OUTPUT: EACCES/);
  });

  it('maskCommands escapes the runner\'s data characters', () => {
    expect(maskCommands('  ')).toBe('');
    expect(maskCommands('a\r\nb')).toBe('::add-mask::a%0D%0Ab\n::add-mask::a\n::add-mask::b\n');
  });
});
