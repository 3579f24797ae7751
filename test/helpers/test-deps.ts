import { MockAgent } from 'undici';
import { afterEach } from 'vitest';
import type { Deps, Env, FileWriter } from '../../src/deps.js';
import { createFactory, type Factory } from '../../src/factory.js';
import { main } from '../../src/main.js';
import { FakeClock } from './fake-clock.js';
import { createTestIO, type TestIO, type TestIOOptions } from './test-io.js';

/** Where makeTestDeps' client points: ALTO_API_URL of the default env. */
export const TEST_API = 'https://api.test';
export const TEST_TOKEN = 'wfk_test_token_0123456789';

export interface TestDepsOptions {
  /** Replaces the default env (ALTO_API_URL, ALTO_TOKEN, ALTO_CONFIG_DIR of nowhere). */
  env?: Env;
  io?: TestIOOptions;
  /** Clock start (ms). */
  now?: number;
  signal?: AbortSignal;
  /** File writes (CI outputs, --junit); default: in memory, see TestDeps.files. */
  files?: FileWriter;
}

export interface TestDeps {
  f: Factory;
  deps: Deps;
  agent: MockAgent;
  clock: FakeClock;
  io: TestIO;
  /** The interceptor pool of TEST_API. */
  api: ReturnType<MockAgent['get']>;
  /** What deps.files wrote (path -> text), when no `files` option was given. */
  files: Map<string, string>;
  /** Runs argv through main and the real program in-process; stdout/stderr are this run's text. */
  run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

const agents: MockAgent[] = [];

/**
 * Strict HTTP stubs for command tests: the real client over undici's MockAgent (no network),
 * a fake clock, test streams. Every interceptor a test declares must be used: call
 * assertNoPendingAfterEach() once in the test file.
 */
export function makeTestDeps(opts: TestDepsOptions = {}): TestDeps {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const clock = new FakeClock(opts.now);
  const io = createTestIO(opts.io);
  const files = new Map<string, string>();
  let tokens = 0;
  const deps: Deps = {
    io,
    env: opts.env ?? { ALTO_API_URL: TEST_API, ALTO_TOKEN: TEST_TOKEN, ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' },
    clock,
    signal: opts.signal ?? new AbortController().signal,
    version: '0.0.0-test',
    dispatcher: agent,
    random: () => 0.5,
    files: opts.files ?? {
      appendFile: async (path, text) => void files.set(path, (files.get(path) ?? '') + text),
      writeFile: async (path, text) => void files.set(path, text),
    },
    randomToken: () => `testtoken${String(++tokens).padStart(8, '0')}`,
  };
  return {
    f: createFactory(deps),
    deps,
    agent,
    clock,
    io,
    api: agent.get(TEST_API),
    files,
    async run(argv) {
      const out = io.stdout.text().length;
      const err = io.stderr.text().length;
      const code = await main(argv, deps);
      return { code, stdout: io.stdout.text().slice(out), stderr: io.stderr.text().slice(err) };
    },
  };
}

/** Registers afterEach: every MockAgent made by makeTestDeps has no interceptor left unused, then closes. */
export function assertNoPendingAfterEach(): void {
  afterEach(async () => {
    const open = agents.splice(0);
    try {
      for (const a of open) a.assertNoPendingInterceptors();
    } finally {
      await Promise.all(open.map((a) => a.close()));
    }
  });
}
