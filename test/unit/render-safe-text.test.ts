import { describe, expect, it } from 'vitest';
import { safeStyled, safeText } from '../../src/ui/safe-text.js';
import { oneLine, text, truncate, visibleWidth } from '../../src/ui/format.js';
import { renderTable } from '../../src/ui/table.js';
import { createPalette } from '../../src/ui/palette.js';

const M = '\ufffd';

describe('safeText', () => {
  it('makes every terminal control visible as U+FFFD', () => {
    expect(safeText('a\u001b[31mred')).toBe(`a${M}[31mred`);
    expect(safeText('\u001b]8;;https://x\u0007link\u001b]8;;\u0007')).toBe(`${M}]8;;https://x${M}link${M}]8;;${M}`);
    expect(safeText('\u001b]52;c;ZXZpbA==\u0007')).toBe(`${M}]52;c;ZXZpbA==${M}`);
    expect(safeText('\u009b2J \u0085 \u009d0;t\u009c')).toBe(`${M}2J ${M} ${M}0;t${M}`);
    expect(safeText('over\rwrite del\u007f nul\u0000')).toBe(`over${M}write del${M} nul${M}`);
  });

  it('removes the power of bidi controls and line separators', () => {
    for (const ch of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', '\u2028', '\u2029']) {
      expect(safeText(`a${ch}b`)).toBe(`a${M}b`);
    }
  });

  it('makes invisible characters visible: zero-width, word joiner, BOM, tags (one mark per tag), both modes', () => {
    for (const ch of ['\u200b', '\u200c', '\u200d', '\u180e', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u{e0000}', '\u{e0001}', '\u{e0041}', '\u{e007f}']) {
      expect(safeText(`a${ch}b`)).toBe(`a${M}b`);
      expect(safeText(`a${ch}b\nc`, { multiline: true })).toBe(`a${M}b\nc`);
    }
    // Tags spell hidden ASCII ("ign"): each becomes one mark; a neighbour of the tag block stays.
    expect(safeText('ok\u{e0069}\u{e0067}\u{e006e}end')).toBe(`ok${M}${M}${M}end`);
    expect(safeText('\u{e0100}')).toBe('\u{e0100}');
    // The soft hyphen is kept, and so is a family emoji's every other part.
    expect(safeText('co\u00adop')).toBe('co\u00adop');
    expect(safeText('👨\u200d👩')).toBe(`👨${M}👩`);
  });

  it('replaces lone surrogates but keeps real pairs and ordinary Unicode', () => {
    expect(safeText('x\ud800y\udfffz')).toBe(`x${M}y${M}z`);
    expect(safeText('\udfff\ud800')).toBe(`${M}${M}`);
    expect(safeText('ok 😀 ünïcødé 日本 עברית')).toBe('ok 😀 ünïcødé 日本 עברית');
  });

  it('keeps newline and tab only when the caller allows several lines', () => {
    expect(safeText('a\nb\tc')).toBe(`a${M}b${M}c`);
    expect(safeText('a\r\nb\tc\rd', { multiline: true })).toBe(`a\nb\tc${M}d`);
  });

  it('breaks CI workflow commands', () => {
    expect(safeText('::add-mask::x')).toBe(`${M}:add-mask::x`);
    expect(safeText('ok\n  ::set-output name=a::b', { multiline: true })).toBe(`ok\n  ${M}:set-output name=a::b`);
    expect(safeText('see ##vso[task.setvariable variable=x]1 and ##[group]g')).toBe(`see ${M}#vso[task.setvariable variable=x]1 and ${M}#[group]g`);
    expect(safeText('--- :rocket: deploy\n+++ open', { multiline: true })).toBe(`${M}-- :rocket: deploy\n${M}++ open`);
    expect(safeText('a::b -- x')).toBe('a::b -- x');
  });

  it('gives numbers and booleans as text and nothing for other values', () => {
    expect(safeText(42)).toBe('42');
    expect(safeText(false)).toBe('false');
    expect(safeText(null)).toBe('');
    expect(safeText(JSON.parse('{"toString":1}'))).toBe('');
  });

  it('is linear: megabytes of hostile text in well under a second', () => {
    const big = '\u001b[31m\u202eab\ud800'.repeat(200_000); // 1.6 M code units
    const start = performance.now();
    const out = safeText(big, { multiline: true });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(out.length).toBe(big.length);
    expect(out.includes('\u001b')).toBe(false);
  });

  it('safeStyled keeps only the palette\'s own colour codes', () => {
    expect(safeStyled('\u001b[1mrun\u001b[22m \u001b[8mx\u001b]0;t\u0007')).toBe(`\u001b[1mrun\u001b[22m ${M}[8mx${M}]0;t${M}`);
  });
});

describe('bounded one-line text', () => {
  it('a huge string or array becomes a bounded summary', () => {
    expect(oneLine('x'.repeat(5_000_000)).length).toBeLessThanOrEqual(4000);
    expect(oneLine(Array.from({ length: 200_000 }, (_, i) => i)).length).toBeLessThanOrEqual(4000);
    expect(oneLine('a\n\n  b\tc')).toBe('a b c');
    expect(text('y'.repeat(100_000), '', 50)).toBe(`${'y'.repeat(49)}…`);
    expect(text('a\r\nb')).toBe('a b');
  });

  it('measures wide characters as two columns and cuts to a width', () => {
    expect(visibleWidth('日本語')).toBe(6);
    expect(visibleWidth('e\u0301')).toBe(1);
    expect(truncate('日本語テキスト', 7)).toBe('日本語…');
    expect(visibleWidth(truncate('日本語テキスト', 7))).toBeLessThanOrEqual(7);
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('a table aligns wide values and cuts an overlong cell', () => {
    const lines = renderTable(
      ['ID', 'NAME', 'LAST'],
      [
        ['日本', 'x'.repeat(500), 'end'],
        ['ab', 'y', 'end'],
      ],
      createPalette(0),
    );
    expect(lines.map((l) => l.indexOf('end') === -1 ? -1 : visibleWidth(l.slice(0, l.indexOf('end'))))).toEqual([-1, 68, 68]);
    expect(lines[1]).toContain('…');
    expect(lines[0]).toBe('ID    NAME' + ' '.repeat(58) + 'LAST');
  });
});
