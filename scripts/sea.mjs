// npm run sea: alto as one self-contained Linux x64 executable (Node's single-executable
// applications), with V8's code cache built in. The Node inside comes from the npm registry
// (scripts/ci-node.mjs): Node 26's `--build-sea`, else Node 24 with postject (a devDependency).
//   node scripts/sea.mjs [--out FILE]     default: dist-sea/alto
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildSingleFile, root } from './build.mjs';
import { fetchNode } from './ci-node.mjs';

const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, 'dist-sea', 'alto'));
const work = join(root, '.tmp', 'sea');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(dirname(out), { recursive: true });
rmSync(out, { force: true });

// SEA runs exactly one CommonJS script whose require() sees only Node's own modules.
const main = join(work, 'alto-sea.cjs');
await buildSingleFile(main);
const config = { main, output: out, useCodeCache: true, disableExperimentalSEAWarning: true };

const run = (cmd, args) => execFileSync(cmd, args, { cwd: work, stdio: ['ignore', 'inherit', 'inherit'] });
let how;
try {
  const node26 = fetchNode(26);
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config));
  run(node26, ['--build-sea', join(work, 'sea-config.json')]);
  how = `Node ${execFileSync(node26, ['--version'], { encoding: 'utf8' }).trim()} --build-sea`;
} catch (err) {
  process.stderr.write(`sea: Node 26 --build-sea failed (${err.message.split('\n')[0]}); using Node 24 and postject\n`);
  const node24 = fetchNode(24);
  const blob = join(work, 'sea-prep.blob');
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({ ...config, output: blob }));
  run(node24, ['--experimental-sea-config', join(work, 'sea-config.json')]);
  copyFileSync(node24, out);
  chmodSync(out, 0o755);
  run(process.execPath, [join(root, 'node_modules', 'postject', 'dist', 'cli.js'), out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2']);
  how = `Node ${execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim()} + postject`;
}
const version = execFileSync(out, ['--version'], { encoding: 'utf8', env: {} }).trim();
process.stdout.write(`sea: ${out} (alto ${version}, ${how})\n`);
