// Builds dist/: one CommonJS bundle for start-up (commander, chalk and alto's own code) and
// one file per heavy dependency (undici, ora, conf), required only when a command needs it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
 * Stand-ins for Node modules undici requires at load but alto's requests never use; each real
 * module costs start-up time (node:http2 alone ~12 ms), and all together they were a fifth of
 * `alto wf execute`. Each stand-in keeps what undici reads at load and loads the real module on
 * first use. `checkStandIns` fails the build if a new undici uses more of them.
 *  - node:http2: constants for the HTTP/2 client (alto never enables HTTP/2), connect() lazily;
 *  - node:http: maxHeaderSize, read at load (Node's default, 16 KiB), and IncomingMessage, only
 *    compared against bodies alto passes (strings, never an IncomingMessage);
 *  - node:assert: assert(value) checks, the real module only to report a failed one;
 *  - node:perf_hooks: performance.now(), for fetch's timing info (alto does not use fetch).
 */
const standIns = {
  'node:http2': async () => {
    const { constants } = await import('node:http2');
    return `module.exports = { constants: ${JSON.stringify(constants)}, connect: (...args) => require('http2').connect(...args) };`;
  },
  'node:http': async () => 'module.exports = { maxHeaderSize: 16 * 1024, IncomingMessage: class IncomingMessage {} };',
  'node:assert': async () => "module.exports = function assert(value, message) { if (!value) require('assert').ok(value, message); };",
  'node:perf_hooks': async () => "module.exports = { performance: { now: () => require('perf_hooks').performance.now() } };",
};
const undiciStandIns = {
  name: 'undici-stand-ins',
  setup(b) {
    b.onResolve({ filter: /^node:(http2|http|assert|perf_hooks)$/ }, (args) => ({ path: args.path, namespace: 'stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, async (args) => ({ loader: 'js', contents: await standIns[args.path]() }));
  },
};

/** What undici may use of each stand-in; anything more fails the build rather than alto at run time. */
async function checkStandIns() {
  const { outputFiles } = await build({ ...common, write: false, entryPoints: [join(root, 'src/vendor/undici.ts')], outfile: 'check.cjs' });
  const code = outputFiles[0].text;
  // Every binding undici gives each module (`var assert = require("node:assert")`, ...).
  const bindings = (module) => {
    const found = [...code.matchAll(new RegExp(`(\\{[^}]*\\}|\\w+) = require\\("${module}"\\)`, 'g'))];
    return [...new Set(found.map((m) => m[1].replace(/\s+/g, ' ')))].sort();
  };
  const expected = {
    'node:http2': ['http2'],
    'node:http': ['http', '{ IncomingMessage }'],
    'node:assert': ['assert'],
    'node:perf_hooks': ['{ performance }'],
  };
  for (const [module, want] of Object.entries(expected)) {
    const got = bindings(module);
    if (JSON.stringify(got) !== JSON.stringify([...want].sort())) throw new Error(`build: undici now requires ${module} as ${JSON.stringify(got)}; review its stand-in`);
  }
  const members = (name) => new Set([...code.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1]));
  const allowed = { http: ['maxHeaderSize'], assert: [], performance: ['now'], http2: ['connect', 'constants'] };
  for (const [name, ok] of Object.entries(allowed)) {
    const extra = [...members(name)].filter((m) => !ok.includes(m));
    if (extra.length > 0) throw new Error(`build: undici now uses ${name}.${extra.join(`, ${name}.`)}; review its stand-in`);
  }
}

/**
 * commander requires node:child_process at load only for executable subcommands, which alto
 * does not use; loading it (and what it pulls in) costs `alto --help` a few ms. The main
 * bundle gets a stand-in that requires the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('commander') ? { path: 'lazy-child-process', namespace: 'alto' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'alto' }, () => ({
      loader: 'js',
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('child_process')[key] });",
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.18',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  // ESM packages that read import.meta.url get a CommonJS equivalent.
  define: { 'import.meta.url': 'importMetaUrl', __ALTO_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await checkStandIns();
rmSync(join(root, 'dist'), { recursive: true, force: true });
// Names this build's code cache: a rebuild never meets the bytecode of an older one.
const buildId = `${pkg.version}-${Date.now().toString(36)}`;
const entry = join(root, 'dist/alto.cjs');
const mainChunk = join(root, 'dist/alto-main.cjs');
await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src/cli.ts')],
    outfile: entry,
    plugins: [splitMain],
    // No import.meta shim here: the entry imports no package, and --version should run nothing it can skip.
    define: { __ALTO_VERSION__: JSON.stringify(pkg.version) },
    banner: { js: `const ALTO_BUILD_ID = ${JSON.stringify(buildId)};\n${readFileSync(join(root, 'scripts/chunk-loader.cjs'), 'utf8')}` },
  }),
  build({ ...common, minify: true, entryPoints: [join(root, 'src/main.ts')], outfile: mainChunk, plugins: [splitVendors, lazyChildProcess] }),
  ...vendors.map((name) =>
    build({
      ...common,
      minify: true,
      plugins: name === 'undici' ? [undiciStandIns] : [],
      entryPoints: [join(root, `src/vendor/${name}.ts`)],
      outfile: join(root, `dist/vendor-${name}.cjs`),
    }),
  ),
]);

// esbuild keeps import() of an external file, which goes through the slower ESM loader;
// our own CommonJS chunks are loaded with a plain require, and from the entry through the
// code-cache loader (scripts/chunk-loader.cjs), which also serves the chunks' own requires.
for (const file of [entry, mainChunk]) {
  const text = readFileSync(file, 'utf8');
  const loader = file === entry ? '__altoLoadChunk' : 'require';
  const patched = text.replace(/import\("(\.\/(?:vendor-\w+|alto-main)\.cjs)"\)/g, `Promise.resolve().then(() => ${loader}("$1"))`);
  if (/import\("\.\//.test(patched)) throw new Error(`build: an import() of a chunk was not rewritten in ${file}`);
  writeFileSync(file, patched);
}
