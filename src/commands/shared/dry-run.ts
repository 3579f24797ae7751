// --dry-run (execute, rerun, resume; fan-out's --each calls printDryRun with one request per line):
// everything is resolved as for a real call, then the request is printed instead of sent. The
// token is never read: the Authorization header shows `Bearer ***`, and the curl line reads
// $ALTO_TOKEN when it runs.
import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';
import type { OutputOptions } from './output-flags.js';

/** One request alto would send, as the HTTP client would build it. */
export interface DryRequest {
  method: 'GET' | 'POST';
  /** Full URL: the resolved base URL plus the endpoint's path. */
  url: string;
  /** Header name (as sent, lower-case) to value; authorization is always redacted. */
  headers: Record<string, string>;
  /** The exact body bytes (JSON), or undefined for none. */
  body?: string;
}

/** An endpoint call before the base URL is known: path and method, optional JSON body and headers. */
export interface DryCall {
  method: 'GET' | 'POST';
  /** Starts with "/", path segments already encoded. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Declares --dry-run on a command. */
export function addDryRunFlag(cmd: Command): Command {
  return cmd.option('--dry-run', 'print the request (token redacted) and an equivalent curl command; send nothing');
}

export const REDACTED_AUTH = 'Bearer ***';

/** The API base URL the command would use (flag, env, profile, default), checked; no token needed. */
export async function resolveBaseUrl(f: Factory): Promise<string> {
  const [{ checkBaseUrl }, { resolveSettings }] = await Promise.all([import('../../api/base-url.js'), import('../../config/resolve.js')]);
  const settings = await resolveSettings(f.globals(), f.deps.env);
  return checkBaseUrl(settings.apiUrl, settings.apiUrlSource === 'default' ? 'the default' : settings.apiUrlSource);
}

/** The requests as the HTTP client builds them (same header set and order, same body bytes). */
export function buildDryRequests(baseUrl: string, version: string, calls: readonly DryCall[]): DryRequest[] {
  return calls.map((call) => {
    const headers: Record<string, string> = { authorization: REDACTED_AUTH, 'user-agent': `alto/${version}`, accept: 'application/json', ...call.headers };
    const request: DryRequest = { method: call.method, url: baseUrl + call.path, headers };
    if (call.body !== undefined) {
      request.body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    return request;
  });
}

/** A word for a POSIX shell: single-quoted unless plainly safe. */
export function shellQuote(word: string): string {
  return /^[\w.,:/@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same request as a curl command for a POSIX shell, reading the token from $ALTO_TOKEN. The
 * body is piped from printf (a shell builtin, so no argument-length limit) with --data-binary @-,
 * which sends it byte for byte.
 */
export function curlCommand(req: DryRequest): string {
  const parts = ['curl', '-X', req.method, shellQuote(req.url)];
  for (const [name, value] of Object.entries(req.headers)) {
    // curl sends "Authorization: Bearer <token>" for --oauth2-bearer.
    if (name === 'authorization') parts.push('--oauth2-bearer', '"$ALTO_TOKEN"');
    else parts.push('-H', shellQuote(`${headerName(name)}: ${value}`));
  }
  if (req.body === undefined) return parts.join(' ');
  parts.push('--data-binary', '@-');
  return `printf '%s' ${shellQuote(req.body)} | ${parts.join(' ')}`;
}

/** Header names as people write them (HTTP header names are case-insensitive). */
function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The request for --json and ndjson: the body as its JSON value, and the curl line. */
function requestDocument(req: DryRequest): Record<string, unknown> {
  return { method: req.method, url: req.url, headers: req.headers, body: req.body === undefined ? null : JSON.parse(req.body), curl: curlCommand(req) };
}

/**
 * Prints what would be sent and exits 0. Text: the request (method, URL, headers, body) and the
 * curl line on stdout, "nothing was sent" on stderr. --json: one document (the request, or an
 * array for several); ndjson: one {"type":"request"} line each; -q: only the curl lines.
 */
export function printDryRun(f: Factory, requests: readonly DryRequest[], output: OutputOptions): number {
  const out = f.io.out;
  if (output.json) {
    const docs = requests.map(requestDocument);
    out.write(`${jsonText(docs.length === 1 ? docs[0] : docs, { indent: 2 })}\n`);
  } else if (output.ndjson) {
    for (const req of requests) out.write(`${jsonText({ type: 'request', request: requestDocument(req) })}\n`);
  } else if (output.quiet) {
    for (const req of requests) out.write(`${curlCommand(req)}\n`);
  } else {
    const p = f.palette;
    const blocks = requests.map((req) => {
      const lines = [`${p.bold(req.method)} ${req.url}`, ...Object.entries(req.headers).map(([k, v]) => `${headerName(k)}: ${v}`)];
      if (req.body !== undefined) lines.push('', req.body);
      lines.push('', p.dim('# the same request with curl (the token from $ALTO_TOKEN):'), curlCommand(req));
      return lines.join('\n');
    });
    out.write(`${blocks.join('\n\n')}\n`);
    f.io.err.write(`${f.errPalette.dim(`dry run: nothing was sent (${requests.length === 1 ? '1 request' : `${requests.length} requests`})`)}\n`);
  }
  return ExitCode.Ok;
}

/** Resolves the base URL, builds the requests and prints them: the whole of a command's --dry-run. */
export async function dryRun(f: Factory, calls: readonly DryCall[], output: OutputOptions): Promise<number> {
  return printDryRun(f, buildDryRequests(await resolveBaseUrl(f), f.deps.version, calls), output);
}
