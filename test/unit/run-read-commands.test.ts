import { describe, expect, it } from 'vitest';
import type { WorkflowRunPage } from '../../src/api/types.js';
import { runGet } from '../../src/commands/run/get.js';
import { runLogs } from '../../src/commands/run/logs.js';
import { workflowRuns } from '../../src/commands/workflow/runs-run.js';
import { createFakeClient, makeContext, makeLog, makeRun } from '../helpers/fake-client.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO, hasEscapes } from '../helpers/test-io.js';

const run = makeRun({
  id: 'fl_run_7',
  status: 'completed',
  completed_at: '2025-10-31T12:00:04.000000Z',
  duration_in_seconds: 4,
  logs: [makeLog(1), makeLog(2, { status: 'warning', output: { note: 'slow\nvery' } })],
});

function setup(opts: { getRun?: typeof run; pages?: (page: number) => WorkflowRunPage } = {}) {
  const clock = new FakeClock();
  const io = createTestIO();
  const client = createFakeClient({
    clock,
    getRun: opts.getRun ? () => opts.getRun! : undefined,
    listRuns: opts.pages ? (_id, page) => opts.pages!(page) : undefined,
  });
  return { io, client, ctx: makeContext({ client, clock, io }) };
}

/** A server with `total` runs, `perPage` a page, numbered pages. */
function paged(total: number, perPage: number) {
  const last = Math.max(1, Math.ceil(total / perPage));
  return (page: number): WorkflowRunPage => {
    const from = (page - 1) * perPage;
    const data = Array.from({ length: Math.max(0, Math.min(perPage, total - from)) }, (_, i) =>
      makeRun({ id: `fl_run_${from + i + 1}`, status: 'completed', duration_in_seconds: 1 }),
    );
    const url = (p: number) => `https://v1.api.altostrat.io/workflows/fl_1/executions?page=${p}`;
    return {
      data,
      links: { first: url(1), last: url(last), prev: page > 1 ? url(page - 1) : null, next: page < last ? url(page + 1) : null },
      meta: { current_page: page, last_page: last, per_page: perPage, total },
    };
  };
}

const ids = (json: string) => (JSON.parse(json) as Array<{ id: string }>).map((r) => r.id);

describe('run get', () => {
  it('prints a readable view', async () => {
    const s = setup({ getRun: run });
    expect(await runGet(s.ctx, { runId: 'fl_run_7', json: false })).toBe(0);
    const out = s.io.stdout.text();
    expect(out).toMatch(/^id {9}fl_run_7\nstatus {5}completed\n/);
    expect(out).toContain('duration   4.0s');
    expect(out).toContain('steps (2 steps: 1 succeeded, 1 warned, 0 failed)');
    expect(hasEscapes(out)).toBe(false);
  });

  it('--json prints the run as one document', async () => {
    const s = setup({ getRun: run });
    await runGet(s.ctx, { runId: 'fl_run_7', json: true });
    expect(JSON.parse(s.io.stdout.text())).toEqual(run);
  });
});

describe('run logs', () => {
  it('prints every step with its whole output', async () => {
    const s = setup({ getRun: run });
    await runLogs(s.ctx, { runId: 'fl_run_7', json: false });
    const out = s.io.stdout.text();
    expect(out).toContain('✔ n1 (http_request)');
    expect(out).toContain('    {\n      "note": "slow\\nvery"\n    }');
  });

  it('--json prints the logs array', async () => {
    const s = setup({ getRun: run });
    await runLogs(s.ctx, { runId: 'fl_run_7', json: true });
    expect(JSON.parse(s.io.stdout.text())).toHaveLength(2);
  });

  it('says so on stderr when there are no logs yet', async () => {
    const s = setup({ getRun: makeRun({ logs: [] }) });
    expect(await runLogs(s.ctx, { runId: 'fl_run_1', json: false })).toBe(0);
    expect(s.io.stdout.text()).toBe('');
    expect(s.io.stderr.text()).toContain('no step logs yet');
  });
});

describe('workflow runs', () => {
  it('one page as a table, with a hint about the next page on stderr', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', all: false, json: false });
    const lines = s.io.stdout.text().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +STATUS +STARTED +DURATION$/);
    expect(lines).toHaveLength(16);
    expect(s.io.stderr.text()).toContain('page 1 of 3; next: alto workflow runs fl_1 --page 2');
    expect(s.client.listRunsPages).toEqual([1]);
  });

  it('--page N reads that page', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', page: 3, all: false, json: true });
    expect(ids(s.io.stdout.text())).toEqual(Array.from({ length: 10 }, (_, i) => `fl_run_${31 + i}`));
  });

  it('--all follows every page into one JSON array', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', all: true, json: true });
    expect(ids(s.io.stdout.text())).toHaveLength(40);
    expect(s.client.listRunsPages).toEqual([1, 2, 3]);
  });

  it('--all --limit stops reading at the limit', async () => {
    const s = setup({ pages: paged(100, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', all: true, limit: 20, json: true });
    expect(ids(s.io.stdout.text())).toHaveLength(20);
    expect(s.client.listRunsPages).toEqual([1, 2]);
  });

  it('--limit caps the rows of one page', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', all: false, limit: 5, json: false });
    expect(s.io.stdout.text().trimEnd().split('\n')).toHaveLength(6);
    expect(s.client.listRunsPages).toEqual([1]);
  });

  it('--limit larger than a page follows pages until it has that many, like gh', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', all: false, limit: 20, json: true });
    expect(ids(s.io.stdout.text())).toEqual(Array.from({ length: 20 }, (_, i) => `fl_run_${i + 1}`));
    expect(s.client.listRunsPages).toEqual([1, 2]);
  });

  it('--page with --limit stays on that page', async () => {
    const s = setup({ pages: paged(40, 15) });
    await workflowRuns(s.ctx, { workflowId: 'fl_1', page: 2, all: false, limit: 20, json: true });
    expect(ids(s.io.stdout.text())).toHaveLength(15);
    expect(s.client.listRunsPages).toEqual([2]);
  });

  it('--all survives a server that never ends', async () => {
    // Always says there is a next page but keeps answering page 1.
    const stuck = setup({ pages: () => ({ ...paged(30, 15)(1), links: { next: 'x?page=2' }, meta: { current_page: 1, last_page: 99 } }) });
    await workflowRuns(stuck.ctx, { workflowId: 'fl_1', all: true, json: true });
    expect(ids(stuck.io.stdout.text())).toHaveLength(15);
    expect(stuck.client.listRunsPages.length).toBeLessThanOrEqual(2);
    // Points links.next back at a page already read.
    const loop = setup({ pages: (p) => ({ ...paged(60, 15)(p), links: { next: 'x?page=1' }, meta: { current_page: p, last_page: 99 } }) });
    await workflowRuns(loop.ctx, { workflowId: 'fl_1', all: true, json: true });
    expect(loop.client.listRunsPages).toEqual([1]);
    // Empty pages forever.
    const empty = setup({ pages: (p) => ({ data: [], links: { next: `x?page=${p + 1}` }, meta: { current_page: p, last_page: 1000 } }) });
    await workflowRuns(empty.ctx, { workflowId: 'fl_1', all: true, json: true });
    expect(empty.client.listRunsPages).toEqual([1]);
    expect(JSON.parse(empty.io.stdout.text())).toEqual([]);
  });

  it('says "no runs" on stderr for an empty list', async () => {
    const s = setup({ pages: paged(0, 15) });
    expect(await workflowRuns(s.ctx, { workflowId: 'fl_1', all: false, json: false })).toBe(0);
    expect(s.io.stdout.text()).toBe('');
    expect(s.io.stderr.text()).toBe('no runs for workflow fl_1\n');
  });
});
