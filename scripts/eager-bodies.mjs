// Build step: parentheses around the module bodies of an esbuild bundle, so that V8 compiles
// them with the file instead of on first call, and Node's compile cache (bin/alto.js) keeps them.
//
// Why: esbuild wraps each CommonJS module (commander, undici) and each lazily imported module
// in a function that a small helper calls once, on first require. V8 compiles such a function
// only when it is first called, and Node's compile cache holds only what V8 compiled with the
// file. So on every start V8 parsed and compiled those bodies again (about 3 ms of
// `wf execute -q` on Node 24, `npm run bench`). V8 compiles a parenthesised function expression
// with its file; parentheses change nothing else. `eagerModuleBodies` proves that for each file
// it writes: the output must parse to the same syntax tree as its input.
import { parse } from 'acorn';

const PARSE = { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true };
const isFunction = (n) => n?.type === 'ArrowFunctionExpression' || n?.type === 'FunctionExpression';

/**
 * The names of esbuild's run-once helpers (__commonJS, __esm) in a bundle: top-level
 * `var h = (...) => () => {...}`, a function that returns a function.
 */
function runOnceHelpers(program) {
  const names = new Set();
  for (const stmt of program.body) {
    if (stmt.type !== 'VariableDeclaration') continue;
    for (const d of stmt.declarations) {
      if (d.id.type === 'Identifier' && d.init?.type === 'ArrowFunctionExpression' && isFunction(d.init.body)) names.add(d.id.name);
    }
  }
  return names;
}

/** Syntax trees compared without positions: equal means the same program. */
export function sameTree(a, b) {
  // A BigInt literal's `value` is a bigint, which JSON.stringify refuses (a `1n` anywhere in a
  // bundle would fail the build); its digits are in `bigint` and `raw` as well.
  const strip = (key, value) => (key === 'start' || key === 'end' ? undefined : typeof value === 'bigint' ? `${value}n` : value);
  return JSON.stringify(a, strip) === JSON.stringify(b, strip);
}

/**
 * `code` with each module body (a function passed to a run-once helper in a top-level `var`)
 * in parentheses, and how many it wrapped. Throws if the result is not the same program.
 */
export function eagerModuleBodies(code, file = 'bundle') {
  const tree = parse(code, PARSE);
  const helpers = runOnceHelpers(tree);
  const spots = [];
  for (const stmt of tree.body) {
    if (stmt.type !== 'VariableDeclaration') continue;
    for (const d of stmt.declarations) {
      const call = d.init;
      if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier' || !helpers.has(call.callee.name)) continue;
      const body = call.arguments[0];
      if (call.arguments.length === 1 && isFunction(body)) spots.push(body);
    }
  }
  let out = code;
  // From the end, so earlier offsets stay valid.
  for (const f of spots.sort((a, b) => b.start - a.start)) out = `${out.slice(0, f.start)}(${out.slice(f.start, f.end)})${out.slice(f.end)}`;
  if (!sameTree(tree, parse(out, PARSE))) throw new Error(`build: wrapping module bodies changed the program of ${file}`);
  return { code: out, wrapped: spots.length };
}
