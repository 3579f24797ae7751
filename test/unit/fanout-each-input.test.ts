import { describe, expect, it } from 'vitest';
import { parseField } from '../../src/input/context-input.js';
import { UsageError } from '../../src/errors.js';
import { parseEachInput, type ParsedField } from '../../src/input/each-input.js';

const fail = (text: string, opts: Parameters<typeof parseEachInput>[1]): string => {
  try {
    parseEachInput(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

async function fields(...raws: Array<[string, boolean]>): Promise<ParsedField[]> {
  return Promise.all(raws.map(async ([raw, typed]) => ({ ...(await parseField({ raw, typed })), raw })));
}

describe('--each input', () => {
  it('a number the parse would change is refused with FILE:LINE and the number, NDJSON and .json alike', () => {
    expect(fail('{"a":1}\n\n{"b":1e999}\n', { source: 'sites.ndjson' })).toMatch(/^sites\.ndjson:3: the number 1e999 would not be sent as written/);
    expect(fail('[\n{"a":1},\n{"b":\n 123456789012345678901}]', { source: 'sites.json' })).toMatch(/^sites\.json:4: the number 123456789012345678901 would not be sent as written/);
    expect(parseEachInput('{"a":"1e999","b":1e300}\n', { source: 'f' })[0]?.context).toEqual({ a: '1e999', b: 1e300 });
  });

  it('reads NDJSON, skipping blank lines, with line numbers and #line labels', () => {
    const items = parseEachInput('{"a":1}\n\n  \r\n{"a":2}\r\n{"a":3}\n', { source: 'sites.ndjson' });
    expect(items).toEqual([
      { index: 0, line: 1, label: '#1', context: { a: 1 } },
      { index: 1, line: 4, label: '#4', context: { a: 2 } },
      { index: 2, line: 5, label: '#5', context: { a: 3 } },
    ]);
  });

  it('reads a JSON array for a .json name or text starting with [, naming each element by its start line', () => {
    const text = '[\n  {"a": 1},\n  {\n    "a": [1, {"x": "],"}]\n  }, {"a": 3}\n]';
    const items = parseEachInput(text, { source: 'sites.json' });
    expect(items.map((i) => [i.line, i.context])).toEqual([[2, { a: 1 }], [3, { a: [1, { x: '],' }] }], [5, { a: 3 }]]);
    expect(parseEachInput(' [{"b":1}]', { source: '-' })[0]?.context).toEqual({ b: 1 });
    expect(fail('{"a":1}', { source: 'x.json' })).toBe('x.json: a .json input must be an array of objects, not a object');
  });

  it('names FILE:LINE and the column of a JSON error; stdin is "stdin"', () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i === 22 ? '{"site": "s23",}' : `{"site": "s${i + 1}"}`)).join('\n');
    expect(fail(lines, { source: 'sites.ndjson' })).toBe(`sites.ndjson:23: invalid JSON at column 16: expected a property name in double quotes, found "}"`);
    expect(fail('{"a":1}\n{"a":', { source: '-' })).toMatch(/^stdin:2: invalid JSON at column 6: unexpected end of input$/);
    expect(fail('[\n{"a":1},\n{"a" 2}\n]', { source: 'x.json' })).toMatch(/^x\.json:3: invalid JSON at column 6: expected ':'/);
  });

  it('refuses a line that is not an object, and an input without contexts', () => {
    expect(fail('{"a":1}\n[1]\n', { source: 'f' })).toBe('f:2: each context must be a JSON object, not an array');
    expect(fail('{"a":1}\n"s"\n', { source: 'f' })).toBe('f:2: each context must be a JSON object, not a string');
    expect(fail('[{"a":1}, null]', { source: 'f.json' })).toBe('f.json:1: each context must be a JSON object, not null');
    expect(fail('\n \n', { source: 'f' })).toBe('f holds no contexts');
    expect(fail('[]', { source: 'f.json' })).toBe('f.json holds no contexts');
  });

  it('is bounded: item count, bytes and depth, and says so', () => {
    expect(fail('{}\n{}\n{}\n', { source: 'f', maxItems: 2 })).toBe('f holds more than 2 contexts, the limit of --each');
    expect(fail('[{},{},{}]', { source: 'f.json', maxItems: 2 })).toBe('f.json holds more than 2 contexts, the limit of --each');
    expect(parseEachInput('{}\n{}\n', { source: 'f', maxItems: 2 })).toHaveLength(2);
    expect(fail('{"a":"xxxxxxxx"}', { source: 'f', maxBytes: 10 })).toBe('f is larger than 10 bytes, the limit of --each');
    expect(fail(`${'{"a":'.repeat(300)}1${'}'.repeat(300)}`, { source: 'f' })).toBe('f:1: the context is nested deeper than 256 levels');
    const big = `{"a":"${'x'.repeat(10 * 1024 * 1024)}"}`;
    expect(fail(big, { source: 'f' })).toBe('f is larger than 10 MiB, the limit of --each');
  });

  it('merges -f/-F over every line, later fields winning, without sharing objects between lines', async () => {
    const f = await fields(['env=prod', false], ['opts={"dry":true}', true], ['opts.level=2', true]);
    const items = parseEachInput('{"site":"a","env":"dev"}\n{"site":"b","opts":{"x":1}}', { source: 'f', fields: f });
    expect(items.map((i) => i.context)).toEqual([
      { site: 'a', env: 'prod', opts: { dry: true, level: 2 } },
      { site: 'b', env: 'prod', opts: { dry: true, level: 2 } },
    ]);
    expect(items[0]?.context.opts).not.toBe(items[1]?.context.opts);
    const clash = await fields(['site.id=1', false]);
    expect(fail('{"site":"a"}', { source: 'f', fields: clash })).toBe('f:1: field "site.id=1": site is already a value, not an object');
  });

  it('--label KEY names runs by a string or number (nested keys too), and a missing one is an error naming the line', () => {
    const items = parseEachInput('{"site_id":"s-1"}\n{"site_id":42}\n', { source: 'f', labelKey: 'site_id' });
    expect(items.map((i) => i.label)).toEqual(['s-1', '42']);
    expect(parseEachInput('{"a":{"b":"deep"}}', { source: 'f', labelKey: 'a.b' })[0]?.label).toBe('deep');
    expect(fail('{"site_id":"s-1"}\n{"name":"x"}', { source: 'f', labelKey: 'site_id' })).toBe("f:2: --label site_id: the context's site_id has no such key");
    expect(fail('{"site_id":{"x":1}}', { source: 'f', labelKey: 'site_id' })).toBe("f:1: --label site_id: the context's site_id is a object");
    expect(fail('{"site_id":""}', { source: 'f', labelKey: 'site_id' })).toBe("f:1: --label site_id: the context's site_id is an empty string");
  });
});
