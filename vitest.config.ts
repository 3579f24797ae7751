import { defineConfig } from 'vitest/config';

// Two projects: `unit` (in-process, fake clock, milliseconds: `npm run test:unit` is the inner
// loop) and `e2e` (spawns bin/alto against loopback servers; `npm test` builds dist/ first).
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: one worker per core; the e2e files mostly wait on sockets and timers, so their
    // tests run concurrently inside the worker instead (see the e2e project).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // A spawned alto spends most of its life waiting on the sandbox's timeline, so several
          // run at once. Tests declare themselves concurrent (describe.concurrent / it.concurrent)
          // and take `expect` from their context; a file that needs order stays sequential.
          maxConcurrency: 8,
        },
      },
    ],
  },
});
