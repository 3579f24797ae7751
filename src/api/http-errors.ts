import { formatBytes } from '../config/read-file.js';
import { ApiError, AuthError, NetworkError, NotFoundError, RequestRejectedError } from '../errors.js';
import { formatDuration } from '../util/duration.js';
import { parseRetryAfter } from './backoff.js';

/**
 * How a request may be retried:
 * - `read`: a GET; retried on a retryable status (409, 429, 502-504), network errors, timeouts and
 *   2xx bodies that are not JSON.
 * - `keyed`: a POST that carries an Idempotency-Key; the server dedupes, so it is retried like a
 *   read and also on any 5xx.
 * - `unsent`: a POST the API cannot dedupe (rerun, resume); retried only when it cannot have
 *   reached the server (connection refused, DNS failure, connect timeout).
 * - `once`: never retried.
 */
export type RetryMode = 'read' | 'keyed' | 'unsent' | 'once';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * Statuses worth another try of a request the server can dedupe: 409 (under the IETF
 * Idempotency-Key draft, the same key is still being processed), 429 and the gateway errors.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 409 || status === 429 || status === 502 || status === 503 || status === 504;
}

/** The one definition of "worth another try" for an error thrown by one try of a request. */
export function isRetryable(err: unknown, mode: RetryMode): boolean {
  if (mode === 'once') return false;
  if (err instanceof NetworkError) {
    if (err.causeCode === 'TLS' || err.causeCode === 'TOO_LARGE') return false;
    return mode === 'unsent' ? err.unsent : true;
  }
  if (err instanceof ApiError) {
    if (mode === 'unsent') return false;
    if (mode === 'keyed' && err.status >= 500) return true;
    return err.retryable;
  }
  return false;
}

const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** A TLS record where plain HTTP was expected (or the reverse): the server does not speak https. */
const TLS_MISMATCH = /EPROTO|WRONG_VERSION_NUMBER|wrong version number|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|UNKNOWN_PROTOCOL/i;
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/;
/**
 * Node's words when the peer closes or resets the socket while the TLS handshake is still under
 * way: what a plain-HTTP server (Node's own with a clientError handler, nginx, …) does with a
 * ClientHello. Nothing was sent yet; a loss after the handshake has other words ("other side closed").
 */
const CLOSED_IN_HANDSHAKE = /before secure TLS connection was established/i;

/**
 * Turns what undici threw into a NetworkError that says what happened, in one line.
 * `answeredBefore`: this host has already answered this client over the same scheme, so a
 * connection closed during the TLS handshake is a passing fault there, not a server without TLS.
 */
export function toNetworkError(err: unknown, timedOut: boolean, host: string, timeoutMs: number, answeredBefore = false): NetworkError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const rawCode = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : '';
  const code = rawCode.slice(0, 60);
  const message = typeof e.message === 'string' ? e.message : '';
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
  if (TLS_MISMATCH.test(code) || (code.startsWith('ERR_SSL_') && TLS_MISMATCH.test(message))) {
    return new NetworkError(`TLS handshake failed with ${host} (${code}): is the server speaking https?`, {
      unsent: true,
      causeCode: 'TLS',
      hint: 'check the scheme of the API URL: plain http is allowed only to loopback hosts',
    });
  }
  if ((code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') && CLOSED_IN_HANDSHAKE.test(message)) {
    if (answeredBefore) return new NetworkError(`lost the connection to ${host}: closed during the TLS handshake`, { unsent: true, causeCode: code });
    return new NetworkError(`TLS handshake with ${host} failed: the connection closed before it completed; is the server speaking https?`, {
      unsent: true,
      causeCode: 'TLS',
      hint: 'check the scheme of the API URL: plain http is allowed only to loopback hosts',
    });
  }
  if (TLS_CODES.test(code)) {
    return new NetworkError(`TLS error talking to ${host}: ${code}`, {
      unsent: true,
      causeCode: 'TLS',
      hint: 'a corporate proxy or private CA? point NODE_EXTRA_CA_CERTS at its certificate',
    });
  }
  const detail = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'connection closed before the answer was complete' : oneLine(message) || 'network error';
  return new NetworkError(`lost the connection to ${host}: ${detail}`, { unsent: false, causeCode: code || 'NETWORK' });
}

/** The answer was larger than the client's body cap: reading stopped there. Not retried. */
export function tooLargeError(host: string, limitBytes: number): NetworkError {
  return new NetworkError(`the answer from ${host} is larger than alto's limit of ${formatBytes(limitBytes)}; reading stopped`, {
    unsent: false,
    causeCode: 'TOO_LARGE',
    hint: 'this is not a response the Workflows API sends: check the API URL',
  });
}

/** What a request is called in messages: method and path without the query. */
export interface RequestLabel {
  method: string;
  path: string;
}

/** The hint of a 401 when the token came from the config (a new login replaces it). */
export const LOGIN_AGAIN_HINT = 'log in again with: alto auth login';

/**
 * The hint of a 401 when ALTO_TOKEN is the token in use: it wins over a stored token, so
 * "log in again" would not help (the new login would stay shadowed).
 */
export const ALTO_TOKEN_401_HINT = 'ALTO_TOKEN is the token in use: set it to a valid token, or unset it to use the one alto auth login stores';

/**
 * Turns a complete response into its JSON value (2xx) or throws the typed error its status
 * means. Nothing from the body is trusted: any type, any size (already capped), any depth.
 */
export function interpretResponse(
  status: number,
  headers: ResponseHeaders,
  text: string,
  req: RequestLabel,
  host: string,
  now: number,
  unauthorizedHint = LOGIN_AGAIN_HINT,
): unknown {
  const parsed = parseJson(text);
  if (status >= 200 && status < 300) {
    if (parsed.ok) return parsed.value;
    throw new ApiError(`the API at ${host} answered ${status} with a body that is not JSON${describeBody(text, headers)}`, {
      status,
      retryable: true,
    });
  }
  const body = parsed.ok && isObject(parsed.value) ? parsed.value : {};
  const reason = reasonOf(body);
  const code = typeof body.code === 'string' && body.code.length <= 100 ? oneLine(body.code) : undefined;
  const what = `${req.method} ${req.path.split('?')[0]}`;
  if (status === 401 || status === 403) {
    throw new AuthError(
      `the API rejected the token (${status}${reason ? `: ${reason}` : ''})`,
      status === 401 ? unauthorizedHint : 'this token may not have access to that resource',
      status,
    );
  }
  if (status === 404) throw new NotFoundError(reason ? `not found: ${reason}` : `not found: ${what}`);
  if (status === 400 || status === 413 || status === 422) {
    const label = status === 413 ? 'the request is too large for the API' : 'the API rejected the request';
    throw new RequestRejectedError(`${label} (HTTP ${status})${reason ? `: ${reason}` : ''}${code ? ` (${code})` : ''}`, { status });
  }
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  const label = status === 429 ? 'rate limited' : status === 409 ? 'HTTP 409 (a request with this key is still in progress)' : `HTTP ${status}`;
  const suffix = reason ? `: ${reason}${code ? ` (${code})` : ''}` : parsed.ok ? '' : describeBody(text, headers);
  throw new ApiError(`${label} from ${host}${suffix}`, { status, code, retryable: isRetryableStatus(status), retryAfterMs });
}

/**
 * The API's own reason for an error: `message` (its documented shape), else problem+json
 * `detail` or `title`, else `error` (a string, or an object with a message). One line.
 */
export function reasonOf(body: Record<string, unknown>): string | undefined {
  const nested = isObject(body.error) ? body.error.message : undefined;
  for (const candidate of [body.message, body.detail, body.title, body.error, nested]) {
    if (typeof candidate === 'string') {
      const line = oneLine(candidate);
      if (line) return line;
    }
  }
  return undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: false };
  try {
    // A UTF-8 byte-order mark before the JSON (some gateways and .NET servers send one):
    // RFC 8259 lets a parser ignore it; JSON.parse does not, so it goes here.
    return { ok: true, value: JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch {
    // A syntax error, or a RangeError from a body nested too deep to parse.
    return { ok: false };
  }
}

/** Names what came back without echoing it: gateway HTML never reaches the user. */
function describeBody(text: string, headers: ResponseHeaders): string {
  if (text.trim() === '') return ' (empty body)';
  const type = String(headers['content-type'] ?? '');
  if (type.includes('html') || /^\s*</.test(text)) return ' (an HTML page, likely from a gateway)';
  return ' (a truncated or malformed body)';
}

/**
 * Server text in one line: no control, bidi or invisible characters (zero-width, BOM, tag
 * characters that can hide text), whitespace collapsed, at most 300 chars.
 */
export function oneLine(s: string): string {
  const line = s
    .slice(0, 4000)
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
    .replace(/[\u200b-\u200d\u2060-\u2064\ufeff\u{e0000}-\u{e007f}]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
