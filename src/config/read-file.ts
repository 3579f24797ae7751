// Synchronous on purpose: small files, read once, and node:fs/promises costs start-up time.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { InStream } from '../deps.js';

/** The text was longer than the cap: reading stopped there. */
export class TooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${formatBytes(limit)}`);
  }
}

/** "10 MiB", "1 MiB", "512 KiB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

export interface ReadFileOptions {
  /** At most this many bytes; one more byte is a TooLargeError. */
  maxBytes: number;
  /** Refuse anything but a regular file (config.json: a FIFO or a device would hang or never end). */
  regularOnly?: boolean;
}

/**
 * Reads a file as UTF-8 text, never more than maxBytes + 1 bytes: /dev/zero or a huge file
 * ends fast with a TooLargeError. With regularOnly the file is opened non-blocking (a FIFO
 * without a writer cannot hang) and anything but a regular file is refused before reading.
 * fs errors (ENOENT, EACCES, EISDIR...) are thrown as they are.
 */
export function readFileBounded(path: string, opts: ReadFileOptions): string {
  return readFileBoundedBytes(path, opts).toString('utf8');
}

/** readFileBounded, the bytes as they are (`alto api --input`: a body may be binary). */
export function readFileBoundedBytes(path: string, opts: ReadFileOptions): Buffer {
  const flags = opts.regularOnly ? constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) : constants.O_RDONLY;
  const fd = openSync(path, flags);
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (opts.regularOnly && !stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    if (stat.isFile() && stat.size > opts.maxBytes) throw new TooLargeError(opts.maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > opts.maxBytes) throw new TooLargeError(opts.maxBytes);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/**
 * The whole stream as text, at most maxBytes: past it, reading stops (the stream is destroyed,
 * so `yes | alto ...` ends at once) with a TooLargeError. The signal (Ctrl-C) stops the wait.
 */
export async function readStreamBounded(stream: InStream, maxBytes: number, signal?: AbortSignal): Promise<string> {
  return (await readStreamBoundedBytes(stream, maxBytes, signal)).toString('utf8');
}

/** readStreamBounded, the bytes as they are (`alto api --input -`: a body may be binary). */
export function readStreamBoundedBytes(stream: InStream, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const stop = (err: unknown) => {
      done();
      stream.pause();
      stream.destroy();
      reject(err);
    };
    const onData = (data: Buffer | string) => {
      const buf = typeof data === 'string' ? Buffer.from(data) : data;
      total += buf.length;
      if (total > maxBytes) return stop(new TooLargeError(maxBytes));
      chunks.push(buf);
    };
    const onEnd = () => (done(), resolve(Buffer.concat(chunks)));
    const onError = (err: Error) => (done(), reject(err));
    const onAbort = () => stop(signal?.reason);
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
