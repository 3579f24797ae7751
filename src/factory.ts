// The Factory: built once per invocation by main. Everything a command touches comes from here:
// IOStreams, deps (clock, env, signal, version), the global flags (after parse), the API client
// (built here and nowhere else), secrets for redaction, and the exit code.
import type { ApiClient } from './api/workflows-api.js';
import type { GlobalFlags } from './config/resolve.js';
import type { Deps, OutStream } from './deps.js';
import { ExitCode, UsageError } from './errors.js';
import { createIOStreams, type IOStreams } from './ui/iostreams.js';
import type { Palette } from './ui/palette.js';
import { parseDuration } from './util/duration.js';

/** Global flags after parsing, as every command sees them. */
export interface GlobalOptions extends GlobalFlags {
  debug: boolean;
  requestTimeoutMs: number;
}

/** A client built with explicit settings (auth login checks a token that is not stored yet). */
export interface ClientOverride {
  baseUrl: string;
  token: string;
  requestTimeoutMs?: number;
  retryBudgetMs?: number;
}

export interface Factory {
  readonly io: IOStreams;
  /** stdout without redaction: for `alto auth token` alone, whose job is to print the token. */
  readonly rawOut: OutStream;
  readonly deps: Deps;
  /** Colours for stdout (results): io.palette. */
  readonly palette: Palette;
  /** Colours for stderr (progress and errors): io.errPalette. */
  readonly errPalette: Palette;
  /** True when a spinner may draw: io.canSpinner(). */
  readonly interactive: boolean;
  /** The global flags; defaults until applyGlobals ran. */
  globals(): GlobalOptions;
  /** Parses the root's raw options (--request-timeout, --debug, --no-color) and loads palettes. */
  applyGlobals(raw: Record<string, unknown>): Promise<void>;
  /** The API client of the resolved settings, built on first use (loads config and undici lazily). */
  client(): Promise<ApiClient>;
  /** A fresh client with explicit URL, token and limits (auth login; the caller registers the token as a secret). */
  clientFor(override: ClientOverride): Promise<ApiClient>;
  /** A string that must never be printed (a token). */
  addSecret(secret: string): void;
  setExit(code: number): void;
  readonly exitCode: number;
}

export const DEFAULT_REQUEST_TIMEOUT = '30s';

function positiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new UsageError(`${flag} must be more than 0`);
  return ms;
}

/** Parses the global flags of the root command (commander values, plus ALTO_DEBUG). */
export function parseGlobals(raw: Record<string, unknown>, env: Deps['env']): GlobalOptions {
  return {
    apiUrl: raw.apiUrl as string | undefined,
    profile: raw.profile as string | undefined,
    debug: Boolean(raw.debug) || env.ALTO_DEBUG === '1' || env.ALTO_DEBUG === 'true',
    requestTimeoutMs: positiveDuration(String(raw.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT), '--request-timeout'),
  };
}

export interface FactoryParts {
  /** Tells main's redaction about a secret. */
  addSecret?(secret: string): void;
  /** stdout before main's redaction (default: the redacted one). */
  rawOut?: OutStream;
}

/** The factory over deps whose io main has already wrapped in redaction. */
export function createFactory(deps: Deps, parts: FactoryParts = {}): Factory {
  const io = createIOStreams(deps.io, deps.env);
  let globals: GlobalOptions = { debug: false, requestTimeoutMs: positiveDuration(DEFAULT_REQUEST_TIMEOUT, '--request-timeout') };
  let exitCode: number = ExitCode.Ok;
  let client: Promise<ApiClient> | undefined;
  const addSecret = (s: string) => parts.addSecret?.(s);
  const debug = (line: string) => void io.err.write(`${io.errPalette.dim(io.safe(line))}\n`);
  const notice = (line: string) => void io.err.write(`${io.errPalette.warning('!')} ${line}\n`);

  const build = async (settings: ClientOverride & { requestTimeoutMs: number; unauthorizedHint?: string }): Promise<ApiClient> => {
    const { buildApiClient } = await import('./api/create-client.js');
    return buildApiClient({ ...settings, debug: globals.debug ? debug : undefined, notice }, deps);
  };

  const f: Factory = {
    io,
    rawOut: parts.rawOut ?? io.out,
    deps,
    get palette() {
      return io.palette;
    },
    get errPalette() {
      return io.errPalette;
    },
    get interactive() {
      return io.canSpinner();
    },
    globals: () => globals,
    async applyGlobals(raw) {
      if (raw.color === false) io.disableColor();
      globals = parseGlobals(raw, deps.env);
      await io.loadPalettes();
    },
    client: () =>
      (client ??= (async () => {
        const [{ checkBaseUrl }, { requireToken, resolveSettings }, { ALTO_TOKEN_401_HINT }] = await Promise.all([
          import('./api/base-url.js'),
          import('./config/resolve.js'),
          import('./api/http-errors.js'),
        ]);
        const settings = await resolveSettings(globals, deps.env);
        const baseUrl = checkBaseUrl(settings.apiUrl, settings.apiUrlSource === 'default' ? 'the default' : settings.apiUrlSource);
        const token = requireToken(settings);
        addSecret(token);
        // ALTO_TOKEN wins over a stored token: after a 401 a new login would stay shadowed.
        const unauthorizedHint = settings.tokenSource === 'ALTO_TOKEN' ? ALTO_TOKEN_401_HINT : undefined;
        return build({ baseUrl, token, requestTimeoutMs: globals.requestTimeoutMs, unauthorizedHint });
      })()),
    clientFor: (override) => build({ ...override, requestTimeoutMs: override.requestTimeoutMs ?? globals.requestTimeoutMs }),
    addSecret,
    setExit: (code) => void (exitCode = code),
    get exitCode() {
      return exitCode;
    },
  };
  return f;
}
