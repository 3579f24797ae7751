import { formatBytes, readFileBounded, readStreamBounded, TooLargeError } from '../../config/read-file.js';
import type { InStream } from '../../deps.js';
import { UsageError } from '../../errors.js';
import { findJsonError, lineAndColumn } from '../../util/json-error.js';
import { jsonDepthExceeds } from '../../util/json-depth.js';

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

/** Why a file could not be read, in a few words. */
function fsReason(err: unknown): string {
  if (err instanceof TooLargeError) return `it is ${err.message} (the limit for a context)`;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (err as Error).message;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Builds the execute context: the file (or stdin) first, then the fields merged over it, later
 * ones winning. stdin is asked for only when it is read (creating it costs start-up time).
 */
export async function buildContext(input: ContextInput, stdin: StdinSource, signal?: AbortSignal): Promise<JsonObject> {
  const context: JsonObject = input.source === undefined ? {} : await readContextSource(input.source, stdin, signal);
  for (const field of input.fields) {
    const { path, value } = await parseField(field);
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
      throw new UsageError(`cannot read context file ${source}: ${fsReason(err)}`);
    }
  }
  return parseContextJson(text.replace(/^\uFEFF/, ''), label);
}

/** Parses a context document; errors name the source and, for bad JSON, the line and column. */
export function parseContextJson(text: string, label: string): JsonObject {
  if (text.trim() === '') throw new UsageError(`the context from ${label} is empty`, 'give a JSON object, e.g. {"key": "value"}');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const { offset, reason } = findJsonError(text);
    const { line, column } = lineAndColumn(text, offset);
    throw new UsageError(`invalid JSON in ${label} at line ${line}, column ${column}: ${reason}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new UsageError(`the context from ${label} must be a JSON object, not ${kind}`);
  }
  return value as JsonObject;
}

export async function parseField(field: FieldInput): Promise<{ path: string[]; value: unknown }> {
  const flag = field.typed ? '-F' : '-f';
  const eq = field.raw.indexOf('=');
  if (eq <= 0) throw new UsageError(`invalid field for ${flag}: "${field.raw}"`, 'use key=value, e.g. -f site_id=site_456');
  const key = field.raw.slice(0, eq);
  const rawValue = field.raw.slice(eq + 1);
  const path = parseKeyPath(key, flag);
  if (!field.typed) return { path, value: rawValue };
  if (rawValue.startsWith('@')) {
    const file = rawValue.slice(1);
    try {
      return { path, value: readFileBounded(file, { maxBytes: MAX_CONTEXT_BYTES }) };
    } catch (err) {
      throw new UsageError(`cannot read ${file} for field ${key}: ${fsReason(err)}`);
    }
  }
  return { path, value: typedValue(rawValue) };
}

/** -F values: JSON when it parses (numbers, booleans, null, arrays, objects), else the string. */
export function typedValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
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
