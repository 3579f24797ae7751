import type { Env } from '../../src/deps.js';
import { createIOStreams, type IOStreams } from '../../src/ui/iostreams.js';
import { createTestIO, type TestIO, type TestIOOptions } from './test-io.js';

export interface TestIOStreamsOptions extends TestIOOptions {
  env?: Env;
}

export interface TestIOStreams {
  /** The IOStreams a command sees. */
  ios: IOStreams;
  /** The raw test streams (stdout.text(), stderr.text()). */
  io: TestIO;
  env: Env;
}

/** IOStreams over test streams: TTY per stream, columns, stdin text, environment. */
export function createTestIOStreams(opts: TestIOStreamsOptions = {}): TestIOStreams {
  const io = createTestIO(opts);
  const env = opts.env ?? {};
  return { ios: createIOStreams(io, env), io, env };
}
