// Builds dist/ twice and fails unless the two builds are byte-identical (no clock, no absolute
// path, no ordering left to chance in the output). Used by .ci/run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

function buildAndHash() {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the build failed');
  return Object.fromEntries(readdirSync(dist).sort().map((f) => [f, createHash('sha256').update(readFileSync(join(dist, f))).digest('hex')]));
}

try {
  const first = buildAndHash();
  const second = buildAndHash();
  const names = [...new Set([...Object.keys(first), ...Object.keys(second)])].sort();
  const differ = names.filter((f) => first[f] !== second[f]);
  if (differ.length > 0) {
    process.stderr.write(`reproducible: two builds of this tree differ in ${differ.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(`reproducible: two builds are byte-identical (${names.length} files in dist/)\n`);
} catch (err) {
  process.stderr.write(`reproducible: ${err.message}\n`);
  process.exit(1);
}
