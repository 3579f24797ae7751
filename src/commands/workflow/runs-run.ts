import type { ApiClient } from '../../api/workflows-api.js';
import type { WorkflowRun, WorkflowRunPage } from '../../api/types.js';
import { ExitCode } from '../../errors.js';
import { clean } from '../../ui/format.js';
import { renderRunsTable } from '../../ui/render-runs-table.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';

export interface WorkflowRunsOptions {
  workflowId: string;
  /** 1-based page (default 1); not with `all`. */
  page?: number;
  /** Follow every page. */
  all: boolean;
  /** At most this many runs; without `page`, pages are followed until there are this many. */
  limit?: number;
  json: boolean;
}

interface Collected {
  runs: WorkflowRun[];
  /** The last page read, for the "next page" hint. */
  lastPage: WorkflowRunPage | undefined;
  lastPageNumber: number;
}

/** A page number from the server: a whole number from 1 up (1e+23, -4, "2" or 2.5 are none). */
function pageNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}

/** The page number links.next points at, if it says. */
function pageFromLink(link: unknown): number | undefined {
  if (typeof link !== 'string' || !link) return undefined;
  const match = /[?&]page=(\d{1,9})(?:&|#|$)/.exec(link);
  return match ? pageNumber(Number(match[1])) : undefined;
}

/** The page to read after `page`, or undefined at the end. */
function nextPageNumber(page: number, body: WorkflowRunPage): number | undefined {
  const current = pageNumber(body.meta?.current_page) ?? page;
  const last = pageNumber(body.meta?.last_page);
  if (last !== undefined && current >= last) return undefined;
  if (body.links && 'next' in body.links && !body.links.next) return undefined;
  return pageFromLink(body.links?.next) ?? current + 1;
}

/**
 * Reads one page, or with `all` every page in turn. Guards against a server that never ends:
 * stops at an empty page, at a page number seen before, at a page of runs all seen before,
 * and at the limit.
 */
async function collectRuns(client: ApiClient, opts: WorkflowRunsOptions, signal: AbortSignal): Promise<Collected> {
  const limit = opts.limit ?? Number.POSITIVE_INFINITY;
  const runs: WorkflowRun[] = [];
  const seenIds = new Set<string>();
  const seenPages = new Set<number>();
  let page: number | undefined = opts.page ?? 1;
  let lastPage: WorkflowRunPage | undefined;
  let lastPageNumber = page;
  // Like gh's --limit: ask for 50 runs and get 50, however many pages that takes.
  const followPages = opts.all || (opts.limit !== undefined && opts.page === undefined);
  while (page !== undefined && runs.length < limit) {
    seenPages.add(page);
    const body = await client.listRuns(opts.workflowId, page, { signal });
    lastPage = body;
    lastPageNumber = pageNumber(body.meta?.current_page) ?? page;
    seenPages.add(lastPageNumber);
    const fresh = body.data.filter((run) => !seenIds.has(run.id));
    for (const run of fresh) {
      if (runs.length >= limit) break;
      seenIds.add(run.id);
      runs.push(run);
    }
    if (!followPages || fresh.length === 0) break;
    const next = nextPageNumber(page, body);
    page = next !== undefined && !seenPages.has(next) ? next : undefined;
  }
  return { runs, lastPage, lastPageNumber };
}

/** alto workflow runs: a table of runs (newest first), or one JSON array with --json. */
export async function workflowRuns(ctx: Factory, opts: WorkflowRunsOptions): Promise<number> {
  const client = await ctx.client();
  const { runs, lastPage, lastPageNumber } = await collectRuns(client, opts, ctx.deps.signal);
  const { stdout, stderr } = ctx.deps.io;
  if (opts.json) {
    stdout.write(`${jsonText(runs, { indent: 2 })}\n`);
    return ExitCode.Ok;
  }
  if (runs.length === 0) {
    stderr.write(`no runs for workflow ${clean(opts.workflowId)}${opts.page && opts.page > 1 ? ` on page ${opts.page}` : ''}\n`);
    return ExitCode.Ok;
  }
  ctx.io.writeLines('out', renderRunsTable(runs, ctx.palette, ctx.deps.clock.now()));
  const last = pageNumber(lastPage?.meta?.last_page);
  if (!opts.all && runs.length < (opts.limit ?? Number.POSITIVE_INFINITY) && last !== undefined && lastPageNumber < last) {
    const hint = `page ${lastPageNumber} of ${last}; next: alto workflow runs ${clean(opts.workflowId)} --page ${lastPageNumber + 1} (or --all)`;
    stderr.write(`${ctx.errPalette.dim(hint)}\n`);
  }
  return ExitCode.Ok;
}
