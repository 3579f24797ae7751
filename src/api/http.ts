import type { Dispatcher } from 'undici';
import type { Clock } from '../deps.js';
import { ApiError, AuthError, NetworkError, NotFoundError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { redact } from '../util/redact.js';
import { parseRetryAfter, retryDelay } from './backoff.js';
import type { CallOptions } from './client.js';
import type { ApiErrorBody } from './types.js';

/**
 * How a request may be retried:
 * - `read`: a GET; retried on 429, 502-504, network errors, timeouts and bodies that are not JSON.
 * - `keyed`: a POST that carries an Idempotency-Key; the server dedupes, so it is retried like a
 *   read and also on any 5xx.
 * - `unsent`: a POST the API cannot dedupe (rerun, resume); retried only when it cannot have
 *   reached the server (connection refused, DNS failure, connect timeout).
 * - `once`: never retried.
 */
export type RetryMode = 'read' | 'keyed' | 'unsent' | 'once';

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
  retryBudgetMs: number;
  /**
   * The longest Retry-After a call without retryUntil waits for, even past its retry budget:
   * the server asked, so alto waits rather than fail (default 5 minutes).
   */
  maxRetryAfterMs?: number;
  /** Told about waits a person should know of (a long Retry-After), one line each. */
  notice?: (line: string) => void;
  /** Receives one line per request and response, already redacted. */
  debug?: (line: string) => void;
}

export interface HttpClient {
  readonly baseUrl: string;
  request<T>(req: HttpRequest): Promise<T>;
}

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;
const DEBUG_BODY_LIMIT = 2000;

/** The one HTTP client: auth, User-Agent, JSON, deadlines, retries, typed errors. */
export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const base = new URL(opts.baseUrl);
  const host = base.host;
  const basePath = base.pathname.replace(/\/+$/, '');
  const secrets = [opts.token];
  const debug = opts.debug ? (line: string) => opts.debug?.(redact(line, secrets)) : undefined;

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
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await opts.dispatcher.request({
        origin: base.origin,
        path,
        method: req.method,
        headers,
        body,
        signal: combined,
      });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw toNetworkError(err, timeout.aborted, host, timeoutMs);
    }
    const elapsed = Math.round(opts.clock.now() - started);
    debug?.(`< ${status} (${elapsed} ms) ${text.length} bytes`);
    if (debug && text) debug(`< ${truncate(text)}`);
    return interpret<T>(status, responseHeaders, text, req, host, opts.clock.now());
  }

  return {
    baseUrl: opts.baseUrl,
    async request<T>(req: HttpRequest): Promise<T> {
      const call = req.call ?? {};
      const started = opts.clock.now();
      const deadline = call.retryUntil ?? started + opts.retryBudgetMs;
      for (let attempt = 1; ; attempt++) {
        // No try outlives a deadline the caller set (a watch's --timeout or outage budget).
        const timeoutMs =
          call.retryUntil === undefined
            ? opts.requestTimeoutMs
            : Math.max(1, Math.ceil(Math.min(opts.requestTimeoutMs, call.retryUntil - opts.clock.now())));
        try {
          return await once<T>(req, call.signal, timeoutMs);
        } catch (err) {
          if (!isRetryable(err, req.retry)) throw err;
          const e = err as ApiError | NetworkError;
          const retryAfterMs = e instanceof ApiError ? e.retryAfterMs : undefined;
          const delayMs = retryDelay(attempt, opts.random, retryAfterMs);
          // A wait the server asked for is honoured past the budget of a plain command, as long
          // as the whole call stays within maxRetryAfterMs (a server that says "wait" forever
          // still ends).
          const askedFor =
            call.retryUntil === undefined &&
            retryAfterMs !== undefined &&
            opts.clock.now() + delayMs <= started + (opts.maxRetryAfterMs ?? 300_000);
          if (opts.clock.now() + delayMs > deadline && !askedFor) {
            throw e instanceof ApiError && e.retryAfterMs !== undefined && e.retryAfterMs > 0
              ? new ApiError(`${e.message}; the API asked to wait ${Math.ceil(e.retryAfterMs / 1000)}s, past alto's retry budget`, {
                  status: e.status,
                  code: e.code,
                })
              : e;
          }
          debug?.(`! ${e.message}; retry ${attempt} in ${delayMs} ms`);
          if (askedFor && delayMs >= 5000) opts.notice?.(`${e.message}; waiting ${formatDuration(delayMs)} as the API asked`);
          call.onRetry?.({ attempt, delayMs, error: e });
          await opts.clock.sleep(delayMs, call.signal);
        }
      }
    },
  };
}

function isRetryable(err: unknown, mode: RetryMode): boolean {
  if (mode === 'once') return false;
  if (err instanceof NetworkError) {
    if (err.causeCode === 'TLS') return false;
    return mode === 'unsent' ? err.unsent : true;
  }
  if (err instanceof ApiError) {
    if (mode === 'unsent') return false;
    if (mode === 'keyed') return err.retryable || err.status >= 500;
    return err.retryable;
  }
  return false;
}

function toNetworkError(err: unknown, timedOut: boolean, host: string, timeoutMs: number): NetworkError {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? '';
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new NetworkError(`no answer from ${host} within ${formatDuration(timeoutMs)}`, {
      unsent: false,
      causeCode: 'TIMEOUT',
      hint: 'raise the limit with --request-timeout, or check the API status',
    });
  }
  if (UNSENT_CODES.has(code)) {
    const what =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'connection timed out'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'host not found'
            : 'host unreachable';
    return new NetworkError(`cannot reach ${host}: ${what}`, { unsent: true, causeCode: code });
  }
  if (TLS_CODES.test(code)) {
    return new NetworkError(`TLS error talking to ${host}: ${e.message ?? code}`, {
      unsent: true,
      causeCode: 'TLS',
      hint: 'a corporate proxy or private CA? point NODE_EXTRA_CA_CERTS at its certificate',
    });
  }
  const detail = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'connection closed before the answer was complete' : (e.message ?? 'network error');
  return new NetworkError(`lost the connection to ${host}: ${detail}`, { unsent: false, causeCode: code || 'NETWORK' });
}

function interpret<T>(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
  req: HttpRequest,
  host: string,
  now: number,
): T {
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    if (parsed.ok) return parsed.value as T;
    throw new ApiError(`the API at ${host} answered ${status} with a body that is not JSON${describeBody(text, headers)}`, {
      status,
      retryable: true,
    });
  }
  const body: ApiErrorBody = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as ApiErrorBody) : {};
  const serverMessage = typeof body.message === 'string' && body.message.trim() ? oneLine(body.message) : undefined;
  const code = typeof body.code === 'string' ? body.code : undefined;
  const what = `${req.method} ${req.path.split('?')[0]}`;
  if (status === 401 || status === 403) {
    throw new AuthError(
      `the API rejected the token (${status}${serverMessage ? `: ${serverMessage}` : ''})`,
      status === 401 ? 'log in again with: alto auth login' : 'this token may not have access to that resource',
      status,
    );
  }
  if (status === 404) {
    throw new NotFoundError(serverMessage ? `not found: ${serverMessage}` : `not found: ${what}`);
  }
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  const retryable = status === 429 || status === 502 || status === 503 || status === 504;
  const label = status === 429 ? 'rate limited' : `HTTP ${status}`;
  const message = serverMessage
    ? `${label} from ${host}: ${serverMessage}${code ? ` (${code})` : ''}`
    : `${label} from ${host}${describeBody(text, headers)}`;
  throw new ApiError(message, { status, code, retryable, retryAfterMs });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Names what came back without echoing it: gateway HTML never reaches the user. */
function describeBody(text: string, headers: Record<string, string | string[] | undefined>): string {
  if (text.trim() === '') return ' (empty body)';
  const type = String(headers['content-type'] ?? '');
  if (type.includes('html') || /^\s*</.test(text)) return ' (an HTML page, likely from a gateway)';
  return ' (a truncated or malformed body)';
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function truncate(s: string): string {
  return s.length > DEBUG_BODY_LIMIT ? `${s.slice(0, DEBUG_BODY_LIMIT)}... (${s.length} bytes)` : s;
}

