import { formatBytes, readFileBounded, readStreamBounded, TooLargeError } from '../config/read-file.js';
import type { InStream } from '../deps.js';
import { UsageError } from '../errors.js';
import { lineAndColumn, parseJsonText } from '../util/json-error.js';
import { jsonDepthExceeds } from '../util/json-depth.js';
import { fsReason } from '../util/fs-reason.js';

export interface FieldInput {
  /** "key=value" as typed. */
  raw: string;
  /** -F: a JSON value when it parses, @path reads a file; -f: always a string. */
  typed: boolean;
}

export interface ContextInput {
  /** --context: a file path, or "-" for stdin. */
  source?: string;
  fields: FieldInput[];
}

type JsonObject = Record<string, unknown>;

/** Where `--context -` reads from: IOStreams (stdin is created only when read). */
export interface StdinSource {
  readonly in: InStream;
  isStdinTTY(): boolean;
}

/** A StdinSource over a stream made on first use (tests). */
export function stdinSource(get: () => InStream): StdinSource {
  let stream: InStream | undefined;
  const s = () => (stream ??= get());
  return {
    get in() {
      return s();
    },
    isStdinTTY: () => Boolean(s().isTTY),
  };
}

/** The most context alto reads or sends: the file, stdin, each -F @file and the merged result. */
export const MAX_CONTEXT_BYTES = 10 * 1024 * 1024;
/** How deep a context may nest objects and arrays. */
export const MAX_CONTEXT_DEPTH = 256;

/** Why a context file could not be read, in a few words. */
function readReason(err: unknown): string {
  return err instanceof TooLargeError ? `it is ${err.message} (the limit for a context)` : fsReason(err);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Builds the execute context: the file (or stdin) first, then the fields merged over it, later
 * ones winning. stdin is asked for only when it is read (creating it costs start-up time).
 */
export async function buildContext(input: ContextInput, stdin: StdinSource, signal?: AbortSignal): Promise<JsonObject> {
  const context: JsonObject = input.source === undefined ? {} : await readContextSource(input.source, stdin, signal);
  const fieldStdin: FieldStdin = { state: input.source === '-' ? 'used' : 'unused', source: stdin, signal };
  for (const field of input.fields) {
    const { path, value } = await parseField(field, fieldStdin);
    setPath(context, path, value, field.raw);
  }
  // JSON.stringify (and so the request body) recurses: a context nested thousands deep would crash it.
  if (jsonDepthExceeds(context, MAX_CONTEXT_DEPTH)) throw new UsageError(`the context is nested deeper than ${MAX_CONTEXT_DEPTH} levels (the limit)`);
  if (input.fields.length > 0 && Buffer.byteLength(JSON.stringify(context), 'utf8') > MAX_CONTEXT_BYTES) {
    throw new UsageError(`the context is larger than ${formatBytes(MAX_CONTEXT_BYTES)} (the limit) once the fields are merged`);
  }
  return context;
}

async function readContextSource(source: string, stdinSrc: StdinSource, signal?: AbortSignal): Promise<JsonObject> {
  const label = source === '-' ? 'stdin' : source;
  let text: string;
  if (source === '-') {
    if (stdinSrc.isStdinTTY()) throw new UsageError('--context - reads stdin, but stdin is a terminal', 'pipe the JSON in: alto wf execute ID --context - < ctx.json');
    try {
      text = await readStreamBounded(stdinSrc.in, MAX_CONTEXT_BYTES, signal);
    } catch (err) {
      if (err instanceof TooLargeError) throw new UsageError(`the context on stdin is ${err.message} (the limit)`);
      throw err;
    }
  } else {
    try {
      text = readFileBounded(source, { maxBytes: MAX_CONTEXT_BYTES });
    } catch (err) {
      throw new UsageError(`cannot read context file ${source}: ${readReason(err)}`);
    }
  }
  return parseContextJson(text.replace(/^\uFEFF/, ''), label);
}

/** Parses a context document; errors name the source and, for bad JSON, the line and column. */
export function parseContextJson(text: string, label: string): JsonObject {
  if (text.trim() === '') throw new UsageError(`the context from ${label} is empty`, 'give a JSON object, e.g. {"key": "value"}');
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    throw new UsageError(`invalid JSON in ${label} at line ${line}, column ${column}: ${reason}`);
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new UsageError(`the context from ${label} must be a JSON object, not ${kind}`);
  }
  // Parsed and sent again, 1e400 would become null and a 23-digit integer would lose digits.
  const inexact = inexactNumberError(text, (offset) => `the context from ${label}, line ${lineAndColumn(text, offset).line}`);
  if (inexact) throw inexact;
  return value as JsonObject;
}

/** Where `-F key=@-` reads from; `state` makes stdin a one-time source (--context - counts). */
export interface FieldStdin {
  state: 'used' | 'unused';
  source: StdinSource;
  signal?: AbortSignal;
}

export async function parseField(field: FieldInput, stdin?: FieldStdin): Promise<{ path: string[]; value: unknown }> {
  const flag = field.typed ? '-F' : '-f';
  const eq = field.raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid field for ${flag}: "${field.raw}"`, 'use key=value, e.g. -f site_id=site_456');
  const key = field.raw.slice(0, eq);
  const rawValue = field.raw.slice(eq + 1);
  const path = parseKeyPath(key, flag);
  if (!field.typed) return { path, value: rawValue };
  if (rawValue === '@-') return { path, value: await readFieldStdin(key, stdin) };
  if (rawValue.startsWith('@')) {
    const file = rawValue.slice(1);
    try {
      return { path, value: readFileBounded(file, { maxBytes: MAX_CONTEXT_BYTES }) };
    } catch (err) {
      throw new UsageError(`cannot read ${file} for field ${key}: ${readReason(err)}`);
    }
  }
  return { path, value: typedValue(rawValue, key) };
}

/** `-F key=@-`: stdin's text, as `gh api -F key=@-` reads it; stdin can be read only once. */
async function readFieldStdin(key: string, stdin: FieldStdin | undefined): Promise<string> {
  if (!stdin) throw new UsageError(`-F ${key}=@- cannot read stdin here`, `put the value in a file: -F ${key}=@file`);
  if (stdin.state === 'used') {
    throw new UsageError(`-F ${key}=@- reads stdin, but stdin is already read by --context - or another @-`, 'give one of them a file instead');
  }
  stdin.state = 'used';
  if (stdin.source.isStdinTTY()) throw new UsageError(`-F ${key}=@- reads stdin, but stdin is a terminal`, `pipe the value in: echo hello | alto wf execute ID -F ${key}=@-`);
  try {
    return await readStreamBounded(stdin.source.in, MAX_CONTEXT_BYTES, stdin.signal);
  } catch (err) {
    if (err instanceof TooLargeError) throw new UsageError(`the value of ${key} on stdin is ${err.message} (the limit)`);
    throw err;
  }
}

/**
 * -F values: JSON when it parses (numbers, booleans, null, arrays, objects), else the string.
 * An integer that a JavaScript number cannot hold exactly (beyond 2^53) is refused rather than
 * rounded: sending it as written would need a JSON writer of our own for every request body.
 */
export function typedValue(raw: string, key = 'the field'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return raw;
  }
  const inexact = inexactNumber(raw);
  if (inexact !== undefined) {
    const shown = inexact.length > 40 ? `${inexact.slice(0, 40)}...` : inexact;
    throw new UsageError(
      `-F ${key}: the number ${shown} would not be sent as written (numbers are exact only up to 2^53)`,
      raw === inexact ? `send it as a string: -f ${key}=${shown}` : 'write it as a JSON string ("...") instead',
    );
  }
  return value;
}

/** The first number literal in a valid JSON text that would change when parsed: an integer beyond 2^53, or one out of range. */
export function inexactNumber(json: string): string | undefined {
  return inexactNumberAt(json)?.token;
}

/**
 * A context document's number that JSON.parse would change, as one UsageError naming `where`
 * (the source, FILE:LINE for --each) and the number; undefined when every number is exact.
 */
export function inexactNumberError(json: string, where: (offset: number) => string): UsageError | undefined {
  const found = inexactNumberAt(json);
  if (found === undefined) return undefined;
  const shown = found.token.length > 40 ? `${found.token.slice(0, 40)}...` : found.token;
  return new UsageError(
    `${where(found.offset)}: the number ${shown} would not be sent as written (numbers are exact only up to 2^53, at most about 1.8e308)`,
    'write it as a JSON string ("...") instead',
  );
}

/** inexactNumber with the literal's offset in the text. */
export function inexactNumberAt(json: string): { token: string; offset: number } | undefined {
  const number = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i] as string;
    if (ch === '"') {
      // Skip the string (JSON.parse accepted the text, so it is well formed).
      for (i++; i < json.length && json[i] !== '"'; i++) if (json[i] === '\\') i++;
      continue;
    }
    if (ch !== '-' && (ch < '0' || ch > '9')) continue;
    number.lastIndex = i;
    const m = number.exec(json);
    if (!m) continue;
    const token = m[0];
    const offset = i;
    i += token.length - 1;
    const n = Number(token);
    if (!Number.isFinite(n)) return { token, offset }; // 1e400 parses to Infinity, which JSON.stringify sends as null
    if (m[1] !== undefined || m[2] !== undefined) continue; // a fraction or exponent: a float as written
    if (!Number.isSafeInteger(n) && BigInt(token) !== BigInt(n)) return { token, offset };
  }
  return undefined;
}

/** "a.b.c" or "a[b][c]" -> ["a", "b", "c"]. */
export function parseKeyPath(key: string, flag = '-f'): string[] {
  const bad = () => new UsageError(`invalid field key "${key}" for ${flag}`, 'use a, a.b.c or a[b][c]');
  if (!/^[^.[\]]+(\.[^.[\]]+|\[[^.[\]]+\])*$/.test(key)) throw bad();
  const path = key.split(/[.[\]]+/).filter((p) => p !== '');
  if (path.some((p) => FORBIDDEN_KEYS.has(p))) throw bad();
  return path;
}

export function setPath(target: JsonObject, path: string[], value: unknown, raw: string): void {
  let node = target;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === undefined) {
      const created: JsonObject = {};
      node[key] = created;
      node = created;
    } else if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      node = next as JsonObject;
    } else {
      throw new UsageError(`field "${raw}": ${path.slice(0, i + 1).join('.')} is already a value, not an object`);
    }
  }
  node[path[path.length - 1] as string] = value;
}
