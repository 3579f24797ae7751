import { describe, expect, it } from 'vitest';
import type { WorkflowLog, WorkflowRun } from '../../src/api/types.js';
import { jsonText, PRETTY_DEPTH } from '../../src/ui/json-text.js';
import { createPalette } from '../../src/ui/palette.js';
import { createWatchReporter } from '../../src/ui/reporters/create.js';
import type { ReporterContext } from '../../src/ui/reporters/reporter.js';
import { renderLog } from '../../src/ui/render-log.js';
import { renderFailureDigest } from '../../src/ui/render-outcome.js';
import { renderRunDetail } from '../../src/ui/render-run.js';
import { oneLine, safeJson } from '../../src/ui/format.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO } from '../helpers/test-io.js';

/** A pseudo-random JSON value (fixed seed): the ordinary values jsonText must match JSON.stringify on. */
function randomJson(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const build = (d: number): unknown => {
    const r = next();
    if (d > 5 || r < 0.35) {
      const p = next();
      if (p < 0.2) return null;
      if (p < 0.35) return next() < 0.5;
      if (p < 0.6) return (next() - 0.5) * 10 ** Math.floor(next() * 30 - 10);
      const chars = ['a', '"', '\\', '\n', '\u0000', '\u001b', '\u2028', '\ud800', '😀', 'é', '\u009b', '/', ' '];
      return Array.from({ length: Math.floor(next() * 8) }, () => chars[Math.floor(next() * chars.length)]).join('');
    }
    if (r < 0.65) return Array.from({ length: Math.floor(next() * 5) }, () => build(d + 1));
    const obj: Record<string, unknown> = {};
    const keys = ['id', '2', '10', '__proto__', 'toJSON', 'toString', '', 'ünï', '"q"'];
    for (let i = Math.floor(next() * 5); i > 0; i -= 1) obj[keys[Math.floor(next() * keys.length)] as string] = build(d + 1);
    return obj;
  };
  return build(depth);
}

/** A JSON text nested `depth` arrays/objects deep, as a server would send it. */
function deepText(depth: number): string {
  return `${'[{"a":'.repeat(depth)}"\\u001b]52;c;x\\u0007"${'}]'.repeat(depth)}`;
}

describe('jsonText', () => {
  it('is byte for byte JSON.stringify on ordinary values, compact and indented', () => {
    const samples: unknown[] = [null, 0, -0, 1e21, 1.5e-7, Number.NaN, Infinity, '', 'x', [], {}, [[]], { a: {} }, new Date(0), [undefined, () => 1], { u: undefined, f: () => 1, n: 1 }];
    for (let seed = 1; seed <= 400; seed += 1) samples.push(randomJson(seed), JSON.parse(JSON.stringify(randomJson(seed * 7))));
    samples.push(JSON.parse('{"__proto__":{"a":1},"toJSON":2,"toString":3,"valueOf":4}'));
    for (const v of samples) {
      for (const indent of [undefined, 0, 2, 4]) expect(jsonText(v, { indent })).toBe(JSON.stringify(v, null, indent));
    }
  });

  it('writes JSON nested 10,000 and 30,000 deep without a stack overflow, exactly', () => {
    for (const depth of [10_000, 30_000]) {
      const source = deepText(depth);
      const value = JSON.parse(source);
      // (JSON.stringify overflows the stack here on most V8 builds; jsonText must not, on any.)
      expect(jsonText(value)).toBe(source);
      const pretty = jsonText(value, { indent: 2 });
      // Indented to PRETTY_DEPTH, compact below: the same value, and bounded in size.
      expect(jsonText(JSON.parse(pretty))).toBe(source);
      expect(pretty.length).toBeLessThan(source.length + PRETTY_DEPTH * PRETTY_DEPTH * 6);
    }
  });

  it('writes a cycle as null instead of looping or throwing', () => {
    const v: Record<string, unknown> = { a: 1 };
    v.self = v;
    v.list = [v];
    expect(jsonText(v)).toBe('{"a":1,"self":null,"list":[null]}');
  });

  it('as a preview, stops at a depth and a length', () => {
    expect(jsonText(JSON.parse(deepText(5)), { maxDepth: 2 })).toBe('[{"a":[…]}]');
    const long = jsonText(Array.from({ length: 100_000 }, () => 'abcdef'), { maxChars: 100 });
    expect(long.length).toBe(100);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('deep step outputs in text mode', () => {
  const deep = JSON.parse(deepText(30_000));
  const log = { id: 'l1', node_id: 'n1', status: 'error', output: deep, created_at: '2025-10-31T12:00:00Z' } as WorkflowLog;
  const run = { id: 'r1', status: 'failed', error_message: 'x', logs: [log] } as WorkflowRun;
  const plain = createPalette(0);

  it('the one-line summary, --verbose, the failure digest and run get stay bounded', () => {
    expect(oneLine(deep).length).toBeLessThanOrEqual(4000);
    const [line] = renderLog(log, plain, { width: 80 });
    expect(line!.length).toBeLessThanOrEqual(80);
    const verbose = renderLog(log, plain, { verbose: true });
    expect(verbose.length).toBeLessThan(200);
    expect(verbose.every((l) => l.length < 200)).toBe(true);
    expect(verbose.join('\n')).toContain('[…]');
    expect(renderFailureDigest(run, plain).length).toBeLessThan(200);
    expect(renderRunDetail(run, plain, 0).length).toBeLessThan(20);
    expect(safeJson(deep, 2)).not.toContain('\u001b');
  });

  it('--json and --output ndjson write the deep run exactly as sent', () => {
    const source = `{"id":"r1","status":"failed","logs":[{"id":"l1","node_id":"n1","status":"error","output":${deepText(30_000)}}]}`;
    const value = JSON.parse(source) as WorkflowRun;
    const make = (kind: 'json' | 'ndjson') => {
      const io = createTestIO();
      const ctx: ReporterContext = { io, clock: new FakeClock(), palette: plain, errPalette: plain, watch: { timeoutMs: 1, strict: false, verbose: false }, width: 100 };
      return { io, reporter: createWatchReporter(kind, ctx) };
    };
    const json = make('json');
    json.reporter.finish({ outcome: 'failed', run: value }, 1);
    expect(jsonText(JSON.parse(json.io.stdout.text()))).toBe(source);

    const nd = make('ndjson');
    nd.reporter.events.onRun?.(value, undefined);
    nd.reporter.events.onLog?.(value.logs![0]!);
    nd.reporter.finish({ outcome: 'failed', run: value }, 1);
    const lines = nd.io.stdout.text().trimEnd().split('\n');
    expect(lines[0]).toBe('{"type":"run","run":{"id":"r1","status":"failed"}}');
    expect(lines[1]).toBe(`{"type":"log","log":${source.slice(source.indexOf('[{"id"') + 1, -2)}}`);
    expect(lines[2]).toBe(`{"type":"result","run":${source},"exit_code":1}`);
  });
});
