import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { collect, collectInto } from '../shared/collect.js';
import { examples, runAction } from '../shared/run-action.js';
import type { FieldInput } from '../../input/context-input.js';

export interface ApiOptions {
  /** <path> as given; resolved against the base URL by apiRun. */
  path: string;
  /** Upper-case: from -X, else GET (POST when fields or --input are given). */
  method: string;
  /** -f/-F in the order given: a JSON body, or the query string of a GET. */
  fields: FieldInput[];
  /** -H 'Name: value', in order. */
  headers: Array<[string, string]>;
  /** --input FILE, or "-" for stdin: the raw body. */
  input: string | undefined;
  paginate: boolean;
  include: boolean;
}

export type ApiRunner = (f: Factory, opts: ApiOptions) => Promise<number>;

const apiRunDefault: ApiRunner = async (f, opts) => (await import('./api-run.js')).apiRun(f, opts);

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/**
 * Headers alto owns: the token (a different one comes from ALTO_TOKEN or a profile, so it is
 * redacted like every token), and the ones that frame the request on the wire.
 */
const OWN_HEADERS = new Set(['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'te', 'keep-alive', 'expect']);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** 'Name: value' of -H, checked; alto's own headers are refused (exit 2). */
export function parseHeader(raw: string): [string, string] {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  if (!HEADER_NAME.test(name)) throw new UsageError(`invalid header for -H: "${raw.slice(0, 80)}"`, "use -H 'Name: value'");
  const value = raw.slice(colon + 1).trim();
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new UsageError(`the value of header ${name} must not contain control characters`);
  const lower = name.toLowerCase();
  if (lower === 'authorization') {
    throw new UsageError('-H Authorization is not accepted: alto api sends the token in use', 'to use another token, set ALTO_TOKEN or pick a profile with --profile');
  }
  if (OWN_HEADERS.has(lower)) throw new UsageError(`-H ${name} is not accepted: alto sets it`);
  return [name, value];
}

/** Checks the flags once into ApiOptions; contradictions are exit 2 before anything is sent. */
export function parseApiOptions(path: string, raw: Record<string, unknown>, fields: FieldInput[]): ApiOptions {
  const input = raw.input as string | undefined;
  if (input !== undefined && fields.length > 0) throw new UsageError('--input and -f/-F cannot be used together', 'put the fields in the --input body');
  const given = raw.method as string | undefined;
  const method = given === undefined ? (fields.length > 0 || input !== undefined ? 'POST' : 'GET') : given.toUpperCase();
  if (!METHODS.has(method)) throw new UsageError(`unknown method for -X: "${String(given).slice(0, 40)}"`, `use one of: ${[...METHODS].join(', ')}`);
  if ((method === 'GET' || method === 'HEAD') && input !== undefined) throw new UsageError(`--input sends a body, which ${method} does not carry`, 'use -X POST (or leave -X out)');
  const paginate = Boolean(raw.paginate);
  if (paginate && method !== 'GET') throw new UsageError(`--paginate follows pages of a GET, not ${method}`);
  const headers = ((raw.header as string[] | undefined) ?? []).map(parseHeader);
  return { path, method, fields: [...fields], headers, input, paginate, include: Boolean(raw.include) };
}

/** alto api <path>: any request to the API with the token in use, the answer as sent. */
export function newApiCommand(f: Factory, runF: ApiRunner = apiRunDefault): Command {
  // -f and -F share one list in the order given: a later field wins over an earlier one.
  const fields: FieldInput[] = [];
  return new Command('api')
    .argument('<path>', 'path below the API URL, e.g. /workflows (a full URL only on the same host)')
    .description('send a request to the Workflows API and print the answer as sent (like gh api)')
    .option('-X, --method <method>', 'HTTP method (default GET; POST when fields or --input are given)')
    .addOption(new Option('-f, --field <key=value>', 'a string field of the JSON body (repeatable; a.b or a[b] nests)').argParser(collectInto(fields, (raw) => ({ raw, typed: false }))))
    .addOption(new Option('-F, --typed-field <key=value>', "a JSON value when it parses, @file for a file's text, @- for stdin (repeatable)").argParser(collectInto(fields, (raw) => ({ raw, typed: true }))))
    .option('-H, --header <header>', "an extra request header, 'Name: value' (repeatable)", collect)
    .option('--input <file>', 'send the file as the request body ("-" reads stdin; at most 10 MiB)')
    .option('--paginate', 'follow links.next of a paginated list; prints every page as sent, one after another')
    .option('-i, --include', 'print the status line and the response headers before the body')
    .addHelpText(
      'after',
      examples(
        'alto api /workflows',
        'alto api -X POST /workflows/fl_01h3.../execute -F context.site_id=site_456 -H "Idempotency-Key: $(uuidgen)"',
        "alto api --paginate /workflows/fl_01h3.../executions | jq -s '[.[].data[]]'",
        'alto api -i /workflows/runs/fl_run_01h3...',
      ),
    )
    .action(runAction(f, ([path], o) => runF(f, parseApiOptions(path!, o, fields))));
}
