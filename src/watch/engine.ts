import type { ApiClient, CallOptions, GiveUpReason, RetryInfo } from '../api/workflows-api.js';
import { KNOWN_STATUSES, type RunStatus, type WorkflowLog, type WorkflowRun } from '../api/types.js';
import type { Clock } from '../deps.js';
import { AuthError, CliError, NotFoundError } from '../errors.js';
import { createLogCursor } from './log-cursor.js';
import { createPollPolicy } from './poll-policy.js';

export type WatchOutcome =
  | 'completed'
  | 'failed'
  | 'awaiting_ui_interaction'
  | 'unknown_status'
  | 'timeout'
  | 'interrupted'
  | 'lost_contact';

export interface WatchResult {
  outcome: WatchOutcome;
  /** The last run seen (from the last GET, logs included); undefined if none arrived. */
  run: WorkflowRun | undefined;
  /** The API or network error that ended the watch (lost_contact, or a timeout mid-outage). */
  error?: CliError;
  /**
   * Distinct step logs seen with status `error` in any answer during the watch (a later answer
   * that no longer lists one does not undo it; a duplicated id counts once). --strict uses it.
   */
  stepErrors?: number;
}

export interface WatchRunOptions {
  runId: string;
  /** The run as execute/rerun/resume returned it: shown at once, then polled. */
  initialRun?: WorkflowRun;
  timeoutMs: number;
  intervalMs: number;
  maxOutageMs: number;
  /** --wait-approval: awaiting_ui_interaction does not end the watch (the deadline still does). */
  waitApproval?: boolean;
  signal: AbortSignal;
}

export interface WatchEvents {
  /** The run was seen for the first time (prevStatus undefined) or its status changed. */
  onRun?(run: WorkflowRun, prevStatus: RunStatus | undefined): void;
  /** A step log not seen before, in order. */
  onLog?(log: WorkflowLog): void;
  /** Every successful GET, after its onRun/onLog events. */
  onPoll?(run: WorkflowRun): void;
  /** The client is about to retry a failed GET. */
  onRetry?(info: RetryInfo): void;
}

/** The outcome a run's state ends the watch with, or undefined to keep polling. */
export function outcomeOf(run: WorkflowRun): WatchOutcome | undefined {
  switch (run.status) {
    case 'completed':
    case 'failed':
    case 'awaiting_ui_interaction':
      return run.status as WatchOutcome;
    default:
      if (KNOWN_STATUSES.has(run.status)) return undefined;
      // A status from the future: shown while it lasts, final once completed_at is set.
      return run.completed_at ? 'unknown_status' : undefined;
  }
}

/** The run's outcome if a watch is over (awaiting a person counts unless --wait-approval), else undefined. */
export function endedAs(run: WorkflowRun, waitApproval: boolean): WatchOutcome | undefined {
  const outcome = outcomeOf(run);
  return outcome === 'awaiting_ui_interaction' && waitApproval ? undefined : outcome;
}

/**
 * Polls one run until it ends, the deadline passes, the signal aborts or the API stays
 * unreachable for longer than maxOutageMs. Auth and not-found errors are thrown.
 */
export async function watchRun(
  client: Pick<ApiClient, 'getRun'>,
  clock: Clock,
  opts: WatchRunOptions,
  events: WatchEvents = {},
): Promise<WatchResult> {
  const { signal, runId } = opts;
  const startedAt = clock.now();
  const deadline = startedAt + opts.timeoutMs;
  const policy = createPollPolicy({ intervalMs: opts.intervalMs, startedAt });
  const cursor = createLogCursor();
  let last: WorkflowRun | undefined;
  let lastSuccess = startedAt;
  // Until the API has answered once, an unreachable API is a plain error (a wrong URL, a
  // host that is down), not an outage to ride out: the budget of any command applies.
  let contacted = opts.initialRun !== undefined;
  // Ids of every step log seen as `error`, bounded by the logs the API sent (each body is capped).
  const errorLogIds = new Set<string>();

  const observe = (run: WorkflowRun) => {
    const prev = last;
    last = run;
    for (const log of run.logs ?? []) if (log.status === 'error') errorLogIds.add(log.id);
    const fresh = cursor.next(run.logs);
    const changed = prev === undefined || prev.status !== run.status;
    // A final status comes after the steps that led to it; "running" comes before its steps.
    const statusFirst = prev === undefined || outcomeOf(run) === undefined;
    if (changed && statusFirst) events.onRun?.(run, prev?.status);
    for (const log of fresh) events.onLog?.(log);
    if (changed && !statusFirst) events.onRun?.(run, prev?.status);
  };
  const end = (outcome: WatchOutcome, error?: CliError): WatchResult =>
    error ? { outcome, run: last, error, stepErrors: errorLogIds.size } : { outcome, run: last, stepErrors: errorLogIds.size };

  const onRetry = (info: RetryInfo) => events.onRetry?.(info);
  const waitApproval = opts.waitApproval === true;

  if (opts.initialRun) {
    observe(opts.initialRun);
    // An idempotent replay can hand back a run that has already ended: no poll needed.
    const outcome = endedAs(opts.initialRun, waitApproval);
    if (outcome) return end(outcome);
  }
  let pollNow = opts.initialRun === undefined;

  for (;;) {
    if (signal.aborted) return end('interrupted');
    if (!pollNow) {
      const wakeAt = Math.min(policy.nextPollAt(), deadline);
      const ms = wakeAt - clock.now();
      if (ms > 0) {
        try {
          await clock.sleep(ms, signal);
        } catch (err) {
          if (signal.aborted) return end('interrupted');
          throw err;
        }
      }
      if (signal.aborted) return end('interrupted');
      if (clock.now() >= deadline) return end('timeout');
    }
    pollNow = false;

    policy.recordPoll(clock.now());
    // Before the API has answered, the client's own retry budget applies (capped by the
    // outage budget); after, the watch rides out an outage up to --max-outage. Either way no
    // try or wait passes --timeout, and retries take slots of the poll budget.
    let gaveUp: GiveUpReason | undefined;
    const outageCap = contacted ? undefined : startedAt + opts.maxOutageMs;
    const call: CallOptions = {
      signal,
      retryUntil: contacted ? lastSuccess + opts.maxOutageMs : undefined,
      deadline: outageCap === undefined ? deadline : Math.min(deadline, outageCap),
      retryBudget: policy.rate,
      onRetry,
      onGiveUp: (reason) => void (gaveUp = reason),
    };
    let run: WorkflowRun;
    try {
      run = await client.getRun(runId, call);
    } catch (err) {
      if (signal.aborted) return end('interrupted');
      if (err instanceof AuthError || err instanceof NotFoundError) throw err;
      if (!(err instanceof CliError)) throw err;
      // The client stopped retrying at the --timeout deadline: the timeout ended the watch.
      const byTimeout = gaveUp === 'deadline' && (outageCap === undefined || deadline <= outageCap);
      return end(byTimeout ? 'timeout' : 'lost_contact', err);
    }
    lastSuccess = clock.now();
    contacted = true;
    observe(run);
    events.onPoll?.(run);
    const outcome = endedAs(run, waitApproval);
    if (outcome) return end(outcome);
  }
}
