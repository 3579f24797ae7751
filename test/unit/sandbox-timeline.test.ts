import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type ScenarioFile, type ScenarioWorkflow } from '../../src/sandbox/index.js';
import { padOutput } from '../../src/sandbox/script.js';

const T0 = Date.parse('2025-10-31T12:00:00Z');
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(scenarios?: ScenarioFile) {
  let t = T0;
  const sb = await startSandbox({ clock: { now: () => t }, ...(scenarios ? { scenarios } : {}) });
  open.push(sb);
  const headers = { authorization: `Bearer ${sb.token}` };
  const run = async (workflowId: string, context?: unknown) => {
    const res = await fetch(`${sb.url}/workflows/${workflowId}/execute`, {
      method: 'POST',
      headers,
      body: JSON.stringify(context === undefined ? {} : { context }),
    });
    const { id } = (await res.json()) as { id: string };
    return { id, get: async () => (await (await fetch(`${sb.url}/workflows/runs/${id}`, { headers })).json()) as any };
  };
  return { sb, run, headers, setTime: (ms: number) => (t = T0 + ms) };
}

const flow = (over: Partial<ScenarioWorkflow>): ScenarioFile => ({
  workflows: [
    {
      id: 'fl_t',
      name: 'Timeline',
      start_after_ms: 100,
      steps: [
        { node_id: 'n1', component_id: 'manual_trigger', after_ms: 50 },
        { node_id: 'n2', component_id: 'webhook', after_ms: 200, output: { ok: true } },
      ],
      end_after_ms: 100,
      ...over,
    },
  ],
});

describe('sandbox run timeline', () => {
  it('goes pending, running, logs one by one, then completed with times in the API format', async () => {
    const { run, setTime } = await start(flow({}));
    const r = await run('fl_t', { user_id: 'usr_1' });
    expect(await r.get()).toMatchObject({ status: 'pending', started_at: null, logs: [] });
    setTime(99);
    expect((await r.get()).status).toBe('pending');
    setTime(100);
    expect(await r.get()).toMatchObject({ status: 'running', started_at: '2025-10-31T12:00:00.100000Z', completed_at: null, logs: [] });
    setTime(150);
    const one = await r.get();
    expect(one.logs).toEqual([
      {
        id: expect.stringMatching(/^fl_log_[0-9a-z]{26}$/),
        node_id: 'n1',
        component_id: 'manual_trigger',
        status: 'success',
        output: { trigger_type: 'manual', context: { user_id: 'usr_1' } },
        created_at: '2025-10-31T12:00:00.150000Z',
      },
    ]);
    setTime(350);
    const two = await r.get();
    expect(two.status).toBe('running');
    expect(two.logs.map((l: any) => l.node_id)).toEqual(['n1', 'n2']);
    expect(two.logs[0].id).toBe(one.logs[0].id); // a log keeps its id across polls
    expect(two.logs[1].id).not.toBe(two.logs[0].id);
    setTime(450);
    expect(await r.get()).toMatchObject({
      status: 'completed',
      error_message: null,
      completed_at: '2025-10-31T12:00:00.450000Z',
      duration_in_seconds: 0.35,
    });
  });

  it('ends failed with the error message', async () => {
    const { run, setTime } = await start();
    const r = await run('fl_demo_failing');
    setTime(60_000);
    const state = await r.get();
    expect(state).toMatchObject({ status: 'failed', error_message: 'Webhook request failed: 503 Service Unavailable' });
    expect(state.logs.at(-1)).toMatchObject({ node_id: 'n3', status: 'error', output: { status: 503 } });
    expect(state.completed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('completes a run whose step logged an error (continue on error)', async () => {
    const { run, setTime } = await start();
    const r = await run('fl_demo_step_error');
    setTime(60_000);
    const state = await r.get();
    expect(state.status).toBe('completed');
    expect(state.logs.map((l: any) => l.status)).toEqual(['success', 'success', 'error', 'success']);
  });

  it('stays awaiting_ui_interaction forever without completed_at', async () => {
    const { run, setTime } = await start();
    const r = await run('fl_demo_approval');
    setTime(3_600_000 * 48);
    expect(await r.get()).toMatchObject({ status: 'awaiting_ui_interaction', completed_at: null, duration_in_seconds: null });
  });

  it('can end in a status outside the enum, with completed_at set', async () => {
    const { run, setTime } = await start(flow({ outcome: 'cancelled_by_admin', error_message: 'Stopped by an administrator' }));
    const r = await run('fl_t');
    setTime(450);
    expect(await r.get()).toMatchObject({
      status: 'cancelled_by_admin',
      error_message: 'Stopped by an administrator',
      completed_at: '2025-10-31T12:00:00.450000Z',
    });
  });

  it('plays the demo onboarding run within a pleasant few seconds', async () => {
    const { run, setTime } = await start();
    const r = await run('fl_demo_onboarding');
    setTime(2000);
    expect((await r.get()).status).toBe('running');
    setTime(4000);
    const done = await r.get();
    expect(done.status).toBe('completed');
    expect(done.logs).toHaveLength(4);
  });
});

describe('sandbox step generator', () => {
  it('expands repeat and pads outputs to about output_bytes: 3,000 logs of 1.5 KB', async () => {
    const { run, setTime, sb, headers } = await start({
      workflows: [
        {
          id: 'fl_big',
          name: 'Big',
          start_after_ms: 0,
          steps: [
            { node_id: 'n0', component_id: 'manual_trigger', after_ms: 0 },
            { node_id: 'step', component_id: 'transform', after_ms: 1, repeat: 3000, output: { ok: true }, output_bytes: 1500 },
          ],
          end_after_ms: 0,
        },
      ],
    });
    const r = await run('fl_big');
    setTime(1500);
    const partial = await r.get();
    expect(partial.status).toBe('running');
    expect(partial.logs).toHaveLength(1501);
    setTime(3000);
    const state = await r.get();
    expect(state.status).toBe('completed');
    expect(state.logs).toHaveLength(3001);
    expect(state.logs[1].node_id).toBe('step_1');
    expect(state.logs[3000].node_id).toBe('step_3000');
    expect(new Set(state.logs.map((l: any) => l.id)).size).toBe(3001);
    for (const log of [state.logs[1], state.logs[3000]]) {
      const size = Buffer.byteLength(JSON.stringify(log.output));
      expect(size).toBeGreaterThanOrEqual(1490);
      expect(size).toBeLessThanOrEqual(1510);
      expect(log.output.ok).toBe(true);
    }
    const wf = (await (await fetch(`${sb.url}/workflows/fl_big`, { headers })).json()) as any;
    expect(wf.nodes).toHaveLength(3001);
    expect(wf.edges).toHaveLength(3000);
  });

  it('pads any output shape to the requested size', () => {
    expect(Buffer.byteLength(JSON.stringify(padOutput({ a: 1 }, 200)))).toBe(200);
    expect(padOutput('text', 100)).toMatchObject({ value: 'text' });
    expect(padOutput(undefined, 10)).toEqual({ padding: '' }); // smaller than the envelope: no padding
  });
});
