import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { ApiError, type CliError, NetworkError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { redact } from '../util/redact.js';
import { backoffFloor, MAX_RETRY_AFTER_MS, retryDelay } from './backoff.js';
import { interpretResponse, isRetryable, type ResponseHeaders, type RetryMode, toNetworkError, tooLargeError } from './http-errors.js';
import type { RateBudget } from './rate-budget.js';

export type { RetryMode } from './http-errors.js';

/** Default retry budget of one call: an API that stays down ends a command well within a minute. */
export const DEFAULT_RETRY_BUDGET_MS = 20_000;
/** Default cap on one response body: far above any answer of the Workflows API. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** At most one "retrying" notice per this long, so a flapping API cannot flood stderr. */
const NOTICE_EVERY_MS = 60_000;
const DEBUG_BODY_LIMIT = 2000;

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** How long alto waits before the next try. */
  delayMs: number;
  /** What went wrong on the try that just failed. */
  error: CliError;
}

/** Why a call stopped retrying: its caller's hard `deadline`, or its retry budget. */
export type GiveUpReason = 'deadline' | 'budget';

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Keep retrying a retryable failure until this clock time (ms). Without it a call uses the
   * client's default budget. A watch passes "last success + --max-outage".
   */
  retryUntil?: number;
  /** No try outlives this clock time, and no retry is planned past it (a watch's --timeout). */
  deadline?: number;
  /** Retries of this call also take a slot of this budget (a watch's poll budget). */
  retryBudget?: RateBudget;
  /**
   * Called before each wait between tries, so a spinner can say what is happening. A caller
   * that listens shows retries itself: the client's own "retrying" notice stays quiet.
   */
  onRetry?: (info: RetryInfo) => void;
  /** Called once when a retryable failure is thrown because no further try fits. */
  onGiveUp?: (reason: GiveUpReason, error: CliError) => void;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  retry: RetryMode;
  call?: CallOptions;
}

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  userAgent: string;
  dispatcher: Dispatcher;
  clock: Clock;
  random: () => number;
  /** One try's deadline (--request-timeout). */
  requestTimeoutMs: number;
  /** How long a call keeps retrying when the caller does not say (retryUntil). */
  retryBudgetMs?: number;
  /**
   * The longest Retry-After a call without retryUntil waits for, even past its retry budget:
   * the server asked, so alto waits rather than fail (default 5 minutes).
   */
  maxRetryAfterMs?: number;
  /** The largest response body read, in bytes (default 64 MiB); a larger one is exit 5. */
  maxBodyBytes?: number;
  /** Every try of every request takes a slot of this budget (one per process, when given). */
  rateBudget?: RateBudget;
  /** Told about retries and waits a person should know of, one line each. */
  notice?: (line: string) => void;
  /** Receives one line per request and response, already redacted. */
  debug?: (line: string) => void;
}

export interface HttpClient {
  readonly baseUrl: string;
  request<T>(req: HttpRequest): Promise<T>;
}

/** The one HTTP client: auth, User-Agent, JSON, deadlines, bounded bodies, retries, typed errors. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const base = new URL(opts.baseUrl);
  const host = base.host;
  const basePath = base.pathname.replace(/\/+$/, '');
  const maxBody = Math.max(1, opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const retryBudgetMs = opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  // --debug masks the token whatever its length, also as it appears percent-encoded in a URL.
  const secrets = [...new Set([opts.token, encodeURIComponent(opts.token)])].filter((s) => s !== '');
  const debug = opts.debug ? (line: string) => opts.debug?.(redact(line, secrets, { minLength: 1 })) : undefined;
  let lastNoticeAt = -Infinity;
  /** The host has answered this client at least once (so it speaks this scheme). */
  let answered = false;

  async function readBody(res: Dispatcher.ResponseData): Promise<string> {
    const declared = Number(firstHeader(res.headers['content-length']));
    if (Number.isFinite(declared) && declared > maxBody) {
      res.body.destroy();
      throw tooLargeError(host, maxBody);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += buf.length;
      if (size > maxBody) {
        res.body.destroy();
        throw tooLargeError(host, maxBody);
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  async function once<T>(req: HttpRequest, signal: AbortSignal | undefined, timeoutMs: number): Promise<T> {
    const path = basePath + req.path;
    const headers: Record<string, string> = {
      authorization: `Bearer ${opts.token}`,
      'user-agent': opts.userAgent,
      accept: 'application/json',
      ...req.headers,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = opts.clock.now();
    debug?.(`> ${req.method} ${base.origin}${path}`);
    if (debug) for (const [k, v] of Object.entries(headers)) debug(`> ${k}: ${k === 'authorization' ? 'Bearer ***' : v}`);
    if (debug && body !== undefined) debug(`> ${truncate(body)}`);

    let status: number;
    let responseHeaders: ResponseHeaders;
    let text: string;
    try {
      const res = await opts.dispatcher.request({ origin: base.origin, path, method: req.method, headers, body, signal: combined });
      answered = true;
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await readBody(res);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof NetworkError) throw err;
      throw toNetworkError(err, timeout.aborted, host, timeoutMs, answered);
    }
    const elapsed = Math.round(opts.clock.now() - started);
    debug?.(`< ${status} (${elapsed} ms) ${Buffer.byteLength(text)} bytes`);
    if (debug && text) debug(`< ${truncate(text)}`);
    return interpretResponse(status, responseHeaders, text, req, host, opts.clock.now()) as T;
  }

  /** Waits for a slot of every budget that applies; false when the slot lies past `stopAt`. */
  async function takeSlot(budgets: readonly (RateBudget | undefined)[], from: number, stopAt: number, signal?: AbortSignal): Promise<boolean> {
    let at = from;
    // A slot of one budget can move another's: settle on a time every budget accepts.
    for (let round = 0; round < 8; round += 1) {
      const next = budgets.reduce((t, b) => (b ? Math.max(t, b.nextSlot(t)) : t), at);
      if (next === at) break;
      at = next;
    }
    if (at > stopAt) return false;
    const wait = at - opts.clock.now();
    if (wait > 0) await opts.clock.sleep(wait, signal);
    for (const b of budgets) b?.record(opts.clock.now());
    return true;
  }

  return {
    baseUrl: opts.baseUrl,
    async request<T>(req: HttpRequest): Promise<T> {
      const call = req.call ?? {};
      const started = opts.clock.now();
      const hardStop = call.deadline ?? Infinity;
      const budgetEnd = call.retryUntil ?? started + retryBudgetMs;
      for (let attempt = 1; ; attempt++) {
        if (opts.rateBudget && !(await takeSlot([opts.rateBudget], opts.clock.now(), hardStop, call.signal))) {
          throw new NetworkError(`alto's request budget leaves no slot before the deadline`, { unsent: true, causeCode: 'BUDGET' });
        }
        // No try outlives a deadline the caller set (a watch's --timeout or outage budget).
        const limit = Math.min(call.retryUntil ?? Infinity, hardStop);
        const timeoutMs = Number.isFinite(limit)
          ? Math.max(1, Math.ceil(Math.min(opts.requestTimeoutMs, limit - opts.clock.now())))
          : opts.requestTimeoutMs;
        let error: CliError;
        try {
          return await once<T>(req, call.signal, timeoutMs);
        } catch (err) {
          if (!isRetryable(err, req.retry)) throw err;
          error = err as CliError;
        }
        const retryAfterMs = error instanceof ApiError ? error.retryAfterMs : undefined;
        const delayMs = retryDelay(attempt, opts.random, retryAfterMs);
        const now = opts.clock.now();
        // The server asked for a longer wait than alto's own backoff: a plain command honours
        // it past its budget, as long as the whole call stays within maxRetryAfterMs (a
        // server that says "wait" forever still ends). Retry-After: 0 earns no extension.
        const askedFor =
          call.retryUntil === undefined &&
          retryAfterMs !== undefined &&
          retryAfterMs > 2 * backoffFloor(attempt) &&
          now + delayMs <= started + (opts.maxRetryAfterMs ?? 300_000);
        const stopAt = Math.min(askedFor ? Infinity : budgetEnd, hardStop);
        const giveUp = (reason: GiveUpReason): never => {
          call.onGiveUp?.(reason, error);
          throw error instanceof ApiError && error.retryAfterMs !== undefined && error.retryAfterMs > 0 && reason === 'budget'
            ? new ApiError(`${error.message}; the API asked to wait ${error.retryAfterMs >= MAX_RETRY_AFTER_MS ? 'a day or more' : `${Math.ceil(error.retryAfterMs / 1000)}s`}, past alto's retry budget`, {
                status: error.status,
                code: error.code,
              })
            : error;
        };
        const reasonFor = () => (hardStop <= (askedFor ? Infinity : budgetEnd) ? 'deadline' : 'budget');
        if (now + delayMs > stopAt) giveUp(reasonFor());
        if (error instanceof ApiError && retryAfterMs !== undefined) opts.rateBudget?.pauseUntil(now + delayMs);
        debug?.(`! ${error.message}; retry ${attempt} in ${delayMs} ms`);
        if (call.onRetry) call.onRetry({ attempt, delayMs, error });
        else if (attempt === 1 && now - lastNoticeAt >= NOTICE_EVERY_MS) {
          lastNoticeAt = now;
          const wait = askedFor && delayMs >= 5000 ? `waiting ${formatDuration(delayMs)} as the API asked` : 'retrying';
          opts.notice?.(`${error.message}; ${wait}`);
        } else if (askedFor && delayMs >= 5000) {
          opts.notice?.(`${error.message}; waiting ${formatDuration(delayMs)} as the API asked`);
        }
        await opts.clock.sleep(delayMs, call.signal);
        // A watch's retries count against its poll budget: wait for a slot, or give up.
        if (call.retryBudget && !(await takeSlot([call.retryBudget], opts.clock.now(), stopAt, call.signal))) giveUp(reasonFor());
      }
    },
  };
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function truncate(s: string): string {
  return s.length > DEBUG_BODY_LIMIT ? `${s.slice(0, DEBUG_BODY_LIMIT)}... (${s.length} chars)` : s;
}
