import { describe, expect, it } from 'vitest';
import type { WorkflowRunPage } from '../../../src/api/types.js';
import { makeRun } from '../../helpers/run-fixtures.js';
import { assertNoPendingAfterEach, makeTestDeps } from '../../helpers/test-deps.js';

// `wf runs` paging against a server that misbehaves: the real client over a MockAgent that
// answers each page from a function, recording which pages were asked for. (Moved from run-read-commands.test.ts,
// which ran on a fake client; the plain rows live in commands/workflow-table.test.ts.)
assertNoPendingAfterEach();

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

function serving(pages: (page: number) => unknown) {
  const t = makeTestDeps();
  const asked: number[] = [];
  t.api
    .intercept({ path: (p) => p.startsWith('/workflows/fl_1/executions?page='), method: 'GET' })
    .reply((o) => {
      const page = Number(new URL(o.path, 'http://x').searchParams.get('page'));
      asked.push(page);
      return { statusCode: 200, data: JSON.stringify(pages(page)), responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  return { asked, runs: async (...args: string[]) => t.run(['wf', 'runs', 'fl_1', ...args]) };
}

const ids = (json: string) => (JSON.parse(json) as Array<{ id: string }>).map((r) => r.id);

describe('wf runs paging', () => {
  it('--all --limit stops reading at the limit', async () => {
    const s = serving(paged(100, 15));
    expect(ids((await s.runs('--all', '--limit', '20', '--json')).stdout)).toHaveLength(20);
    expect(s.asked).toEqual([1, 2]);
  });

  it('--limit caps the rows of one page', async () => {
    const s = serving(paged(40, 15));
    expect((await s.runs('--limit', '5')).stdout.trimEnd().split('\n')).toHaveLength(6);
    expect(s.asked).toEqual([1]);
  });

  it('--limit larger than a page follows pages until it has that many, like gh', async () => {
    const s = serving(paged(40, 15));
    expect(ids((await s.runs('--limit', '20', '--json')).stdout)).toEqual(Array.from({ length: 20 }, (_, i) => `fl_run_${i + 1}`));
    expect(s.asked).toEqual([1, 2]);
  });

  it('--page with --limit stays on that page', async () => {
    const s = serving(paged(40, 15));
    expect(ids((await s.runs('--page', '2', '--limit', '20', '--json')).stdout)).toHaveLength(15);
    expect(s.asked).toEqual([2]);
  });

  it('--all survives a server that always says there is a next page but keeps answering page 1', async () => {
    const s = serving(() => ({ ...paged(30, 15)(1), links: { next: 'x?page=2' }, meta: { current_page: 1, last_page: 99 } }));
    const r = await s.runs('--all', '--json');
    expect(r.code).toBe(0);
    expect(ids(r.stdout)).toHaveLength(15);
    expect(s.asked.length).toBeLessThanOrEqual(2);
  });

  it('--all survives links.next pointing back at a page already read', async () => {
    const s = serving((p) => ({ ...paged(60, 15)(p), links: { next: 'x?page=1' }, meta: { current_page: p, last_page: 99 } }));
    await s.runs('--all', '--json');
    expect(s.asked).toEqual([1]);
  });

  it('endless pages of new runs: --all and --limit read 500 pages, then exit 5 naming the cap; --json prints nothing', async () => {
    const endless = (p: number) => ({ data: [makeRun({ id: `fl_run_p${p}`, status: 'completed' })], links: { next: `x?page=${p + 1}` }, meta: { current_page: p, last_page: 1e9 } });
    const json = serving(endless);
    const r = await json.runs('--all', '--json');
    expect([r.code, r.stdout]).toEqual([5, '']);
    expect(r.stderr).toMatch(/^alto: stopped after 500 pages \(500 runs\), the most alto reads; the server still had more, so the list is incomplete\n {2}read fewer with --limit N, or one page with --page N\n$/);
    expect(json.asked).toHaveLength(500);
    const text = serving(endless);
    const t = await text.runs('--limit', '100000');
    expect(t.code).toBe(5);
    expect(t.stdout).toContain('fl_run_p500');
    expect(t.stderr).toMatch(/stopped after 500 pages/);
    expect(text.asked).toHaveLength(500);
  });

  it('exactly 500 pages that end there: the whole list, exit 0', async () => {
    const s = serving(paged(500, 1));
    const r = await s.runs('--all', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(ids(r.stdout)).toHaveLength(500);
  });

  it('--all survives empty pages forever', async () => {
    const s = serving((p) => ({ data: [], links: { next: `x?page=${p + 1}` }, meta: { current_page: p, last_page: 1000 } }));
    const r = await s.runs('--all', '--json');
    expect(s.asked).toEqual([1]);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
