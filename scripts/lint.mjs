// npm run lint: the rules a type checker cannot hold (../shared/STYLE.md, habit 2): no ambient
// I/O below src/cli.ts. Console, process streams, env, exit and the wall clock arrive through
// deps, so tests can replace them. Exits 1 listing every offending line.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const AMBIENT = /\bconsole\.\w+|\bprocess\.(exit|env|stdout|stderr|stdin|argv|on|once|off)\b|\bDate\.now\(|\bnew Date\(\)/;
const ALLOWED = new Set(['src/cli.ts']);

/** Every .ts file below dir. */
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** Lines of src/ that reach for ambient I/O, as "file:line: text". */
export function ambientIo() {
  const found = [];
  for (const path of files(join(root, 'src'))) {
    const name = relative(root, path).split('\\').join('/');
    if (ALLOWED.has(name)) continue;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (AMBIENT.test(code) && !/^\s*\*/.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = ambientIo();
  for (const line of found) console.error(line);
  if (found.length > 0) {
    console.error(`lint: ${found.length} line(s) of ambient I/O below src/cli.ts; take it from deps instead`);
    process.exit(1);
  }
  console.log('lint: no ambient I/O below src/cli.ts');
}
