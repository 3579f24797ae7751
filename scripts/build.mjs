// Builds dist/: a small CommonJS entry (answers --version, loads the rest), one bundle with
// commander and alto's own code, and one file per heavy dependency (undici, ora, conf), required
// only when a command needs it. bin/alto.js enables Node's compile cache before loading them.
// The output depends only on the tree: no clock, no absolute path (scripts/check-reproducible.mjs).
//   node scripts/build.mjs                       the build
//   node scripts/build.mjs --without=node:http2  the same without one stand-in (for npm run bench)
//   node scripts/build.mjs --action [--out=FILE] action/index.cjs, the GitHub Action (npm run build:action)
//   node scripts/build.mjs --check-action        fails when the committed action/index.cjs is stale
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eagerModuleBodies } from './eager-bodies.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vendors = ['undici', 'ora', 'conf'];

/** Imports of src/vendor/<name>.js stay outside the bundle that imports them. */
const splitVendors = {
  name: 'split-vendors',
  setup(b) {
    b.onResolve({ filter: /\/vendor\/(undici|ora|conf)\.js$/ }, (args) => {
      const name = args.path.match(/vendor\/(\w+)\.js$/)[1];
      return { path: `./vendor-${name}.cjs`, external: true };
    });
  },
};

/**
 * Two modules conf pulls in act at load, and alto needs neither, so the conf bundle gets no-ops:
 *  - when-exit (through atomically) adds once-listeners for SIGINT, SIGTERM, SIGHUP and 14 more
 *    signals that re-raise the signal: beside alto's own handler one Ctrl-C would count as two.
 *    atomically removes its temp file in its own `finally`, and alto's writes are synchronous.
 *  - env-paths calls os.homedir(), which throws for a uid without a passwd entry and no HOME
 *    (`docker run --user 54321`): login would crash although ALTO_CONFIG_DIR is set. alto always
 *    passes conf a `cwd`, so conf never calls it.
 */
const CONF_STUBS = {
  'when-exit': 'export default function whenExit() { return () => {}; }',
  'env-paths': "export default function envPaths() { throw new Error('alto passes conf a cwd'); }",
};
const confStubs = {
  name: 'conf-stubs',
  setup(b) {
    b.onResolve({ filter: /^(when-exit|env-paths)$/ }, (args) => ({ path: args.path, namespace: 'conf-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'conf-stub' }, (args) => ({ loader: 'js', contents: CONF_STUBS[args.path] }));
  },
};

/** The process entry (cli.ts) reaches the rest of alto (main.ts) through a second file. */
const splitMain = {
  name: 'split-main',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) =>
      args.importer.endsWith('cli.ts') ? { path: './alto-main.cjs', external: true } : undefined,
    );
  },
};

/**
 * Stand-ins for Node modules undici requires at load but alto's requests never use; each keeps
 * what undici reads at load and loads the real module on first use. Kept only where it saves
 * >= 5 ms on `alto wf execute -q` (`npm run bench -- --stand-ins`; README, Performance):
 *  - node:http2 (8-20 ms on Node 20 and 24): constants for the HTTP/2 client (alto never enables
 *    HTTP/2), connect() lazily.
 * Dropped, ~1-1.5 ms each: node:http, node:assert, node:perf_hooks, commander's child_process.
 * `checkStandIns` fails the build if a new undici uses more of a kept one.
 */
export const STAND_INS = {
  'node:http2': async () => {
    const { constants } = await import('node:http2');
    return `module.exports = { constants: ${JSON.stringify(constants)}, connect: (...args) => require('http2').connect(...args) };`;
  },
};
/** What undici may use of each stand-in: its bindings and the members read through them. */
const STAND_IN_USE = {
  'node:http2': { bindings: ['http2'], members: { http2: ['connect', 'constants'] } },
};

function undiciStandIns(names) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[^\w:]/g, '')).join('|')})$`);
  return {
    name: 'undici-stand-ins',
    setup(b) {
      if (names.length === 0) return;
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'stand-in' }));
      b.onLoad({ filter: /.*/, namespace: 'stand-in' }, async (args) => ({ loader: 'js', contents: await STAND_INS[args.path]() }));
    },
  };
}

/** Fails when undici uses more of a stand-in's module than the stand-in covers. */
async function checkStandIns(names) {
  const { outputFiles } = await build({ ...common, write: false, entryPoints: [join(root, 'src/vendor/undici.ts')], outfile: 'check.cjs' });
  const code = outputFiles[0].text;
  for (const module of names) {
    const found = [...code.matchAll(new RegExp(`(\\{[^}]*\\}|\\w+) = require\\("${module}"\\)`, 'g'))];
    const got = [...new Set(found.map((m) => m[1].replace(/\s+/g, ' ')))].sort();
    const want = [...STAND_IN_USE[module].bindings].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`build: undici now requires ${module} as ${JSON.stringify(got)}; review its stand-in`);
    for (const [name, ok] of Object.entries(STAND_IN_USE[module].members)) {
      const used = new Set([...code.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1]));
      const extra = [...used].filter((m) => !ok.includes(m));
      if (extra.length > 0) throw new Error(`build: undici now uses ${name}.${extra.join(`, ${name}.`)}; review its stand-in`);
    }
  }
}

export const common = {
  absWorkingDir: root, // the paths esbuild writes in comments do not depend on where it is run
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  format: 'cjs',
  // import() of another dist file becomes a plain require: CommonJS loads faster than the ESM loader.
  supported: { 'dynamic-import': false },
  legalComments: 'none',
  logLevel: 'warning',
  // ESM packages that read import.meta.url get a CommonJS equivalent.
  define: { 'import.meta.url': 'importMetaUrl', __ALTO_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/** dist/ as users run it; `without` lists stand-ins to leave out (measurement only). */
export async function buildDist({ without = [] } = {}) {
  const standIns = Object.keys(STAND_INS).filter((n) => !without.includes(n));
  await checkStandIns(standIns);
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src/cli.ts')],
      outfile: join(root, 'dist/alto.cjs'),
      plugins: [splitMain],
      // No import.meta shim here: the entry imports no package, and --version should run nothing it can skip.
      define: { __ALTO_VERSION__: JSON.stringify(pkg.version) },
      banner: {},
    }),
    build({ ...common, minify: true, entryPoints: [join(root, 'src/main.ts')], outfile: join(root, 'dist/alto-main.cjs'), plugins: [splitVendors] }),
    ...vendors.map((name) =>
      build({
        ...common,
        minify: true,
        plugins: name === 'undici' ? [undiciStandIns(standIns)] : name === 'conf' ? [confStubs] : [],
        entryPoints: [join(root, `src/vendor/${name}.ts`)],
        outfile: join(root, `dist/vendor-${name}.cjs`),
      }),
    ),
  ]);
  // Module bodies compiled with their file, so the compile cache keeps them (scripts/eager-bodies.mjs).
  // ora is ES modules only (esbuild inlines them: no module functions); the others must have some,
  // or esbuild changed the shape of its helpers and the step silently stopped paying.
  for (const file of ['alto-main.cjs', ...vendors.map((name) => `vendor-${name}.cjs`)]) {
    const path = join(root, 'dist', file);
    const { code, wrapped } = eagerModuleBodies(readFileSync(path, 'utf8'), file);
    if (wrapped === 0 && file !== 'vendor-ora.cjs') throw new Error(`build: found no module functions to compile eagerly in dist/${file}; review scripts/eager-bodies.mjs`);
    writeFileSync(path, code);
  }
}

/** One self-contained CommonJS file (Node's single-executable support runs exactly one script). */
export async function buildSingleFile(outfile) {
  const standIns = Object.keys(STAND_INS);
  await checkStandIns(standIns);
  await build({ ...common, minify: true, entryPoints: [join(root, 'src/cli.ts')], outfile, plugins: [undiciStandIns(standIns), confStubs] });
  // The binary's code cache (useCodeCache) then holds the module bodies too.
  const { code, wrapped } = eagerModuleBodies(readFileSync(outfile, 'utf8'), outfile);
  if (wrapped === 0) throw new Error(`build: found no module functions to compile eagerly in ${outfile}; review scripts/eager-bodies.mjs`);
  writeFileSync(outfile, code);
}

/** The GitHub Action's entry (action.yml `runs.main`): one self-contained file, committed, since
 * the runner runs the repository as checked out (no install, no build). */
export const ACTION_BUNDLE = 'action/index.cjs';
async function actionBundle() {
  const standIns = Object.keys(STAND_INS);
  await checkStandIns(standIns);
  const { outputFiles } = await build({
    ...common,
    minify: true,
    write: false,
    entryPoints: [join(root, 'src/action/main.ts')],
    outfile: join(root, ACTION_BUNDLE),
    plugins: [undiciStandIns(standIns)],
  });
  return outputFiles[0].contents;
}

/** Writes action/index.cjs (`npm run build:action`), or with check: fails when it is not up to date. */
export async function buildAction({ check = false, out = join(root, ACTION_BUNDLE) } = {}) {
  const want = Buffer.from(await actionBundle());
  const path = out;
  if (!check) {
    mkdirSync(dirname(path), { recursive: true });
    return writeFileSync(path, want);
  }
  let have;
  try {
    have = readFileSync(path);
  } catch {
    have = Buffer.alloc(0);
  }
  if (!have.equals(want)) {
    console.error(`build: ${ACTION_BUNDLE} is not up to date with src/: run \`npm run build:action\` and commit it`);
    process.exit(1);
  }
  console.log(`build: ${ACTION_BUNDLE} is up to date`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--action') || process.argv.includes('--check-action')) {
    const out = process.argv.find((a) => a.startsWith('--out='))?.slice(6);
    await buildAction({ check: process.argv.includes('--check-action'), ...(out ? { out } : {}) });
    process.exit(0);
  }
  const without = process.argv.filter((a) => a.startsWith('--without=')).flatMap((a) => a.slice(10).split(',')).filter(Boolean);
  await buildDist({ without });
}
