/** The answers the sandbox gives, as plain values the server writes (or truncates, or delays). */
import { STATUS_CODES } from 'node:http';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A JSON answer. */
export function json(status: number, value: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** An error in the API's shape: {type, code, message, doc_url}. */
export function apiError(status: number, type: string, code: string, message: string, headers: Record<string, string> = {}): Reply {
  const reply = json(status, { type, code, message, doc_url: `https://docs.altostrat.io/errors/${code}` });
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

/** 401 for a missing or wrong token. */
export function unauthorized(): Reply {
  return apiError(401, 'authentication_error', 'unauthenticated', 'A valid bearer token is required.', {
    'www-authenticate': 'Bearer',
  });
}

/** 404 for an unknown workflow, run or route. */
export function notFound(message: string): Reply {
  return apiError(404, 'invalid_request_error', 'resource_missing', message);
}

/** 422 for a request the API understands but refuses. */
export function unprocessable(code: string, message: string): Reply {
  return apiError(422, 'invalid_request_error', code, message);
}

/** 429 with the API's error body, and Retry-After only when the rule sets it. */
export function rateLimited(retryAfter?: number): Reply {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  return apiError(429, 'rate_limit_error', 'rate_limited', 'Too many requests.', headers);
}

/** The HTML page a gateway (nginx, a load balancer) answers with when the API behind it fails. */
export function gatewayError(status: number): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { status, headers: { 'content-type': 'text/html' }, body };
}

/** 200 with nothing in it. */
export function emptyBody(): Reply {
  return { status: 200, headers: {}, body: '' };
}

/** 400 for a body the API cannot read. */
export function badRequest(code: string, message: string): Reply {
  return apiError(400, 'invalid_request_error', code, message);
}
