import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { runAltoHere, secret } from '../helpers/spawn-alto.js';

// `alto api` as the issue checks it: a real process against the sandbox.
const TOKEN = secret('wfk_e2e_api_token_8d2e4c6a1f');
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS });
  env = { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN };
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('alto api against the sandbox', () => {
  it('alto api /workflows prints the list as the sandbox sent it', async () => {
    const r = await runAltoHere(['api', '/workflows'], { env });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as Array<{ id: string }>).map((w) => w.id)).toContain('fl_ok');
    expect(r.stderr).toBe('');
  });

  it('alto api -X POST /workflows/<id>/execute -F context.a=1 starts a run with that context', async () => {
    const r = await runAltoHere(['api', '-X', 'POST', '/workflows/fl_ok/execute', '-F', 'context.a=1'], { env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: sandbox.runs[0]?.id });
    expect(sandbox.runs[0]?.context).toEqual({ a: 1 });
    const req = sandbox.requests.find((q) => q.method === 'POST');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('an unknown workflow: the API body on stdout, exit 4', async () => {
    const r = await runAltoHere(['api', '/workflows/fl_nope'], { env });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stdout)).toHaveProperty('message');
    expect(r.stderr).toMatch(/^alto: not found/);
  });
});
