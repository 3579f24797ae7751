import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildContext as buildFrom, stdinSource, parseContextJson, parseKeyPath, typedValue } from '../../src/input/context-input.js';
import { findJsonError, lineAndColumn } from '../../src/util/json-error.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

/** buildContext over a stdin made on first use. */
const buildContext = (input: Parameters<typeof buildFrom>[0], get: () => import('../../src/deps.js').InStream, signal?: AbortSignal) => buildFrom(input, stdinSource(get), signal);

const dir = tempDir('alto-ctx-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const stdinOf = (text: string, isTTY = false) => {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  s.isTTY = isTTY;
  s.end(text);
  return s;
};
const noStdin = () => stdinOf('');

describe('buildContext', () => {
  it('merges fields over the file, later ones winning, with nested keys', async () => {
    const path = file('ctx.json', JSON.stringify({ site: { id: 'a', region: 'eu' }, keep: true, n: 1 }));
    const ctx = await buildContext(
      {
        source: path,
        fields: [
          { raw: 'site.id=b', typed: false },
          { raw: 'n=2', typed: true },
          { raw: 'n=3', typed: false },
          { raw: 'deep[x][y]=z', typed: false },
        ],
      },
      noStdin,
    );
    expect(ctx).toEqual({ site: { id: 'b', region: 'eu' }, keep: true, n: '3', deep: { x: { y: 'z' } } });
  });

  it('reads the context from stdin with "-"', async () => {
    expect(await buildContext({ source: '-', fields: [] }, () => stdinOf('{"from":"stdin"}'))).toEqual({ from: 'stdin' });
  });

  it('-F parses JSON values and reads @file as text; -f keeps strings', async () => {
    const text = file('note.txt', 'hello\nworld');
    const ctx = await buildContext(
      {
        fields: [
          { raw: 'a=42', typed: true },
          { raw: 'b=true', typed: true },
          { raw: 'c=null', typed: true },
          { raw: 'd=[1,"x"]', typed: true },
          { raw: 'e={"k":1}', typed: true },
          { raw: 'f=not json', typed: true },
          { raw: `g=@${text}`, typed: true },
          { raw: 'h=42', typed: false },
          { raw: 'i=a=b', typed: false },
        ],
      },
      noStdin,
    );
    expect(ctx).toEqual({ a: 42, b: true, c: null, d: [1, 'x'], e: { k: 1 }, f: 'not json', g: 'hello\nworld', h: '42', i: 'a=b' });
  });

  it.each([
    ['a missing file', { source: join(dir, 'nope.json'), fields: [] }, /cannot read context file .*nope\.json: no such file/],
    ['a directory', { source: dir, fields: [] }, /is a directory/],
    ['a field without =', { fields: [{ raw: 'novalue', typed: false }] }, /invalid field for -f: "novalue"/],
    ['a field with an empty key', { fields: [{ raw: '=v', typed: true }] }, /invalid field for -F/],
    ['a bad nested key', { fields: [{ raw: 'a..b=1', typed: false }] }, /invalid field key "a..b"/],
    ['a prototype key', { fields: [{ raw: '__proto__.x=1', typed: false }] }, /invalid field key/],
    ['a value used as an object', { fields: [{ raw: 'a=1', typed: false }, { raw: 'a.b=2', typed: false }] }, /a is already a value/],
    ['a missing @file', { fields: [{ raw: `x=@${join(dir, 'none')}`, typed: true }] }, /cannot read .*none for field x/],
  ])('rejects %s with a usage error', async (_name, input, message) => {
    const err = await buildContext(input, noStdin).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses to read a context from a terminal', async () => {
    await expect(buildContext({ source: '-', fields: [] }, () => stdinOf('', true))).rejects.toThrow(/stdin is a terminal/);
  });

  it('Ctrl-C while waiting for stdin stops the wait at once', async () => {
    const open = new PassThrough() as PassThrough & { isTTY?: boolean };
    const controller = new AbortController();
    const pending = buildContext({ source: '-', fields: [] }, () => open, controller.signal);
    const reason = new Error('interrupted');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('says when stdin is empty', async () => {
    await expect(buildContext({ source: '-', fields: [] }, () => stdinOf('  \n'))).rejects.toThrow('the context from stdin is empty');
  });
});

describe('parseContextJson', () => {
  it('refuses a number the parse would change, naming the source, line and number; exact ones pass', () => {
    for (const [text, line, shown] of [
      ['{"n": 1e400}', 1, '1e400'],
      ['{\n "a": "1e400",\n "n": [1, -12345678901234567890123]\n}', 3, '-12345678901234567890123'],
      ['{"n": 9007199254740993}', 1, '9007199254740993'],
    ] as const) {
      expect(() => parseContextJson(text, 'ctx.json')).toThrow(new UsageError(`the context from ctx.json, line ${line}: the number ${shown} would not be sent as written (numbers are exact only up to 2^53, at most about 1.8e308)`, 'write it as a JSON string ("...") instead'));
    }
    expect(parseContextJson('{"a": 1e308, "b": 9007199254740992, "c": 0.1, "d": "99999999999999999999999"}', 'ctx.json')).toEqual({ a: 1e308, b: 9007199254740992, c: 0.1, d: '99999999999999999999999' });
  });

  it('names the file, line and column of a syntax error', () => {
    const err = (() => {
      try {
        parseContextJson('{\n  "a": 1,\n  "b": oops\n}', 'ctx.json');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.message).toMatch(/^invalid JSON in ctx\.json at line 3, column 8/);
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('rejects %s: the context must be an object', (text, kind) => {
    expect(() => parseContextJson(text, 'f.json')).toThrow(`the context from f.json must be a JSON object, not ${kind}`);
  });

  it('reports truncated JSON at its end', () => {
    expect(() => parseContextJson('{"a": [1, 2', 'cut.json')).toThrow(/line 1, column 12/);
  });
});

describe('helpers', () => {
  it.each([
    ['{"a":1,}', 7, /property name/],
    ["{'a':1}", 1, /property name/],
    ['{"a" 1}', 5, /expected ':'/],
    ['[1 2]', 3, /expected ',' or ']'/],
    ['{"a":tru}', 5, /unexpected "t"/],
    ['{"a":"x\\qy"}', 7, /bad escape/],
    ['{"a":1} x', 8, /after the JSON value/],
    ['{"a":"unterminated', 18, /unterminated string/],
    ['{"a":-}', 5, /unexpected "-"/],
  ])('finds where %s goes wrong', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    const found = findJsonError(text);
    expect(found.offset).toBe(offset);
    expect(found.reason).toMatch(reason);
  });
  it('stops past 1,000 levels with "nested too deep" (no stack overflow); a real error at 999 is still found', () => {
    const deep = findJsonError('{"a":' + '['.repeat(100_000));
    expect(deep.reason).toMatch(/nested too deep/);
    expect(deep.offset).toBe(1004); // the 1,001st opening bracket (the object is the first)
    const shallow = findJsonError('['.repeat(999) + 'x');
    expect(shallow).toEqual({ offset: 999, reason: 'unexpected "x"' });
  });
  it('turns an offset into line and column', () => {
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('abc', 0)).toEqual({ line: 1, column: 1 });
  });
  it('splits nested keys both ways', () => {
    expect(parseKeyPath('a.b.c')).toEqual(['a', 'b', 'c']);
    expect(parseKeyPath('a[b][c]')).toEqual(['a', 'b', 'c']);
    expect(parseKeyPath('a[b].c')).toEqual(['a', 'b', 'c']);
    expect(() => parseKeyPath('a[]')).toThrow(UsageError);
  });
  it('types -F values', () => {
    expect(typedValue('1.5')).toBe(1.5);
    expect(typedValue('false')).toBe(false);
    expect(typedValue('{oops')).toBe('{oops');
  });
});
