import { rmSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeScratch } from '../../scripts/test-scratch.mjs';
import { tempDir } from '../helpers/temp-dir.js';

// npm test's TMPDIR for the suite (scripts/test.mjs). A TMPDIR that did not exist ended npm test
// with a Node stack trace instead of its "N passed, N failed" line.
describe('makeScratch (npm test)', () => {
  const base = tempDir('alto-scratch-');

  it('makes a 0755 directory in the first base that works, skipping a missing one', () => {
    const dir = makeScratch([join(base, 'missing'), undefined, base]);
    expect(dir.startsWith(join(base, 'alto-test-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    rmSync(dir, { recursive: true });
  });

  it('returns an absolute path for a relative TMPDIR (the suite runs in other directories)', () => {
    const dir = makeScratch([relative(process.cwd(), base)]);
    expect(isAbsolute(dir)).toBe(true);
    expect(dir.startsWith(join(base, 'alto-test-'))).toBe(true);
    rmSync(dir, { recursive: true });
  });

  it('throws one line naming each base and why, when none works', () => {
    const missing = join(base, 'missing');
    expect(() => makeScratch([missing, ''])).toThrow(new Error(`cannot make a scratch directory (${missing}: ENOENT)`));
  });
});
