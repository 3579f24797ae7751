// npm test: builds what the end-to-end tests spawn, runs the whole vitest suite, and prints
// the plain "N passed, N failed" line that CI's parser reads (it does not know vitest's summary).
// The suite runs with TMPDIR set to a fresh directory of its own: whatever a test (or an alto it
// spawned) leaves in there fails the run, and is removed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeScratch } from './test-scratch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, env = process.env) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env }).status ?? 1;

if (run(process.execPath, [join(root, 'scripts/build.mjs')]) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = join(root, '.tmp', 'vitest-report.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true });
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
// os.tmpdir() reads TMPDIR, in vitest's workers and in every alto the tests spawn (their helpers
// pass it on). A TMPDIR that is missing or not writable: /tmp instead, said on one line.
let scratch;
try {
  scratch = makeScratch([tmpdir(), process.platform === 'win32' ? undefined : '/tmp']);
} catch (err) {
  console.log(`npm test: ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (dirname(scratch) !== resolve(tmpdir())) console.log(`npm test: TMPDIR ${tmpdir()} is not usable; the suite's scratch directory is ${scratch}`);
// Ctrl-C reaches vitest too (one process group): this script stays to clean up and report.
process.on('SIGINT', () => {});
const status = run(process.execPath, [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { ...process.env, TMPDIR: scratch });
let leftovers = [];
let unremoved = '';
try {
  leftovers = readdirSync(scratch).sort();
  rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
} catch (err) {
  unremoved = `cannot remove ${scratch}: ${err.code ?? err.message}`;
}

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests;
  // A file that failed to load has no failed test of its own: count it once, and never a file
  // twice for the tests already counted in it.
  const brokenFiles = (r.testResults ?? []).filter((t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = r.numFailedTests + brokenFiles;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
if (leftovers.length > 0 || unremoved) {
  // One line, and one failure more, so that CI's parser of the line below sees it too.
  const named = `${leftovers.slice(0, 5).join(', ')}${leftovers.length > 5 ? ', ...' : ''}`;
  const left = leftovers.length > 0 ? `the suite left ${leftovers.length} entr${leftovers.length === 1 ? 'y' : 'ies'} in its TMPDIR${unremoved ? '' : ' (removed)'}: ${named}` : '';
  console.log(`npm test: ${[left, unremoved].filter(Boolean).join('; ')}`);
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status === 0 && failed === 0 && passed > 0 ? 0 : 1);
