// npm run lint: typescript-eslint with type information. Two families of rules:
// - promises and switches the compiler lets through (a promise nobody awaits, an async callback
//   where a void one is expected, a switch over a union that forgets a member);
// - no ambient I/O below src/cli.ts (../shared/STYLE.md, habit 2): streams, env, exit, the wall
//   clock and timers arrive through deps, so tests can replace them.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const AMBIENT_GLOBALS = [
  ['process', 'streams, env, argv and exit come from deps (deps.io, deps.env); only src/cli.ts builds them'],
  ['console', 'write to deps.io.stdout / deps.io.stderr'],
  ['performance', 'time comes from deps.clock'],
  ['setTimeout', 'sleep with deps.clock.sleep(ms, signal)'],
  ['setInterval', 'sleep with deps.clock.sleep(ms, signal) in a loop'],
  ['setImmediate', 'sleep with deps.clock.sleep(0, signal)'],
].map(([name, message]) => ({ name, message: `no ambient I/O below src/cli.ts: ${message}` }));

const AMBIENT_MODULES = ['process', 'console', 'timers', 'timers/promises', 'perf_hooks'].flatMap((m) => [m, `node:${m}`]);

const ambientRules = (globals = AMBIENT_GLOBALS) => ({
  'no-restricted-globals': ['error', ...globals],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'no ambient I/O below src/cli.ts: time comes from deps.clock.now()' },
    // The same globals reached the long way round.
    ...['globalThis', 'global'].flatMap((object) => globals.map(({ name, message }) => ({ object, property: name, message }))),
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'no ambient I/O below src/cli.ts: `new Date()` reads the wall clock; use new Date(deps.clock.now())',
    },
  ],
  'no-restricted-imports': [
    'error',
    { paths: AMBIENT_MODULES.map((name) => ({ name, message: 'no ambient I/O below src/cli.ts: take it from deps' })) },
  ],
});

export default defineConfig(
  { ignores: ['dist/', 'action/', 'node_modules/', '.tmp/', 'coverage/', 'test/fixtures/lint/'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // src/ and test/ come from tsconfig.json; vitest.config.ts gets a default project.
        projectService: { allowDefaultProject: ['*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    // A warning, not an error: src/ still carries directives for rules of eslint's recommended
    // set (no-control-regex), which this config does not turn on.
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A deliberate `default:` counts as handling the rest; a switch without one must name
      // every member, so a status or fault kind added later cannot fall through unnoticed.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // Plain JavaScript (scripts, bin, this file) is outside the TypeScript project: it is parsed
    // but not type-checked, so only rules without type information apply (none are on today).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    // test/fixtures/lint holds one file of violations that test/unit/lint.test.ts lints on purpose.
    files: ['src/**/*.ts', 'test/fixtures/lint/**/*.ts'],
    // The process entries: alto's (cli.ts) and the GitHub Action's (action/main.ts), and the real clock and files they build (real-deps.ts).
    ignores: ['src/cli.ts', 'src/action/main.ts', 'src/real-deps.ts'],
    rules: ambientRules(),
  },
  {
    // palette.ts loads chalk: only color-level.ts loads it, and only when there is colour to draw.
    // Everyone else takes the Palette type alone, so a run without colour never pays for chalk.
    files: ['src/**/*.ts'],
    ignores: ['src/ui/color-level.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/palette.js'], allowTypeImports: true, message: 'palette.js loads chalk; use `import type { Palette }` (colours come from IOStreams)' }] },
      ],
    },
  },
  {
    // The sandbox is a server (`alto sandbox`, and the e2e tests' fake API): its run timelines and
    // the `slow` fault need a real clock and a real timer, and its default clock is the wall clock.
    // Only those two are allowed, and only in server.ts where the real clock is built; the rest of
    // the sandbox takes its clock from there, and still never touches process or console.
    files: ['src/sandbox/server.ts'],
    rules: ambientRules(AMBIENT_GLOBALS.filter(({ name }) => name !== 'performance' && name !== 'setTimeout')),
  },
);
