import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without types
import { ambientIo } from '../../scripts/lint.mjs';

describe('style', () => {
  it('src/ reaches for no ambient I/O below cli.ts (console, process streams, env, exit, Date.now)', () => {
    expect(ambientIo()).toEqual([]);
  });
});
