import type { ApiClient } from '../../api/workflows-api.js';
import type { WorkflowRun, WorkflowRunPage } from '../../api/types.js';
import { CliError, ExitCode } from '../../errors.js';
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

/** How many pages `--all` or `--limit` reads at most: a server with endless pages cannot keep alto. */
export const MAX_PAGES = 500;

interface Collected {
  runs: WorkflowRun[];
  /** True when MAX_PAGES were read and the server still had a next page: the list is incomplete. */
  capped: boolean;
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
  let pagesRead = 0;
  while (page !== undefined && runs.length < limit) {
    if (pagesRead >= MAX_PAGES) return { runs, capped: true, lastPage, lastPageNumber };
    pagesRead += 1;
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
  return { runs, capped: false, lastPage, lastPageNumber };
}

/** alto workflow runs: a table of runs (newest first), or one JSON array with --json. */
export async function workflowRuns(ctx: Factory, opts: WorkflowRunsOptions): Promise<number> {
  const client = await ctx.client();
  const { runs, capped, lastPage, lastPageNumber } = await collectRuns(client, opts, ctx.deps.signal);
  const { stdout, stderr } = ctx.deps.io;
  if (capped) {
    // The list is incomplete: never exit 0. --json prints nothing (a partial list would pass
    // for the whole one in a pipe); text shows what was read, then says so.
    if (!opts.json && runs.length > 0) ctx.io.writeLines('out', renderRunsTable(runs, ctx.palette, ctx.deps.clock.now()));
    throw new CliError(
      `stopped after ${MAX_PAGES} pages (${runs.length} runs), the most alto reads; the server still had more, so the list is incomplete`,
      ExitCode.Api,
      'read fewer with --limit N, or one page with --page N',
    );
  }
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
