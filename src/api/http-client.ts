import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { ApiError, CliError, NetworkError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { redact } from '../util/redact.js';
import { backoffFloor, MAX_RETRY_AFTER_MS, retryDelay } from './backoff.js';
import { interpretResponse, isRetryable, type ResponseHeaders, type RetryMode, toNetworkError, tooLargeError } from './http-errors.js';
import { type RateBudget, takeSlot } from './rate-budget.js';

export type { RetryMode } from './http-errors.js';

/** Default retry budget of one call: an API that stays down ends a command well within a minute. */
export const DEFAULT_RETRY_BUDGET_MS = 20_000;
/** Default cap on one response body: far above any answer of the Workflows API. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/**
 * The longest Retry-After a call without retryUntil waits for, even past its retry budget: the
 * server asked, so alto waits rather than fail, but a call never waits past this in all.
 */
const MAX_ASKED_WAIT_MS = 5 * 60_000;
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

/**
 * A request of `alto api`: any method, a body sent as given, and every answer handed back
 * (status, headers, bytes) instead of being turned into an error.
 */
export interface RawRequest {
  method: string;
  /** Path below the base URL, with its query. */
  path: string;
  body?: Buffer;
  /** Sent as given; the client's own Authorization and User-Agent cannot be replaced. */
  headers?: Record<string, string>;
  retry: RetryMode;
  call?: CallOptions;
}

/** What the server answered, byte for byte; `error` is the typed error its status means (undefined for 2xx). */
export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
  error: CliError | undefined;
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
  /** How long a call keeps retrying when the caller does not say (retryUntil); default 20 s. */
  retryBudgetMs?: number;
  /** The largest response body read, in bytes (default 64 MiB); a larger one is exit 5. */
  maxBodyBytes?: number;
  /** Told about retries and waits a person should know of, one line each. */
  notice?: (line: string) => void;
  /** Receives one line per request and response, already redacted. */
  debug?: (line: string) => void;
  /** What a 401 tells the user to do (default: log in again); it depends on where the token came from. */
  unauthorizedHint?: string;
}

export interface HttpClient {
  readonly baseUrl: string;
  request<T>(req: HttpRequest): Promise<T>;
  /**
   * One request with the same token, deadlines, retries, body cap and debug lines as request();
   * an HTTP error status is returned (with its typed error) once retries are spent, not thrown.
   * Network errors are thrown.
   */
  requestRaw(req: RawRequest): Promise<RawResponse>;
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

  async function readBody(res: Dispatcher.ResponseData): Promise<Buffer> {
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
    return Buffer.concat(chunks, size);
  }

  interface Exchange {
    status: number;
    headers: ResponseHeaders;
    bytes: Buffer;
  }

  /** One try on the wire: headers (the token last, so nothing replaces it), debug lines, the capped body. */
  async function exchange(
    method: string,
    reqPath: string,
    extra: Record<string, string> | undefined,
    body: string | Buffer | undefined,
    signal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Exchange> {
    const path = basePath + reqPath;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...extra,
      authorization: `Bearer ${opts.token}`,
      'user-agent': opts.userAgent,
    };
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const started = opts.clock.now();
    debug?.(`> ${method} ${base.origin}${path}`);
    if (debug) for (const [k, v] of Object.entries(headers)) debug(`> ${k}: ${k === 'authorization' ? 'Bearer ***' : v}`);
    if (debug && body !== undefined) debug(`> ${truncate(body.toString())}`);

    let status: number;
    let responseHeaders: ResponseHeaders;
    let bytes: Buffer;
    try {
      const res = await opts.dispatcher.request({ origin: base.origin, path, method: method as Dispatcher.HttpMethod, headers, body, signal: combined });
      answered = true;
      status = res.statusCode;
      responseHeaders = res.headers;
      bytes = await readBody(res);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (err instanceof NetworkError) throw err;
      throw toNetworkError(err, timeout.aborted, host, timeoutMs, answered);
    }
    const elapsed = Math.round(opts.clock.now() - started);
    debug?.(`< ${status} (${elapsed} ms) ${bytes.length} bytes`);
    if (debug && bytes.length > 0) debug(`< ${truncate(bytes.toString('utf8'))}`);
    return { status, headers: responseHeaders, bytes };
  }

  /** Every try of a JSON request: the body is serialized once, not again on each retry (a context may be 10 MiB). */
  async function requestJson<T>(req: HttpRequest): Promise<T> {
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    return retrying(req.retry, req.call ?? {}, async (signal, timeoutMs) => {
      const res = await exchange(req.method, req.path, headers, body, signal, timeoutMs);
      return interpretResponse(res.status, res.headers, res.bytes.toString('utf8'), req, host, opts.clock.now(), opts.unauthorizedHint) as T;
    });
  }

  /** Tries `attempt` until it succeeds, fails for good, or no further try fits the call's limits. */
  async function retrying<T>(retry: RetryMode, call: CallOptions, attempt1: (signal: AbortSignal | undefined, timeoutMs: number) => Promise<T>): Promise<T> {
    const started = opts.clock.now();
    const hardStop = call.deadline ?? Infinity;
    const budgetEnd = call.retryUntil ?? started + retryBudgetMs;
    for (let attempt = 1; ; attempt++) {
      // No try outlives a deadline the caller set (a watch's --timeout or outage budget).
      const limit = Math.min(call.retryUntil ?? Infinity, hardStop);
      const timeoutMs = Number.isFinite(limit)
        ? Math.max(1, Math.ceil(Math.min(opts.requestTimeoutMs, limit - opts.clock.now())))
        : opts.requestTimeoutMs;
      let error: CliError;
      try {
        return await attempt1(call.signal, timeoutMs);
      } catch (err) {
        if (!isRetryable(err, retry)) throw err;
        error = err as CliError;
      }
      const retryAfterMs = error instanceof ApiError ? error.retryAfterMs : undefined;
      const delayMs = retryDelay(attempt, opts.random, retryAfterMs);
      const now = opts.clock.now();
      // The server asked for a longer wait than alto's own backoff: a plain command honours
      // it past its budget, as long as the whole call stays within MAX_ASKED_WAIT_MS (a
      // server that says "wait" forever still ends). Retry-After: 0 earns no extension.
      const askedFor =
        call.retryUntil === undefined &&
        retryAfterMs !== undefined &&
        retryAfterMs > 2 * backoffFloor(attempt) &&
        now + delayMs <= started + MAX_ASKED_WAIT_MS;
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
      // A fan-out's budget (its retryBudget) is the process's: the server's pause holds for all of it.
      if (error instanceof ApiError && retryAfterMs !== undefined) call.retryBudget?.pauseUntil(now + delayMs);
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
      if (call.retryBudget && !(await takeSlot(call.retryBudget, opts.clock, call.signal, stopAt))) giveUp(reasonFor());
    }
  }

  return {
    baseUrl: opts.baseUrl,
    request: requestJson,
    async requestRaw(req: RawRequest): Promise<RawResponse> {
      // The last answer that came back: handed over when its status error ends the retries.
      let last: RawResponse | undefined;
      const label = { method: req.method, path: req.path };
      try {
        return await retrying(req.retry, req.call ?? {}, async (signal, timeoutMs) => {
          last = undefined;
          const res = await exchange(req.method, req.path, req.headers, req.body, signal, timeoutMs);
          if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body: res.bytes, error: undefined };
          let error: CliError;
          try {
            // An error status always throws here; its typed error decides the exit code and retries.
            interpretResponse(res.status, res.headers, res.bytes.toString('utf8'), label, host, opts.clock.now(), opts.unauthorizedHint);
            error = new ApiError(`HTTP ${res.status} from ${host}`, { status: res.status });
          } catch (err) {
            error = err as CliError;
          }
          last = { status: res.status, headers: res.headers, body: res.bytes, error };
          throw error;
        });
      } catch (err) {
        // Only the status error (or the give-up error made from it) hands the answer back; an
        // interrupt or a budget error during the wait that followed is thrown as it is.
        const fromStatus = last !== undefined && (err === last.error || (err instanceof ApiError && last.error instanceof ApiError && err.status === last.error.status));
        if (last !== undefined && fromStatus && !req.call?.signal?.aborted) return { ...last, error: err as CliError };
        throw err;
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
