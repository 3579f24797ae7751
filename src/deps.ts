import type { Readable, Writable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** Time as a dependency: the poll loop and retries never call Date.now or setTimeout directly. */
export interface Clock {
  now(): number;
  /** Resolves after ms, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type OutStream = Writable & { isTTY?: boolean; columns?: number };
export type InStream = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** File writes alto makes for CI ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY, --junit): real fs in cli.ts, memory in tests. */
export interface FileWriter {
  appendFile(path: string, text: string): Promise<void>;
  /** Replaces the file's content (creates it). */
  writeFile(path: string, text: string): Promise<void>;
}

/** Everything a command touches outside itself. cli.ts builds the real ones; tests build fakes. */
export interface Deps {
  io: IO;
  env: Env;
  clock: Clock;
  /** Aborted on the first Ctrl-C: watches stop, requests are cancelled. */
  signal: AbortSignal;
  version: string;
  /** An undici dispatcher to use instead of the default proxy-aware agent (tests: MockAgent). */
  dispatcher?: Dispatcher;
  /** Uniform [0,1) source for retry jitter; tests fix it. */
  random?: () => number;
  /** File writes (CI outputs, --junit); without it those writes fail with one error line. */
  files?: FileWriter;
  /** An unguessable token (GitHub stop-commands, output delimiters); default node:crypto. */
  randomToken?: () => string;
}
