import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every temp directory a test makes comes from here, and test/setup/remove-temp-dirs.ts removes
// them all after each test file (npm test fails when anything is left in its TMPDIR).
const made = new Set<string>();

/** A fresh directory under os.tmpdir(), removed after this test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every directory tempDir has made so far (and what is inside them). */
export function removeTempDirs(): void {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    made.delete(dir);
  }
}
