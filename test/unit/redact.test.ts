import { describe, expect, it } from 'vitest';
import { redact } from '../../src/util/redact.js';

const T = 'wfk_secret_abcdef123456';

describe('redact', () => {
  it('masks the whole token', () => {
    expect(redact(`a ${T} b`, [T])).toBe('a *** b');
  });
  it.for([`x${T.slice(0, 22)}…`, `x${T.slice(0, 12)}... (900 chars)`, `"${T.slice(0, 8)}"`, T.slice(0, 15)])('masks a cut head of the token: %s', (text) => {
    expect(redact(text, [T])).not.toContain(T.slice(0, 8));
    expect(redact(text, [T])).toContain('***');
  });
  it('leaves text with fewer than 8 leading characters of it, and other text, alone', () => {
    expect(redact('wfk_sec wfk_secRET hello', [T])).toBe('wfk_sec wfk_secRET hello');
  });
  it('masks every cut head, longest match each time', () => {
    expect(redact(`${T.slice(0, 9)}Z ${T.slice(0, 20)}`, [T])).toBe('***Z ***');
  });
});
