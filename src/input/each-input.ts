/**
 * `--each FILE|-`: the contexts of a fan-out, one per line of NDJSON or per element of a JSON
 * array. Pure: text in, items out. Every line is checked before anything is sent, so a bad
 * line is a UsageError naming FILE:LINE (and the column of a JSON syntax error).
 */
import { formatBytes } from '../config/read-file.js';
import { inexactNumberError, MAX_CONTEXT_BYTES, parseKeyPath, setPath } from './context-input.js';
import { UsageError } from '../errors.js';
import { findJsonError, lineAndColumn, parseJsonText } from '../util/json-error.js';
import { jsonDepthExceeds } from '../util/json-depth.js';

export type JsonObject = Record<string, unknown>;

/** At most this many contexts in one fan-out. */
export const MAX_EACH_ITEMS = 10_000;
/** The input cap, the same as a context file's. */
export const MAX_EACH_BYTES = MAX_CONTEXT_BYTES;
/** Nesting deeper than this is refused (the key derivation walks the context). */
export const MAX_EACH_DEPTH = 256;

/** A -f/-F field already parsed once (parseField in context-input.ts): merged over every line. */
export interface ParsedField {
  path: string[];
  value: unknown;
  /** "key=value" as typed, for error messages. */
  raw: string;
}

export interface EachItem {
  /** 0-based position among the contexts. */
  index: number;
  /** 1-based line of the input where this context starts. */
  line: number;
  /** --label KEY's value, else `#<line>`. */
  label: string;
  /** The line's object with the fields merged over it. */
  context: JsonObject;
}

export interface ParseEachOptions {
  /** The --each argument: a path, or "-" for stdin (named `stdin` in errors). */
  source: string;
  fields?: readonly ParsedField[];
  /** --label KEY (a.b.c or a[b] for nested keys). */
  labelKey?: string;
  maxItems?: number;
  maxBytes?: number;
}

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the --each input into items, or throws the first problem as a UsageError. */
export function parseEachInput(text: string, opts: ParseEachOptions): EachItem[] {
  const name = opts.source === '-' ? 'stdin' : opts.source;
  const maxItems = opts.maxItems ?? MAX_EACH_ITEMS;
  const maxBytes = opts.maxBytes ?? MAX_EACH_BYTES;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new UsageError(`${name} is larger than ${formatBytes(maxBytes)}, the limit of --each`, 'split the contexts over several runs of alto');
  }
  const body = text.replace(/^\uFEFF/, '');
  const labelPath = opts.labelKey === undefined ? undefined : parseKeyPath(opts.labelKey, '--label');
  const asArray = /\.json$/i.test(opts.source) || body.trimStart().startsWith('[');
  const raw = asArray ? arrayElements(body, name, maxItems) : ndjsonLines(body, name, maxItems);
  if (raw.length === 0) throw new UsageError(`${name} holds no contexts`, 'give one JSON object per line (NDJSON) or a JSON array of objects');
  return raw.map(({ value, line }, index) => {
    const where = `${name}:${line}`;
    if (!isObject(value)) throw new UsageError(`${where}: each context must be a JSON object, not ${kindOf(value)}`);
    if (jsonDepthExceeds(value, MAX_EACH_DEPTH)) throw new UsageError(`${where}: the context is nested deeper than ${MAX_EACH_DEPTH} levels`);
    for (const field of opts.fields ?? []) {
      try {
        // A copy per line: a -F object merged into one line must not be shared with the next.
        setPath(value, field.path, structuredClone(field.value), field.raw);
      } catch (err) {
        if (err instanceof UsageError) throw new UsageError(`${where}: ${err.message}`);
        throw err;
      }
    }
    return { index, line, label: labelPath ? labelOf(value, labelPath, opts.labelKey as string, where) : `#${line}`, context: value };
  });
}

/**
 * --label KEY must name a string or number in every context: a missing or odd value is an error
 * naming the line, not a silent fallback to the line number, so a summary never mixes names.
 */
function labelOf(context: JsonObject, path: string[], key: string, where: string): string {
  let node: unknown = context;
  for (const part of path) node = isObject(node) && Object.hasOwn(node, part) ? node[part] : undefined;
  if (typeof node === 'number' && Number.isFinite(node)) return String(node);
  if (typeof node === 'string' && node.trim() !== '') return node;
  const found = node === undefined ? 'has no such key' : typeof node === 'string' ? 'is an empty string' : `is ${kindOf(node)}`;
  throw new UsageError(`${where}: --label ${key}: the context's ${key} ${found}`, 'label by a key whose value is a string or a number in every context');
}

function ndjsonLines(text: string, name: string, maxItems: number): Array<{ value: unknown; line: number }> {
  const out: Array<{ value: unknown; line: number }> = [];
  const lines = text.split('\n');
  for (const [i, rawLine] of lines.entries()) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') continue;
    if (out.length >= maxItems) throw tooMany(name, maxItems);
    try {
      out.push({ value: JSON.parse(line), line: i + 1 });
    } catch {
      const { offset, reason } = findJsonError(line);
      throw new UsageError(`${name}:${i + 1}: invalid JSON at column ${offset + 1}: ${reason}`, 'give one JSON object per line (NDJSON)');
    }
    const inexact = inexactNumberError(line, () => `${name}:${i + 1}`);
    if (inexact) throw inexact;
  }
  return out;
}

function arrayElements(text: string, name: string, maxItems: number): Array<{ value: unknown; line: number }> {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, reason } = parsed.problem;
    throw new UsageError(`${name}:${line}: invalid JSON at column ${column}: ${reason}`);
  }
  const value = parsed.value;
  if (!Array.isArray(value)) throw new UsageError(`${name}: a .json input must be an array of objects, not ${kindOf(value)}`, 'or give one JSON object per line (NDJSON)');
  if (value.length > maxItems) throw tooMany(name, maxItems);
  const inexact = inexactNumberError(text, (offset) => `${name}:${lineAndColumn(text, offset).line}`);
  if (inexact) throw inexact;
  const starts = elementLines(text);
  return value.map((v, i) => ({ value: v, line: starts[i] ?? 1 }));
}

/** The 1-based line where each top-level element of a (valid) JSON array starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (ch === '\n') line += 1;
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') {
      depth -= 1;
      expectElement = false;
    } else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}


const tooMany = (name: string, max: number) =>
  new UsageError(`${name} holds more than ${max} contexts, the limit of --each`, 'split the contexts over several runs of alto');
