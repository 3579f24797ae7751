// Builds dist/: one CommonJS bundle for start-up (commander, chalk and alto's own code) and
// one file per heavy dependency (undici, ora, conf), required only when a command needs it.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vendors = ['undici', 'ora', 'conf'];

/** Imports of src/vendor/<name>.js from alto's code stay outside the main bundle. */
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
const outfile = join(root, 'dist/alto.cjs');
await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src/cli.ts')],
    outfile,
    plugins: [splitVendors],
  }),
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
// a plain require of our own CommonJS chunk is what we want.
const text = readFileSync(outfile, 'utf8');
const patched = text.replace(/import\("(\.\/vendor-\w+\.cjs)"\)/g, 'Promise.resolve().then(() => require("$1"))');
if (patched === text && /vendor-/.test(text)) throw new Error('build: vendor imports were not rewritten');
writeFileSync(outfile, patched);
