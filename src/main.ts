import { CommanderError } from 'commander';
import type { ApiClient } from './api/workflows-api.js';
import type { AuthContext } from './commands/auth/auth.js';
import type { CommandContext } from './commands/context.js';
import type { Deps, IO, OutStream } from './deps.js';
import { CliError, ExitCode } from './errors.js';
import { createProgram, type GlobalOptions } from './program.js';
import { colorLevel, loadPalette } from './ui/color-level.js';
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
  const addSecret = (s: string) => void secrets.push(s);
  // Every byte alto writes passes the redaction once, here: a token the server echoes back (a
  // step that logs its request headers) shows as *** in text, --json and ndjson alike.
  // `alto auth token` is the one command whose job is to print it.
  const deps: Deps = argv.includes('token') && isAuthToken(argv) ? rawDeps : { ...rawDeps, io: redactingIO(rawDeps.io, secrets) };
  const noColor = argv.includes('--no-color');
  const [outPalette, errPalette] = await Promise.all([
    loadPalette(colorLevel(deps.io.stdout, deps.env, noColor)),
    loadPalette(colorLevel(deps.io.stderr, deps.env, noColor)),
  ]);
  const writeErr = (text: string) => void deps.io.stderr.write(text);
  const debugWanted = argv.includes('--debug') || deps.env.ALTO_DEBUG === '1' || deps.env.ALTO_DEBUG === 'true';
  const debug = (line: string) => writeErr(`${errPalette.dim(line)}\n`);
  const interactive = Boolean(deps.io.stderr.isTTY) && (deps.io.stderr.columns ?? 0) > 0 && !deps.env.CI;

  let exitCode: number = ExitCode.Ok;
  const program = createProgram({
    deps,
    setExitCode: (code) => void (exitCode = code),
    writeErr,
    commandContext: (globals) =>
      commandContext(globals, deps, {
        outPalette,
        errPalette,
        interactive,
        addSecret,
        debug,
        notice: (line) => writeErr(`${errPalette.warning('!')} ${line}\n`),
      }),
    authContext: (globals): AuthContext => ({
      deps,
      globals,
      errPalette,
      requestTimeoutMs: globals.requestTimeoutMs,
      addSecret,
      debug: globals.debug ? debug : undefined,
    }),
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return report(err, { deps, writeErr, palette: errPalette, debug: debugWanted });
  }
}

interface ContextParts {
  notice(line: string): void;
  outPalette: Palette;
  errPalette: Palette;
  interactive: boolean;
  addSecret(secret: string): void;
  debug(line: string): void;
}

function commandContext(globals: GlobalOptions, deps: Deps, parts: ContextParts): CommandContext {
  let client: Promise<ApiClient> | undefined;
  return {
    deps,
    palette: parts.outPalette,
    errPalette: parts.errPalette,
    interactive: parts.interactive,
    client: () =>
      (client ??= (async () => {
        const [{ checkBaseUrl }, { buildApiClient }, { requireToken, resolveSettings }] = await Promise.all([
          import('./api/base-url.js'),
          import('./api/create-client.js'),
          import('./config/resolve.js'),
        ]);
        const settings = await resolveSettings(globals, deps.env);
        const baseUrl = checkBaseUrl(settings.apiUrl, settings.apiUrlSource === 'default' ? 'the default' : settings.apiUrlSource);
        const token = requireToken(settings);
        parts.addSecret(token);
        return buildApiClient(
          {
            baseUrl,
            token,
            requestTimeoutMs: globals.requestTimeoutMs,
            debug: globals.debug ? parts.debug : undefined,
            notice: (line) => parts.notice(line),
          },
          deps,
        );
      })()),
  };
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

/** True for `alto [globals] auth token`: the command that prints the token on purpose. */
function isAuthToken(argv: string[]): boolean {
  const words = argv.filter((a) => !a.startsWith('-'));
  const i = words.indexOf('auth');
  return i >= 0 && words[i + 1] === 'token';
}

/** stdout and stderr with every write redacted; everything else (isTTY, columns, events) as is. */
function redactingIO(io: IO, secrets: readonly string[]): IO {
  const wrap = (stream: OutStream): OutStream =>
    new Proxy(stream, {
      get(target, prop) {
        if (prop === 'write') {
          return (chunk: unknown, ...rest: unknown[]) => {
            const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
            return (target.write as (...a: unknown[]) => boolean)(redact(text, secrets), ...rest);
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
