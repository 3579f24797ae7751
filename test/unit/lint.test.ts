import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// `npm run lint` runs in CI; this test keeps its config honest: a fixture breaks each rule once
// (the ambient-I/O rules below src/cli.ts, promises, switches) and every break must be reported,
// so narrowing a glob or dropping a rule fails here, not silently.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'lint', 'ambient-io.ts');

/** "line rule" for every line of the fixture marked `// expect: rule`. */
function expected(text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const m = /\/\/ expect: (\S+)/.exec(line);
    return m ? [`${i + 1} ${m[1]}`] : [];
  });
}

describe('npm run lint', () => {
  it('reports every rule the fixture breaks, on the line that breaks it, and nothing else', async () => {
    const eslint = new ESLint({ cwd: ROOT, ignore: false });
    const [result] = await eslint.lintFiles([FIXTURE]);
    const found = (result?.messages ?? []).map((m) => `${m.line} ${m.ruleId ?? m.message}`);
    const want = expected(readFileSync(FIXTURE, 'utf8'));
    expect(want.length).toBeGreaterThanOrEqual(12);
    expect(found.sort()).toEqual(want.sort());
  });
});
