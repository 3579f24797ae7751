import { STATUS_CODES } from 'node:http';
import type { RawResponse } from '../../api/workflows-api.js';
import { formatBytes, readFileBoundedBytes, readStreamBoundedBytes, TooLargeError } from '../../config/read-file.js';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { buildContext, type FieldStdin, MAX_CONTEXT_BYTES, parseField } from '../../input/context-input.js';
import type { ApiOptions } from './api.js';
import { resolveApiPath } from './api-path.js';

/** The largest --input body alto reads and sends. */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;
/** --paginate stops (exit 5) after this many pages: a server whose links.next never ends. */
export const MAX_PAGES = 1000;

/**
 * alto api: one request (or, with --paginate, one per page) through the one API client, so the
 * token, base URL, proxies, deadlines, retries, body cap and redaction are those of every other
 * command. The body goes to stdout as sent, also for an error status; then the error's line
 * goes to stderr and its exit code is returned (401/403: 3, 404: 4, 400/413/422: 2, else 5).
 */
export async function apiRun(f: Factory, opts: ApiOptions): Promise<number> {
  const client = await f.client();
  let path = resolveApiPath(opts.path, client.baseUrl, 'user');
  const headers: Record<string, string> = {};
  for (const [name, value] of opts.headers) headers[name.toLowerCase()] = value;
  let body: Buffer | undefined;
  if (opts.input !== undefined) {
    body = await readInput(f, opts.input);
    headers['content-type'] ??= 'application/json';
  } else if (opts.fields.length > 0) {
    if (opts.method === 'GET' || opts.method === 'HEAD') path = withQuery(path, await queryOf(f, opts));
    else {
      body = Buffer.from(JSON.stringify(await buildContext({ fields: opts.fields }, f.io, f.deps.signal)), 'utf8');
      headers['content-type'] ??= 'application/json';
    }
  }
  // Retried as its method allows: a GET (or HEAD) like any read, a POST that carries an
  // Idempotency-Key like execute; anything else only when it cannot have reached the server.
  const retry = opts.method === 'GET' || opts.method === 'HEAD' ? 'read' : opts.method === 'POST' && headers['idempotency-key'] ? 'keyed' : 'unsent';
  const seen = new Set<string>();
  for (let page = 1; ; page++) {
    seen.add(path);
    const res = await client.raw({ method: opts.method, path, headers, body, retry, call: { signal: f.deps.signal } });
    writeResponse(f, res, opts.include, opts.paginate);
    if (res.error) {
      // The body is already on stdout; the error's line on stderr and its code end the command.
      throw res.error;
    }
    if (!opts.paginate) return ExitCode.Ok;
    const next = nextLink(res.body);
    if (next === undefined) return ExitCode.Ok;
    if (page >= MAX_PAGES) throw new CliError(`stopped after ${MAX_PAGES} pages: links.next still points further`, ExitCode.Api);
    path = resolveApiPath(next, client.baseUrl, 'server');
    if (seen.has(path)) throw new CliError('links.next points back at a page already read; stopped', ExitCode.Api);
  }
}

/** Status line and headers (with --include), then the body: bytes as sent when piped, safe text on a terminal. */
function writeResponse(f: Factory, res: RawResponse, include: boolean, paginate: boolean): void {
  const out = f.io.out;
  const tty = f.io.isStdoutTTY();
  if (include) {
    const lines = [`HTTP/1.1 ${res.status} ${STATUS_CODES[res.status] ?? ''}`.trimEnd()];
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) lines.push(`${f.io.safe(name)}: ${f.io.safe(v)}`);
    }
    out.write(`${lines.join('\n')}\n\n`);
  }
  if (res.body.length === 0) return;
  // A terminal must not run the server's escape codes; a pipe gets the bytes exactly.
  out.write(tty ? f.io.safe(res.body.toString('utf8'), { multiline: true }) : res.body);
  // Pages follow one another on their own lines; a terminal prompt does not glue to the body.
  if ((paginate || tty) && res.body[res.body.length - 1] !== 0x0a) out.write('\n');
}

/** links.next of a Laravel page, when the body is one; undefined at the last page or for anything else. */
export function nextLink(body: Buffer): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const links = (value as { links?: unknown }).links;
  if (typeof links !== 'object' || links === null) return undefined;
  const next = (links as { next?: unknown }).next;
  return typeof next === 'string' && next !== '' ? next : undefined;
}

/** --input FILE|-: the raw body, bytes as they are (a binary body too), at most MAX_INPUT_BYTES. */
async function readInput(f: Factory, source: string): Promise<Buffer> {
  if (source === '-') {
    if (f.io.isStdinTTY()) throw new UsageError('--input - reads stdin, but stdin is a terminal', 'pipe the body in: alto api -X POST /path --input - < body.json');
    try {
      return await readStreamBoundedBytes(f.io.in, MAX_INPUT_BYTES, f.deps.signal);
    } catch (err) {
      if (err instanceof TooLargeError) throw new UsageError(`the body on stdin is larger than ${formatBytes(MAX_INPUT_BYTES)} (the limit)`);
      throw err;
    }
  }
  try {
    return readFileBoundedBytes(source, { maxBytes: MAX_INPUT_BYTES });
  } catch (err) {
    if (err instanceof TooLargeError) throw new UsageError(`cannot read --input ${source}: it is larger than ${formatBytes(MAX_INPUT_BYTES)} (the limit)`);
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'unreadable');
    throw new UsageError(`cannot read --input ${source}: ${why}`);
  }
}

/** -f/-F of a GET: query parameters, as gh api sends them (a JSON value as its JSON text). */
async function queryOf(f: Factory, opts: ApiOptions): Promise<URLSearchParams> {
  const query = new URLSearchParams();
  const stdin: FieldStdin = { state: 'unused', source: f.io, signal: f.deps.signal };
  let size = 0;
  for (const field of opts.fields) {
    const { value } = await parseField(field, stdin);
    const key = field.raw.slice(0, field.raw.indexOf('='));
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    size += key.length + text.length;
    if (size > MAX_CONTEXT_BYTES) throw new UsageError(`the query is larger than ${formatBytes(MAX_CONTEXT_BYTES)} (the limit)`);
    query.append(key, text);
  }
  return query;
}

function withQuery(path: string, query: URLSearchParams): string {
  const q = query.toString();
  if (q === '') return path;
  return `${path}${path.includes('?') ? '&' : '?'}${q}`;
}
