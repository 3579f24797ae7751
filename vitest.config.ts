import { defineConfig } from 'vitest/config';

// Two projects: `unit` (in-process, fake clock, milliseconds: `npm run test:unit` is the inner
// loop) and `e2e` (spawns bin/alto against loopback servers; `npm test` builds dist/ first).
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Removes every directory test/helpers/temp-dir.ts made, after each test file.
    setupFiles: ['test/setup/remove-temp-dirs.ts'],
    // Two cores, five workers: the long e2e files (the demo, faults, fanout) spend most of their
    // time waiting on sandbox timelines, and with three workers the unit files only started once
    // every e2e file had (measured: 3 workers ~17 s, 5 workers ~14.5-15.3 s for `npm test`).
    // Inside an e2e file, tests run concurrently rather than in more workers (see below).
    maxWorkers: 5,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The files share one module graph per worker (about 2 s of CPU less than re-importing
          // src/ for each file). So a unit test must not depend on fresh module state: everything
          // arrives through deps, and nothing is vi.mock'ed (a test that must, belongs in e2e).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // A spawned alto spends most of its life waiting on the sandbox's timeline, so several
          // run at once. Tests declare themselves concurrent (describe.concurrent / it.concurrent)
          // and take `expect` from their context; a file that needs order stays sequential.
          // 32, not 8: faults' 19 tests then wait on their timelines together (6.7 s -> 4.8 s).
          maxConcurrency: 32,
        },
      },
    ],
  },
});
