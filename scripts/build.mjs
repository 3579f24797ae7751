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
 * undici's HTTP/2 client requires node:http2 at load (~12 ms) only to read constants; alto never
 * enables HTTP/2. The vendor chunk gets the constants as literals and loads node:http2 on first use.
 */
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(b) {
    b.onResolve({ filter: /^node:http2$/ }, () => ({ path: 'lazy-http2', namespace: 'alto' }));
    b.onLoad({ filter: /^lazy-http2$/, namespace: 'alto' }, async () => {
      const { constants } = await import('node:http2');
      return {
        loader: 'js',
        contents: `const constants = ${JSON.stringify(constants)};
          module.exports = { constants, connect: (...args) => require('http2').connect(...args) };`,
      };
    });
  },
};

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
      plugins: [lazyHttp2],
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
