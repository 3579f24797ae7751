import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completionWords, newCompleteCommand } from '../../../src/commands/completion/complete.js';
import { type CompletionOptions, newCompletionCommand } from '../../../src/commands/completion/completion.js';
import { completionScript } from '../../../src/completion/scripts.js';
import { WORKFLOW_CACHE_FILE } from '../../../src/completion/workflow-cache.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API } from '../../helpers/test-deps.js';

assertNoPendingAfterEach();

const json = { 'content-type': 'application/json' };
const fresh = () => tempDir('alto-compl-');

describe('alto completion <shell>: parsing', () => {
  it('takes a known shell, in any case', async () => {
    const t = makeTestDeps();
    const seen: CompletionOptions[] = [];
    const cmd = newCompletionCommand(t.f, async (_f, o) => (seen.push(o), 0));
    await cmd.parseAsync(['zsh'], { from: 'user' });
    await cmd.parseAsync(['PowerShell'], { from: 'user' });
    expect(seen).toEqual([{ shell: 'zsh' }, { shell: 'powershell' }]);
  });

  it('an unknown shell is exit 2 naming the choices; no shell is exit 2', async () => {
    const t = makeTestDeps();
    const r = await t.run(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('alto: no completion for shell "tcsh"\n  use one of: bash, zsh, fish, powershell\n');
    expect((await t.run(['completion'])).code).toBe(2);
  });
});

describe('alto completion <shell>', () => {
  it.each(['bash', 'zsh', 'fish', 'powershell'] as const)('%s prints the script of src/completion, and nothing else', async (shell) => {
    const t = makeTestDeps();
    const r = await t.run(['completion', shell]);
    expect(r).toEqual({ code: 0, stdout: completionScript(shell), stderr: '' });
  });
});

describe('alto __complete', () => {
  it('hands the words after `__complete --` to the completer, global options included', async () => {
    const t = makeTestDeps();
    const seen: string[][] = [];
    const cmd = newCompleteCommand(t.f, async (_f, o) => (seen.push(o.words), 0));
    await cmd.parseAsync(['--', 'wf', '--api-url', 'x', '-h', '--', ''], { from: 'user' });
    expect(seen).toEqual([['wf', '--api-url', 'x', '-h', '--', '']]);
    expect(completionWords(['__complete', 'a'])).toEqual(['a']);
  });

  it('answers `alto wf ex` with execute, from the real command tree', async () => {
    const t = makeTestDeps();
    expect(await t.run(['__complete', '--', 'wf', 'ex'])).toEqual({ code: 0, stdout: 'execute\n:4\n', stderr: '' });
  });

  it('global options among the words are words, not options (--api-url, -V, --help)', async () => {
    const t = makeTestDeps();
    expect((await t.run(['__complete', '--', '--api-url', 'http://x', 'wf', 'exe'])).stdout).toBe('execute\n:4\n');
    expect((await t.run(['__complete', '--', '-V', 'r'])).stdout).toBe('run\n:4\n');
    expect((await t.run(['__complete', '--', 'wf', 'execute', 'x', '--output', ''])).stdout).toBe('text\njson\nndjson\n:4\n');
    expect((await t.run(['__complete', '--', 'wf', 'execute', 'x', '--dry'])).stdout).toBe('--dry-run\n:4\n');
  });

  it('is hidden from help', async () => {
    const t = makeTestDeps();
    const r = await t.run(['--help']);
    expect(r.stdout).toContain('completion');
    expect(r.stdout).not.toContain('__complete');
  });
});

describe('workflow ids: wf list writes them, TAB reads them, never the network', () => {
  const workflows = [
    { id: 'wf_deploy', name: 'Deploy' },
    { id: 'wf_backup', name: 'Backup' },
    { id: '$(touch /tmp/pwned)', name: 'hostile' },
    { id: 'has space', name: 'spaces' },
  ];

  it('offers the ids of the last `wf list` for 15 minutes, only shell-safe ones', async () => {
    const dir = join(fresh(), 'alto');
    const env = { ALTO_API_URL: TEST_API, ALTO_TOKEN: 'wfk_test_token_0123456789', ALTO_CONFIG_DIR: dir };
    const t = makeTestDeps({ env });
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(200, JSON.stringify(workflows), { headers: json });
    expect((await t.run(['wf', 'list', '--json'])).code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, WORKFLOW_CACHE_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, WORKFLOW_CACHE_FILE), 'utf8')).ids).toEqual(['wf_deploy', 'wf_backup']);

    // TAB: no interceptor is declared, the API URL is unusable and there is no token.
    const tab = makeTestDeps({ env: { ALTO_API_URL: 'http://unusable.invalid', ALTO_CONFIG_DIR: dir }, now: t.clock.now() + 60_000 });
    expect((await tab.run(['__complete', '--', 'wf', 'execute', ''])).stdout).toBe('wf_deploy\nwf_backup\n:4\n');
    expect((await tab.run(['__complete', '--', 'wf', 'get', 'wf_b'])).stdout).toBe('wf_backup\n:4\n');
    const later = makeTestDeps({ env: { ALTO_CONFIG_DIR: dir }, now: t.clock.now() + 16 * 60_000 });
    expect((await later.run(['__complete', '--', 'wf', 'execute', ''])).stdout).toBe(':4\n');
  });

  it('a config directory that cannot be made does not fail the listing', async () => {
    const t = makeTestDeps({ env: { ALTO_API_URL: TEST_API, ALTO_TOKEN: 'wfk_test_token_0123456789', ALTO_CONFIG_DIR: join(fresh(), 'no', 'such', 'dir') } });
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(200, JSON.stringify(workflows), { headers: json });
    const r = await t.run(['wf', 'list']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
