// Issue 12.4: -F key=@-, exact big integers, @dir, malformed durations.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildContext as buildFrom, stdinSource, typedValue } from '../../src/input/context-input.js';
import type { InStream } from '../../src/deps.js';

const buildContext = (input: Parameters<typeof buildFrom>[0], get: () => InStream) => buildFrom(input, stdinSource(get));
import { UsageError } from '../../src/errors.js';
import { parseDuration } from '../../src/util/duration.js';
import { tempDir } from '../helpers/temp-dir.js';

const stdinOf = (text: string, isTTY = false) => {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean };
  s.isTTY = isTTY;
  s.end(text);
  return s;
};
const F = (raw: string) => ({ raw, typed: true });

describe('-F key=@- reads stdin', () => {
  it('takes the whole of stdin as the string value', async () => {
    const ctx = await buildContext({ fields: [F('body=@-'), F('n=1')] }, () => stdinOf('line 1\nline 2\n'));
    expect(ctx).toEqual({ body: 'line 1\nline 2\n', n: 1 });
  });

  it('refuses a second reader of stdin: --context - with @-, or two @-', async () => {
    const twice = buildContext({ source: '-', fields: [F('body=@-')] }, () => stdinOf('{}'));
    await expect(twice).rejects.toThrow(UsageError);
    await expect(buildContext({ source: '-', fields: [F('body=@-')] }, () => stdinOf('{}'))).rejects.toThrow('stdin is already read by --context -');
    await expect(buildContext({ fields: [F('a=@-'), F('b=@-')] }, () => stdinOf('x'))).rejects.toThrow('-F b=@- reads stdin, but stdin is already read');
  });

  it('refuses a terminal on stdin instead of waiting for it', async () => {
    await expect(buildContext({ fields: [F('a=@-')] }, () => stdinOf('', true))).rejects.toThrow('-F a=@- reads stdin, but stdin is a terminal');
  });

  it('is exit 2', async () => {
    const err = await buildContext({ fields: [F('a=@-'), F('b=@-')] }, () => stdinOf('x')).catch((e: unknown) => e);
    expect((err as UsageError).exitCode).toBe(2);
  });
});

describe('-F key=@dir', () => {
  it('says "is a directory" as --context dir does', async () => {
    const dir = tempDir('alto-field-dir-');
    await expect(buildContext({ fields: [F(`a=@${dir}`)] }, () => stdinOf(''))).rejects.toThrow(`cannot read ${dir} for field a: is a directory`);
    await expect(buildContext({ source: dir, fields: [] }, () => stdinOf(''))).rejects.toThrow(`cannot read context file ${dir}: is a directory`);
  });
});

describe('-F never rounds a number silently', () => {
  it.each([
    ['12345678901234567890', '12345678901234567890'],
    ['-9007199254740993', '-9007199254740993'],
    ['[1, {"id": 9007199254740993}]', '9007199254740993'],
    ['1e400', '1e400'],
  ])('refuses %s', (raw, number) => {
    expect(() => typedValue(raw, 'id')).toThrow(UsageError);
    expect(() => typedValue(raw, 'id')).toThrow(`-F id: the number ${number} would not be sent as written`);
  });

  it('hints a string for a bare number', () => {
    try {
      typedValue('12345678901234567890', 'id');
      expect.unreachable();
    } catch (err) {
      expect((err as UsageError).hint).toBe('send it as a string: -f id=12345678901234567890');
    }
  });

  it.each([
    ['9007199254740991', 9007199254740991],
    ['9007199254740992', 9007199254740992],
    ['-9007199254740991', -9007199254740991],
    ['1.5e3', 1500],
    ['0.1', 0.1],
    ['"12345678901234567890"', '12345678901234567890'],
    ['{"a":"x\\"12345678901234567890"}', { a: 'x"12345678901234567890' }],
    ['12345678901234567890abc', '12345678901234567890abc'],
  ])('keeps %s', (raw, value) => expect(typedValue(raw, 'id')).toEqual(value));
});

describe('durations are refused unless well formed', () => {
  it.each(['1m1m', '1s1s', '30m1h', '1s1m', '500ms1s', '1h1h30m', '1h30m1h'])('refuses %j', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(`invalid duration for --timeout: "${text}"`);
  });
  it.each([
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1m30s500ms', 90_500],
    ['1m90s', 150_000],
  ])('parses %s', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));
});
