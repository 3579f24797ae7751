/**
 * The fan-out engine: launches many runs (or takes existing ones), at most `concurrency` in
 * flight, and watches them all by polling the workflow's run list (newest first) rather than
 * each run, within one rate budget. Pure logic: the API, the clock and the budget are injected;
 * what happens is told through events, so text, json, ndjson and -q reporters sit on top.
 */
import type { WorkflowRun, WorkflowRunPage } from '../api/types.js';
import type { Clock } from '../deps.js';
import { ApiError, AuthError, CliError, ExitCode, NotFoundError, ResponseShapeError } from '../errors.js';
import { exitCodeForWatch } from '../watch/exit-code.js';
import { endedAs, type WatchOutcome } from '../watch/engine.js';
import { pauseBudget, type RateBudget, takeSlot } from '../api/rate-budget.js';
import { mostSevere } from './severity.js';

/** The API calls the engine makes; the wiring adapts the ApiClient (signal → CallOptions). */
export interface FanoutApi {
  launch(item: FanoutItem, key: string, signal: AbortSignal): Promise<WorkflowRun>;
  listPage(workflowId: string, page: number, signal: AbortSignal): Promise<WorkflowRunPage>;
  getRun(runId: string, signal: AbortSignal): Promise<WorkflowRun>;
}

export interface FanoutDeps {
  api: FanoutApi;
  clock: Clock;
  /**
   * The one budget of the process: each call the engine makes takes a slot, and the wiring
   * passes the same budget to the client as `retryBudget`, so its retries take slots too.
   */
  budget: RateBudget;
}

/** One context to launch (from parseEachInput plus its key from eachIdempotencyKey). */
export interface FanoutItem {
  index: number;
  label: string;
  context: Record<string, unknown>;
  key: string;
}

export type FanoutPlan =
  | { kind: 'launch'; workflowId: string; items: readonly FanoutItem[] }
  /** `alto run watch a b c`: existing runs; with workflowId they are watched through its list. */
  | { kind: 'watch'; workflowId?: string; runIds: readonly string[] };

export interface FanoutOptions {
  /** Runs started and not yet ended (default 10). */
  concurrency?: number;
  /** After the first run that ends with a non-zero code, start no more. */
  failFast?: boolean;
  /** A completed run with a step logged as error exits 1 (needs its logs: fetched at its end). */
  strict?: boolean;
  /** Fetch every ended run by id for its logs (--verbose, --json). */
  needLogs?: boolean;
  /** Keep watching through awaiting_ui_interaction. */
  waitApproval?: boolean;
  /** Per run, from its start: stop watching it after this long (exit 124). */
  timeoutMs: number;
  /** Time between polls (default 5000, at least 1000). */
  intervalMs?: number;
  /** A run the API has told nothing about for this long ends as lost_contact (exit 5). Default 5 min. */
  maxOutageMs?: number;
  signal: AbortSignal;
}

export type FanoutOutcome = WatchOutcome | 'launch_failed' | 'not_started';

export interface FanoutRunResult {
  index: number;
  label: string;
  runId?: string;
  /** The last state seen: from the list, or with logs when it was fetched by id. */
  run?: WorkflowRun;
  outcome: FanoutOutcome;
  /** null for an item never started. */
  exitCode: ExitCode | null;
  /** From the launch (or the start of the watch) to the end seen, on the engine's clock. */
  durationMs?: number;
  error?: CliError;
}

export interface FanoutCounts {
  done: number;
  failed: number;
  running: number;
  queued: number;
}

export type FanoutEvent =
  /** run: as the launch returned it; undefined for an existing run (watch mode) until first polled. */
  | { type: 'started'; index: number; label: string; runId: string; run: WorkflowRun | undefined }
  | { type: 'status'; index: number; label: string; run: WorkflowRun; prevStatus: string | undefined }
  | {
      type: 'ended';
      index: number;
      label: string;
      runId: string | undefined;
      run: WorkflowRun | undefined;
      outcome: FanoutOutcome;
      exitCode: ExitCode | null;
      durationMs: number | undefined;
      error?: CliError;
    }
  | ({ type: 'progress' } & FanoutCounts);

export interface FanoutResult {
  /** One per item (or run id), in input order. */
  results: FanoutRunResult[];
  exitCode: ExitCode;
  counts: FanoutCounts & { notStarted: number };
  /** Requests the engine sent (each drew one token). */
  requests: number;
}

export const DEFAULT_CONCURRENCY = 10;
export const DEFAULT_FANOUT_INTERVAL_MS = 5000;
const FIRST_POLL_MS = 2000;
const MAX_PAGES_PER_POLL = 10;
const MAX_LAUNCH_RETRIES = 5;
/** List failures in a row before the engine polls each run by id for the rest of the fan-out. */
const LIST_FAILURES_BEFORE_FALLBACK = 2;

interface Tracker {
  index: number;
  label: string;
  runId: string;
  startedAt: number;
  deadline: number;
  lastHeard: number;
  run: WorkflowRun | undefined;
}

/** Runs a fan-out to its end; throws only what is a bug (a non-CliError). */
export async function runFanout(deps: FanoutDeps, plan: FanoutPlan, opts: FanoutOptions, onEvent: (e: FanoutEvent) => void = () => {}): Promise<FanoutResult> {
  const { api, clock, budget } = deps;
  const { signal } = opts;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const interval = Math.max(1000, opts.intervalMs ?? DEFAULT_FANOUT_INTERVAL_MS);
  const maxOutage = opts.maxOutageMs ?? 5 * 60_000;
  const waitApproval = opts.waitApproval === true;
  const needDetails = (outcome: WatchOutcome) => outcome === 'failed' || opts.needLogs === true || opts.strict === true;
  const workflowId = plan.workflowId;

  const total = plan.kind === 'launch' ? plan.items.length : plan.runIds.length;
  const results: Array<FanoutRunResult | undefined> = new Array(total).fill(undefined);
  const queue: FanoutItem[] = plan.kind === 'launch' ? [...plan.items] : [];
  const launchTries = new Map<number, number>();
  const active = new Map<string, Tracker>();
  let requests = 0;
  let stopLaunching = false;
  let fatal: CliError | undefined; // an auth error: nothing more can be asked
  let listFailures = 0;
  let listUsable = workflowId !== undefined;
  let nextPollAt = Number.POSITIVE_INFINITY;
  const duplicates: Array<{ index: number; id: string }> = [];

  // Counted as runs end (a progress event per end: filtering every result each time is quadratic).
  let done = 0;
  let failed = 0;
  const counts = (): FanoutCounts => ({ done, failed, running: active.size, queued: queue.length });
  const countEnd = (r: FanoutRunResult) => {
    done += 1;
    if (r.exitCode !== 0) failed += 1;
  };
  const progress = () => onEvent({ type: 'progress', ...counts() });

  /** Spends one slot and makes one call; a 429 pauses the whole budget and is rethrown. */
  async function call<T>(fn: () => Promise<T>): Promise<T> {
    await takeSlot(budget, clock, signal);
    requests += 1;
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) pauseBudget(budget, clock, err.retryAfterMs ?? interval);
      if (err instanceof AuthError) fatal ??= err;
      throw err;
    }
  }

  function finish(result: FanoutRunResult): void {
    if (results[result.index] === undefined) countEnd(result);
    results[result.index] = result;
    if (result.runId !== undefined) active.delete(result.runId);
    if (opts.failFast && result.exitCode !== null && result.exitCode !== ExitCode.Ok) stopLaunching = true;
    const { index, label, runId, run, outcome, exitCode, durationMs, error } = result;
    onEvent({ type: 'ended', index, label, runId, run, outcome, exitCode, durationMs, ...(error ? { error } : {}) });
    progress();
  }

  function end(t: Tracker, outcome: WatchOutcome, error?: CliError): void {
    const exitCode = error && outcome === 'lost_contact' ? error.exitCode : exitCodeForWatch({ outcome, run: t.run }, { strict: opts.strict === true });
    finish({ index: t.index, label: t.label, runId: t.runId, run: t.run, outcome, exitCode, durationMs: clock.now() - t.startedAt, ...(error ? { error } : {}) });
  }

  function observe(t: Tracker, run: WorkflowRun): void {
    const prev = t.run?.status;
    t.run = run;
    t.lastHeard = clock.now();
    if (prev !== run.status) onEvent({ type: 'status', index: t.index, label: t.label, run, prevStatus: prev });
  }


  /** Ends a run seen as over, fetching it by id first when its details are needed. */
  async function conclude(t: Tracker, outcome: WatchOutcome, fetched: boolean): Promise<void> {
    if (!fetched && needDetails(outcome)) {
      try {
        observe(t, await call(() => api.getRun(t.runId, signal)));
      } catch (err) {
        if (!(err instanceof CliError) || signal.aborted) throw err;
        // The list already said how it ended: report that, without its logs.
      }
    }
    end(t, endedAs(t.run as WorkflowRun, waitApproval) ?? outcome);
  }

  function track(index: number, label: string, runId: string, run: WorkflowRun | undefined): Tracker {
    const now = clock.now();
    const t: Tracker = { index, label, runId, startedAt: now, deadline: now + opts.timeoutMs, lastHeard: now, run: undefined };
    active.set(runId, t);
    onEvent({ type: 'started', index, label, runId, run });
    if (run) observe(t, run);
    if (nextPollAt === Number.POSITIVE_INFINITY) nextPollAt = now + Math.min(FIRST_POLL_MS, interval);
    return t;
  }

  async function launchOne(item: FanoutItem): Promise<void> {
    let run: WorkflowRun;
    try {
      run = await call(() => api.launch(item, item.key, signal));
    } catch (err) {
      // Stopped (e.g. while waiting for a rate slot): back in the queue, so it is listed as not
      // started under its own label.
      if (signal.aborted) queue.unshift(item);
      if (!(err instanceof CliError) || signal.aborted) throw err;
      const tries = (launchTries.get(item.index) ?? 0) + 1;
      launchTries.set(item.index, tries);
      // Refused for the rate: the same key again later starts nothing twice.
      if (err instanceof ApiError && err.status === 429 && tries < MAX_LAUNCH_RETRIES) return void queue.unshift(item);
      if (err instanceof AuthError || err instanceof NotFoundError) stopLaunching = true; // every other line would fail alike
      // A refused request (400/413/422) is a RequestRejectedError: its exitCode is 2.
      finish({ index: item.index, label: item.label, outcome: 'launch_failed', exitCode: err.exitCode, error: err });
      return;
    }
    const t = track(item.index, item.label, run.id, run);
    progress();
    const outcome = endedAs(run, waitApproval); // an idempotent replay can hand back a run already over
    if (outcome) await conclude(t, outcome, false);
  }

  /** Statuses of the runs in flight from the list, newest first, only as deep as needed. */
  /** null: the list was refused for the rate (the budget is paused); skip this poll. */
  async function readList(ids: Set<string>): Promise<Map<string, WorkflowRun> | null> {
    const found = new Map<string, WorkflowRun>();
    if (!listUsable || workflowId === undefined) return found;
    const maxPages = Math.min(MAX_PAGES_PER_POLL, Math.ceil(ids.size / 15) + 2);
    try {
      for (let page = 1; page <= maxPages && found.size < ids.size; page += 1) {
        // The client's asRunPage has checked the page: a data array of runs with an id and a status.
        const reply = await call(() => api.listPage(workflowId, page, signal));
        for (const run of reply.data) if (ids.has(run.id)) found.set(run.id, run);
        const meta = reply.meta;
        const last = reply.data.length === 0 || reply.links?.next === null || (meta?.current_page !== undefined && meta.last_page !== undefined && meta.current_page >= meta.last_page);
        if (last) break;
      }
      listFailures = 0;
    } catch (err) {
      if (!(err instanceof CliError) || signal.aborted || err instanceof AuthError) throw err;
      if (err instanceof ApiError && err.status === 429) return null;
      listFailures += 1;
      const cannotAnswer = err instanceof NotFoundError || err instanceof ResponseShapeError;
      if (cannotAnswer || listFailures >= LIST_FAILURES_BEFORE_FALLBACK) listUsable = false;
    }
    return found;
  }

  async function pollOnce(): Promise<void> {
    const found = await readList(new Set(active.keys()));
    if (found === null) return;
    for (const t of [...active.values()]) {
      if (signal.aborted || fatal) return;
      let run = found.get(t.runId);
      let fetched = false;
      if (run === undefined) {
        try {
          run = await call(() => api.getRun(t.runId, signal));
          fetched = true;
        } catch (err) {
          if (!(err instanceof CliError) || signal.aborted || err instanceof AuthError) throw err;
          if (err instanceof ApiError && err.status === 429) return; // the budget is paused: next poll
          if (err instanceof NotFoundError) end(t, 'lost_contact', err);
          else if (clock.now() - t.lastHeard >= maxOutage) end(t, 'lost_contact', err);
          continue;
        }
      }
      observe(t, run);
      const outcome = endedAs(run, waitApproval);
      if (outcome) await conclude(t, outcome, fetched);
    }
  }

  function expire(): void {
    const now = clock.now();
    for (const t of [...active.values()]) if (now >= t.deadline) end(t, 'timeout');
  }

  try {
    if (plan.kind === 'watch') {
      // Existing runs: known by id only, so the first look is the first poll.
      const seen = new Set<string>();
      plan.runIds.forEach((id, index) => {
        // The same id twice is watched once; its second entry reports the same end.
        if (seen.has(id)) return void duplicates.push({ index, id });
        seen.add(id);
        track(index, id, id, undefined);
      });
      nextPollAt = clock.now();
      progress();
    }
    for (;;) {
      if (signal.aborted || fatal) break;
      while (!stopLaunching && active.size < concurrency && queue.length > 0 && !signal.aborted && !fatal) {
        await launchOne(queue.shift() as FanoutItem);
      }
      if (signal.aborted || fatal) break;
      if (active.size === 0 && (stopLaunching || queue.length === 0)) break;
      expire();
      if (active.size === 0) continue;
      const now = clock.now();
      if (now >= nextPollAt) {
        await pollOnce();
        nextPollAt = clock.now() + interval;
        expire();
        progress(); // after every poll, so a reporter's heartbeat can speak during a quiet spell
        continue;
      }
      const wake = Math.min(nextPollAt, ...[...active.values()].map((t) => t.deadline));
      await clock.sleep(Math.max(0, wake - now), signal);
    }
  } catch (err) {
    if (!signal.aborted && !(err instanceof AuthError)) throw err;
    if (err instanceof AuthError) fatal ??= err;
  }

  // Whatever is left: interrupted (Ctrl-C), cut off by an auth error, or never started.
  for (const t of [...active.values()]) {
    if (fatal) end(t, 'lost_contact', fatal);
    else end(t, 'interrupted');
  }
  for (const { index, id } of duplicates) {
    const first = results.find((r) => r?.runId === id);
    if (first) countEnd((results[index] = { ...first, index }));
  }
  for (const item of queue) results[item.index] ??= { index: item.index, label: item.label, outcome: 'not_started', exitCode: null };
  const final = results.map((r, index) => r ?? { index, label: `#${index + 1}`, outcome: 'not_started' as const, exitCode: null });
  const c = counts();
  return {
    results: final,
    exitCode: mostSevere(final.map((r) => r.exitCode)),
    counts: { ...c, notStarted: final.filter((r) => r.outcome === 'not_started').length },
    requests,
  };
}
