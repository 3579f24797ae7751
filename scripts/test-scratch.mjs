// npm test's scratch directory (scripts/test.mjs): the TMPDIR of the whole suite.
import { chmodSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A fresh `alto-test-*` directory (0755: some tests run alto as another uid inside it) in the
 * first of `bases` where one can be made, as an absolute path (vitest and the altos it spawns
 * run in other working directories, so a relative TMPDIR would point elsewhere for them). Throws
 * one line naming each base and why it was refused.
 */
export function makeScratch(bases) {
  const refused = [];
  for (const base of bases) {
    if (!base) continue;
    try {
      const dir = mkdtempSync(join(resolve(base), 'alto-test-'));
      chmodSync(dir, 0o755);
      return dir;
    } catch (err) {
      refused.push(`${base}: ${err.code ?? err.message}`);
    }
  }
  throw new Error(`cannot make a scratch directory (${refused.join('; ') || 'no directory to try'})`);
}
