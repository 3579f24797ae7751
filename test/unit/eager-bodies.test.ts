import { build } from 'esbuild';
import { parse } from 'acorn';
import { compileFunction, createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { eagerModuleBodies, sameTree } from '../../scripts/eager-bodies.mjs';

// A bundle shaped like alto's: a CommonJS module (esbuild's __commonJS) and a module imported
// lazily (esbuild's __esm), minified, in CommonJS format, as scripts/build.mjs makes them.
async function bundle(): Promise<string> {
  const files: Record<string, string> = {
    'entry.ts': "import dep from './dep.cjs';\nexport async function run() { const lazy = await import('./lazy.ts'); return dep.twice(lazy.three()); }",
    'dep.cjs': 'let calls = 0;\nmodule.exports = { twice(n) { calls += 1; return 2 * n + calls - 1; } };',
    'lazy.ts': 'export function three() { return [1, 2].reduce((a, b) => a + b, 0); }',
  };
  const result = await build({
    stdin: { contents: files['entry.ts'] as string, loader: 'ts', resolveDir: '/virtual', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    minify: true,
    supported: { 'dynamic-import': false },
    logLevel: 'silent',
    plugins: [
      {
        name: 'virtual',
        setup(b) {
          b.onResolve({ filter: /^\.\// }, (a) => ({ path: a.path.slice(2), namespace: 'v' }));
          b.onLoad({ filter: /.*/, namespace: 'v' }, (a) => ({ contents: files[a.path] as string, loader: a.path.endsWith('.cjs') ? 'js' : 'ts' }));
        },
      },
    ],
  });
  return result.outputFiles[0]!.text;
}

/** Runs a CommonJS bundle in a fresh context and returns what run() resolves to. */
async function runBundle(code: string): Promise<unknown> {
  const module = { exports: {} as { run?: () => Promise<unknown> } };
  const context = createContext({ module, exports: module.exports, require: () => ({}), Promise });
  runInContext(code, context);
  return module.exports.run?.();
}

describe('eagerModuleBodies (scripts/build.mjs)', () => {
  it('puts each module body of an esbuild bundle in parentheses and nothing else', async () => {
    const code = await bundle();
    const { code: out, wrapped } = eagerModuleBodies(code);
    expect(wrapped).toBe(2); // dep.cjs (__commonJS) and lazy.ts (__esm); entry.ts is the top level
    expect(out.length).toBe(code.length + 2 * wrapped);
    expect(sameTree(parse(code, { ecmaVersion: 'latest' }), parse(out, { ecmaVersion: 'latest' }))).toBe(true);
    expect(await runBundle(out)).toBe(await runBundle(code));
    expect(await runBundle(out)).toBe(6);
  });

  // A code cache made right after compiling holds only what V8 compiled with the file: this is
  // how Node's compile cache makes its entries for CommonJS. If a Node stops compiling
  // parenthesised arrows eagerly, this fails and the build step no longer pays. V8 of Node 20
  // and 22 compiles them lazily either way: nothing is gained or lost there.
  it.runIf(Number.parseInt(process.versions.node, 10) >= 24)('is why it exists: V8 compiles the wrapped bodies with the file, so a code cache keeps them', async () => {
    const code = await bundle();
    const cached = (src: string) => compileFunction(src, ['exports', 'require', 'module'], { produceCachedData: true }).cachedData?.length ?? 0;
    expect(cached(eagerModuleBodies(code).code)).toBeGreaterThan(cached(code));
  });

  it('leaves a bundle without module wrappers as it is', () => {
    const code = 'const a = 1;\nfunction f(x) { return x + a; }\nmodule.exports = f;\n';
    expect(eagerModuleBodies(code)).toEqual({ code, wrapped: 0 });
  });

  it('compares programs without positions: parentheses alone are the same program, a changed token is not', () => {
    const t = (s: string) => parse(s, { ecmaVersion: 'latest' });
    expect(sameTree(t('var m = h((e) => { e.x = 1; });'), t('var m = h(((e) => { e.x = 1; }));'))).toBe(true);
    expect(sameTree(t('var m = h((e) => { e.x = 1; });'), t('var m = h((e) => { e.x = 2; });'))).toBe(false);
    expect(sameTree(t('a = b + c * d;'), t('a = (b + c) * d;'))).toBe(false);
    expect(sameTree(t('a = 1n;'), t('a = (1n);'))).toBe(true);
    expect(sameTree(t('a = 1n;'), t('a = 2n;'))).toBe(false);
  });

  it('wraps a module body that holds a BigInt literal (a dependency may use one)', () => {
    const code = 'var h=(a,b)=>()=>(b||a((b={exports:{}}).exports,b),b.exports);var m=h((e,t)=>{t.exports=1n<<64n});';
    const { code: out, wrapped } = eagerModuleBodies(code);
    expect(wrapped).toBe(1);
    expect(out).toContain('h(((e,t)=>{t.exports=1n<<64n}))');
  });
});
