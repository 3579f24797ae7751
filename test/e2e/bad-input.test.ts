import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, describe, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { main } from '../../src/main.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { runAlto, secret, tempConfigDir } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';
import { createTestIO } from '../helpers/test-io.js';

// Bad input is refused before anything is sent, so these rows run in-process through main()
// with test streams and an undici MockAgent that refuses every connection and records every
// attempt: "nothing sent" means no request was even tried. One row still spawns bin/alto, for
// what only a process shows: the real exit status and a real stdin pipe.
const TOKEN = secret('wfk_e2e_bad_input_token_31d8');
const API = 'http://127.0.0.1:9';
const dir = tempDir('alto-bad-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const agents: MockAgent[] = [];
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
});

/** Runs main() in-process; returns the exit code, both streams and how many requests it tried. */
async function runInProcess(argv: string[], stdin: string | undefined) {
  const agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
  agents.push(agent);
  const io = createTestIO(stdin === undefined ? {} : { stdin });
  const deps: Deps = {
    io,
    env: { ALTO_CONFIG_DIR: tempConfigDir(), ALTO_API_URL: API, ALTO_TOKEN: TOKEN },
    clock: new FakeClock(),
    signal: new AbortController().signal,
    version: '0.0.0-test',
    dispatcher: agent,
    random: () => 0.5,
  };
  const code = await main(argv, deps);
  return { code, stdout: io.stdout.text(), stderr: io.stderr.text(), sent: agent.getCallHistory()?.calls().length ?? 0 };
}

const badJson = file('bad.json', '{\n  "customer": {\n    "name": "Ada",\n  }\n}\n');
const array = file('array.json', '[1, 2, 3]');

// Each row: what the user typed, what stdin holds, the line alto must print.
const rows: [string, string[], string | undefined, RegExp][] = [
  ['bad JSON names file, line and column', ['wf', 'execute', 'fl_ok', '--context', badJson], undefined, new RegExp(`^alto: invalid JSON in ${badJson.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} at line 4, column 3: expected a property name`)],
  ['a context that is not an object', ['wf', 'execute', 'fl_ok', '--context', array], undefined, /must be a JSON object, not an array/],
  ['a missing context file', ['wf', 'execute', 'fl_ok', '--context', join(dir, 'missing.json')], undefined, /cannot read context file .*missing\.json: no such file/],
  ['empty stdin', ['wf', 'execute', 'fl_ok', '--context', '-'], '', /the context from stdin is empty/],
  ['bad JSON on stdin', ['wf', 'execute', 'fl_ok', '--context', '-'], '{"a": }', /invalid JSON in stdin at line 1, column 7/],
  ['a field without =', ['wf', 'execute', 'fl_ok', '-f', 'site_id'], undefined, /invalid field for -f: "site_id"/],
  ['a typed field reading a missing file', ['wf', 'execute', 'fl_ok', '-F', `note=@${join(dir, 'nope.txt')}`], undefined, /cannot read .*nope\.txt for field note/],
  ['a bad duration', ['wf', 'execute', 'fl_ok', '-w', '--timeout', '5 minutes'], undefined, /invalid duration for --timeout: "5 minutes"/],
  ['a bad interval', ['run', 'watch', 'fl_run_1', '--interval', 'fast'], undefined, /invalid duration for --interval/],
  ['a bad request timeout', ['wf', 'list', '--request-timeout', 'x'], undefined, /invalid duration for --request-timeout/],
  ['an unknown flag', ['wf', 'execute', 'fl_ok', '--contxt', 'a.json'], undefined, /unknown option '--contxt'/],
  ['an unknown output format', ['wf', 'execute', 'fl_ok', '--output', 'yaml'], undefined, /invalid value for --output: "yaml"/],
  ['--json with -q', ['wf', 'execute', 'fl_ok', '--json', '-q'], undefined, /cannot be used together/],
  ['a bad page number', ['wf', 'runs', 'fl_ok', '--page', '0'], undefined, /--page takes a whole number/],
  ['a bad profile name', ['wf', 'list', '--profile', '../etc'], undefined, /invalid profile name "\.\.\/etc"/],
  ['plain http to a remote host', ['wf', 'list', '--api-url', 'http://api.example.com'], undefined, /refusing to send the token over plain http to api\.example\.com/],
  ['a missing argument', ['run', 'get'], undefined, /missing required argument 'runId'/],
];

describe.concurrent('bad input: one clear line, exit 2, nothing sent', () => {
  it.for(rows)('%s', async ([, args, input, message], { expect }) => {
    const r = await runInProcess(args, input);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')[0]).toMatch(/^alto: /);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stdout).toBe('');
    expect(r.sent).toBe(0);
  });

  it('as a process: bad JSON piped to stdin exits 2 with the same one line', async ({ expect }) => {
    // Port 9 (discard) on loopback: if alto sent anything it would fail with 5, not 2.
    const r = await runAlto(['wf', 'execute', 'fl_ok', '--context', '-'], { env: { ALTO_API_URL: API, ALTO_TOKEN: TOKEN }, input: '{"a": }' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^alto: invalid JSON in stdin at line 1, column 7/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
