import { PassThrough } from 'node:stream';
import type { IO } from '../../src/deps.js';

/** A stream that keeps everything written to it; `.text()` returns it. */
export type Collector = PassThrough & { isTTY?: boolean; columns?: number; text(): string };

export interface TestIOOptions {
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** Terminal width reported by TTY streams (default 80). */
  columns?: number;
  /** What stdin yields (default: nothing, ended). */
  stdin?: string | Buffer;
  stdinTTY?: boolean;
}

function collector(tty: boolean, columns: number): Collector {
  const stream = new PassThrough() as Collector;
  const chunks: string[] = [];
  const write = stream.write.bind(stream);
  // Captured synchronously so a test can read the text right after the code under test wrote.
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as Collector['write'];
  stream.resume();
  stream.text = () => chunks.join('');
  if (tty) {
    stream.isTTY = true;
    stream.columns = columns;
    // What ora needs of a TTY WriteStream.
    Object.assign(stream, {
      rows: 24,
      cursorTo: (x: number) => stream.write(`\u001B[${x + 1}G`),
      moveCursor: (_dx: number, dy: number) => stream.write(dy < 0 ? `\u001B[${-dy}A` : `\u001B[${dy}B`),
      clearLine: () => stream.write('\u001B[2K'),
    });
  }
  return stream;
}

export interface TestIO extends IO {
  stdout: Collector;
  stderr: Collector;
  stdin: PassThrough & { isTTY?: boolean };
}

/** stdout/stderr/stdin for a command under test, with TTY flags. */
export function createTestIO(opts: TestIOOptions = {}): TestIO {
  const columns = opts.columns ?? 80;
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (opts.stdinTTY) stdin.isTTY = true;
  stdin.end(opts.stdin ?? '');
  return {
    stdout: collector(Boolean(opts.stdoutTTY), columns),
    stderr: collector(Boolean(opts.stderrTTY), columns),
    stdin,
  };
}

/** True when the text holds an escape sequence (colour, cursor). */
export function hasEscapes(text: string): boolean {
  return text.includes('\u001B');
}
