// JSON text without recursion: a value nested 100,000 deep (which makes JSON.stringify throw
// "Maximum call stack size exceeded") is written with an explicit stack instead.

export interface JsonTextOptions {
  /** Spaces per level, as JSON.stringify's third argument (0: compact). */
  indent?: number;
  /**
   * Containers deeper than this are written compact (the same JSON value, on one line), so a
   * pretty document stays bounded: pretty-printing 100,000 levels would be ~20 GB of blanks.
   */
  prettyDepth?: number;
  /** Containers deeper than this are written as "[…]" / "{…}" (previews only: not JSON any more). */
  maxDepth?: number;
  /** Stop once this many characters are written; the text then ends in "…" (previews only). */
  maxChars?: number;
}

/** How deep --json output is indented before deeper levels are written compact. */
export const PRETTY_DEPTH = 100;

const SKIP = Symbol('skip');

interface Frame {
  value: unknown[] | Record<string, unknown>;
  keys: string[] | undefined; // undefined for an array
  next: number;
  written: number;
  depth: number;
}

/** JSON.stringify's view of a value: toJSON applied, boxed primitives unwrapped, SKIP for what it leaves out. */
function prepare(value: unknown, key: string): unknown {
  let v = value;
  if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
    try {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = toJSON.call(v, key);
    } catch {
      return null;
    }
  }
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  if (v instanceof Boolean) return v.valueOf();
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return SKIP;
  return v;
}

function primitive(v: unknown, room: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  // A preview needs only the start of a long string.
  if (typeof v === 'string') return JSON.stringify(v.length > room ? v.slice(0, room) : v);
  return 'null'; // a BigInt: JSON.stringify would throw; a server's JSON never holds one
}

/**
 * JSON text of a value, byte for byte what JSON.stringify(value, null, indent) gives for any
 * value JSON.parse can produce (and for Dates, toJSON, boxed primitives), at any depth and
 * without throwing. Where JSON.stringify would throw (a cycle, a BigInt) it writes null; a
 * top-level value JSON.stringify leaves out (undefined, a function) gives "null" too. With
 * maxDepth/maxChars it is a bounded preview, not JSON.
 */
export function jsonText(value: unknown, opts: JsonTextOptions = {}): string {
  const indent = Math.max(0, Math.min(10, Math.floor(opts.indent ?? 0)));
  const prettyDepth = opts.prettyDepth ?? PRETTY_DEPTH;
  const maxDepth = opts.maxDepth ?? Infinity;
  const maxChars = opts.maxChars ?? Infinity;
  const out: string[] = [];
  let size = 0;
  const write = (s: string) => {
    out.push(s);
    size += s.length;
  };
  const stack: Frame[] = [];
  const open = new Set<object>(); // containers being written: a value met again inside itself is a cycle
  const pretty = (depth: number) => indent > 0 && depth <= prettyDepth;
  const newline = (depth: number) => `\n${' '.repeat(indent * depth)}`;

  const writeValue = (v: unknown, depth: number) => {
    if (typeof v !== 'object' || v === null) {
      write(primitive(v, maxChars - size + 1));
      return;
    }
    const isArray = Array.isArray(v);
    if (open.has(v)) {
      write('null');
      return;
    }
    if (depth >= maxDepth) {
      const empty = isArray ? v.length === 0 : Object.keys(v).length === 0;
      write(isArray ? (empty ? '[]' : '[…]') : empty ? '{}' : '{…}');
      return;
    }
    write(isArray ? '[' : '{');
    open.add(v);
    stack.push({
      value: v as unknown[] | Record<string, unknown>,
      keys: isArray ? undefined : Object.keys(v),
      next: 0,
      written: 0,
      depth,
    });
  };

  writeValue(prepare(value, '') === SKIP ? null : prepare(value, ''), 0);
  while (stack.length > 0 && size <= maxChars) {
    const f = stack[stack.length - 1] as Frame;
    const inner = f.depth + 1;
    if (f.keys === undefined) {
      const list = f.value as unknown[];
      if (f.next < list.length) {
        const i = f.next++;
        const item = prepare(list[i], String(i));
        if (f.written++ > 0) write(',');
        if (pretty(inner)) write(newline(inner));
        writeValue(item === SKIP ? null : item, inner);
        continue;
      }
    } else if (f.next < f.keys.length) {
      const key = f.keys[f.next++] as string;
      const item = prepare((f.value as Record<string, unknown>)[key], key);
      if (item === SKIP) continue;
      if (f.written++ > 0) write(',');
      if (pretty(inner)) write(newline(inner));
      write(JSON.stringify(key));
      write(pretty(inner) ? ': ' : ':');
      writeValue(item, inner);
      continue;
    }
    if (f.written > 0 && pretty(inner)) write(newline(f.depth));
    write(f.keys === undefined ? ']' : '}');
    open.delete(f.value);
    stack.pop();
  }
  const text = out.join('');
  if (size <= maxChars) return text;
  return `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}
