import { CommanderError } from 'commander';
import type { Deps, FileWriter, IO, OutStream } from './deps.js';
import { CliError, ExitCode } from './errors.js';
import { createFactory } from './factory.js';
import { createProgram } from './program.js';
import { clean } from './ui/format.js';
import type { Palette } from './ui/palette.js';
import { redact } from './util/redact.js';

// cli.ts takes this from here, so that the process entry and alto share one copy of the class.
export { InterruptedError } from './errors.js';
export { StdoutClosedError, TerminatedError } from './commands/stop-reasons.js';

/**
 * Runs alto with argv (without node and the script) and returns the exit code. The one place
 * where an error becomes a message on stderr and a code from the contract's table.
 */
export async function main(argv: string[], rawDeps: Deps): Promise<number> {
  const secrets: string[] = [];
  if (rawDeps.env.ALTO_TOKEN) secrets.push(rawDeps.env.ALTO_TOKEN.trim());
  // Every byte alto writes passes the redaction once, here: a token the server echoes back (a
  // step that logs its request headers) shows as *** in text, --json and ndjson alike.
  // `alto auth token` is the one command whose job is to print it: it alone writes to rawOut.
  const deps: Deps = { ...rawDeps, io: redactingIO(rawDeps.io, secrets) };
  // Files alto writes (GitHub outputs and summary, --junit) carry server text too: redacted alike.
  if (rawDeps.files) deps.files = redactingFiles(rawDeps.files, secrets);
  const f = createFactory(deps, { addSecret: (s) => void secrets.push(s), rawOut: rawDeps.io.stdout });
  const program = createProgram(f);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return f.exitCode;
  } catch (err) {
    // The root's options are parsed before any subcommand, wherever they were given.
    const root = program.opts();
    if (root.color === false) f.io.disableColor();
    await f.io.loadPalettes();
    const debug = Boolean(root.debug) || deps.env.ALTO_DEBUG === '1' || deps.env.ALTO_DEBUG === 'true';
    return report(err, { deps, writeErr: (text) => void f.io.err.write(text), palette: f.io.errPalette, debug });
  }
}

interface ReportParts {
  deps: Deps;
  writeErr(text: string): void;
  palette: Palette;
  debug: boolean;
}

/** Maps any error to one line (plus a hint) on stderr and an exit code of the contract. */
function report(err: unknown, { deps, writeErr, palette, debug }: ReportParts): number {
  if (err instanceof CommanderError) {
    // commander has already printed its message (help, version or a usage error).
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.Ok;
    if (err.code === 'commander.help') return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    writeErr(`${palette.dim('  run with --help for usage')}\n`);
    return ExitCode.Usage;
  }
  if (deps.signal.aborted && (err === deps.signal.reason || isAbort(err))) {
    const reason = deps.signal.reason;
    if (reason instanceof CliError) return printCliError(reason, writeErr, palette);
    writeErr('alto: interrupted\n');
    return ExitCode.Interrupted;
  }
  if (err instanceof CliError) return printCliError(err, writeErr, palette);
  // A file-system or OS error that no command turned into a sentence (EACCES, ENOSPC, EIO...):
  // the machine's fault, not alto's. One line, exit 2, never a stack.
  const sys = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof sys.code === 'string' && /^E[A-Z]+$/.test(sys.code) && typeof sys.syscall === 'string') {
    const where = typeof sys.path === 'string' ? ` ${sys.path}` : '';
    return printCliError(new CliError(`${sys.syscall}${where} failed: ${sys.code}`, ExitCode.Usage), writeErr, palette);
  }
  const e = err instanceof Error ? err : new Error(String(err));
  writeErr(`alto: internal error: ${clean(e.message)}\n`);
  writeErr(`  this is a bug in alto ${deps.version}; please report it with the output of ${debug ? 'this command' : '--debug'}\n`);
  if (debug && e.stack) writeErr(`${e.stack}\n`);
  return ExitCode.Internal;
}

function printCliError(err: CliError, writeErr: (t: string) => void, palette: Palette): number {
  // Messages and hints may quote the server (an API error's message, a run id): cleaned.
  writeErr(`${palette.failure('alto:')} ${clean(err.message)}\n`);
  if (err.hint) writeErr(`  ${palette.dim(clean(err.hint))}\n`);
  return err.exitCode;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as { code?: string }).code === 'ABORT_ERR');
}

/**
 * File writes with every secret masked, also in the forms the writers escape it to: the step
 * summary backslash-escapes Markdown punctuation (`wfk\_abc`), JUnit escapes XML.
 */
function redactingFiles(files: FileWriter, secrets: readonly string[]): FileWriter {
  const forms = () =>
    secrets.flatMap((s) => [
      s,
      s.replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`),
      s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    ]);
  return {
    appendFile: (path, text) => files.appendFile(path, redact(text, forms())),
    writeFile: (path, text) => files.writeFile(path, redact(text, forms())),
  };
}

/** stdout and stderr with every write redacted; everything else (isTTY, columns, events) as is. */
function redactingIO(io: IO, secrets: readonly string[]): IO {
  const wrap = (stream: OutStream): OutStream =>
    new Proxy(stream, {
      get(target, prop) {
        if (prop === 'write') {
          return (chunk: unknown, ...rest: unknown[]) => {
            const write = (target.write as (...a: unknown[]) => boolean).bind(target);
            // Bytes stay bytes (`alto api` prints bodies as sent): latin1 maps each byte to one
            // character and back, and tokens are ASCII, so only a token's own bytes change.
            if (chunk instanceof Uint8Array) return write(Buffer.from(redact(Buffer.from(chunk).toString('latin1'), secrets), 'latin1'), ...rest);
            return write(redact(typeof chunk === 'string' ? chunk : String(chunk), secrets), ...rest);
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
      set(target, prop, value) {
        return Reflect.set(target, prop, value, target);
      },
    });
  const stdout = wrap(io.stdout);
  const stderr = wrap(io.stderr);
  return {
    stdout,
    stderr,
    // Read lazily: creating process.stdin costs start-up time.
    get stdin() {
      return io.stdin;
    },
  };
}
