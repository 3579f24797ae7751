// Synchronous on purpose: small files, read once, and node:fs/promises costs start-up time.
import { readFileSync } from 'node:fs';
import type { InStream } from '../../deps.js';
import { UsageError } from '../../errors.js';
import { findJsonError, lineAndColumn } from '../../util/json-error.js';

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

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Builds the execute context: the file (or stdin) first, then the fields merged over it, later
 * ones winning. stdin is asked for only when it is read (creating it costs start-up time).
 */
export async function buildContext(input: ContextInput, stdin: () => InStream, signal?: AbortSignal): Promise<JsonObject> {
  const context: JsonObject = input.source === undefined ? {} : await readContextSource(input.source, stdin, signal);
  for (const field of input.fields) {
    const { path, value } = await parseField(field);
    setPath(context, path, value, field.raw);
  }
  return context;
}

async function readContextSource(source: string, getStdin: () => InStream, signal?: AbortSignal): Promise<JsonObject> {
  const label = source === '-' ? 'stdin' : source;
  let text: string;
  if (source === '-') {
    const stdin = getStdin();
    if (stdin.isTTY) throw new UsageError('--context - reads stdin, but stdin is a terminal', 'pipe the JSON in: alto wf execute ID --context - < ctx.json');
    text = await readAll(stdin, signal);
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
      throw new UsageError(`cannot read context file ${source}: ${why}`);
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
      return { path, value: readFileSync(file, 'utf8') };
    } catch (err) {
      throw new UsageError(`cannot read ${file} for field ${key}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
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

/** The whole stream as text; Ctrl-C (the signal) stops the wait at once. */
function readAll(stream: InStream, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const done = () => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer | string) => void chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onEnd = () => (done(), resolve(Buffer.concat(chunks).toString('utf8')));
    const onError = (err: Error) => (done(), reject(err));
    const onAbort = () => (done(), stream.pause(), reject(signal?.reason));
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
