import type { InStream, OutStream } from '../../deps.js';
import { InterruptedError, UsageError } from '../../errors.js';
import { isHeaderSafeToken } from '../../util/token.js';
import { formatBytes, readStreamBounded, TooLargeError } from '../../config/read-file.js';

/** More than any token: `yes | alto auth login --with-token` stops here. */
const MAX_TOKEN_INPUT_BYTES = 64 * 1024;

/** Reads a token piped on stdin: the first non-empty line, trimmed. At most 64 KiB is read. */
export async function readTokenFromStdin(stdin: InStream, signal?: AbortSignal): Promise<string> {
  let text: string;
  try {
    text = await readStreamBounded(stdin, MAX_TOKEN_INPUT_BYTES, signal);
  } catch (err) {
    if (err instanceof TooLargeError) throw new UsageError(`stdin holds more than ${formatBytes(err.limit)}: that is not a token`, 'pipe the token alone: alto auth login --with-token < token.txt');
    throw err;
  }
  const token = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '');
  if (!token) throw new UsageError('no token on stdin', 'pipe it in: alto auth login --with-token < token.txt');
  return checkTokenText(token);
}

/** Asks for the token on the terminal without echoing it, at most 64 KiB of input like --with-token. Ctrl-C aborts with exit 130. */
export function promptHiddenToken(stdin: InStream, stderr: OutStream, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    let received = 0;
    stderr.write('Paste your Altostrat API token (input is hidden): ');
    stdin.setRawMode?.(true);
    stdin.resume();
    const finish = (err?: unknown) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      signal.removeEventListener('abort', onAbort);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value.trim());
    };
    const onAbort = () => finish(signal.reason);
    const onData = (chunk: Buffer | string) => {
      received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (received > MAX_TOKEN_INPUT_BYTES) return finish(new UsageError(`more than ${formatBytes(MAX_TOKEN_INPUT_BYTES)} typed or pasted: that is not a token`));
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\u0003') return finish(new InterruptedError('login cancelled; nothing was stored'));
        if (ch === '\r' || ch === '\n') {
          if (value.trim() === '') return finish(new UsageError('no token entered'));
          try {
            checkTokenText(value.trim());
          } catch (err) {
            return finish(err);
          }
          return finish();
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData);
  });
}

function checkTokenText(token: string): string {
  if (!isHeaderSafeToken(token)) {
    throw new UsageError('the token contains spaces or characters that cannot go in an HTTP header');
  }
  return token;
}
