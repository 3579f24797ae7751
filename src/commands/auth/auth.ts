import { checkBaseUrl } from '../../api/base-url.js';
import type { ApiClient } from '../../api/workflows-api.js';
import type { ClientOverride } from '../../factory.js';
import type { Deps } from '../../deps.js';
import { AuthError, CliError, ExitCode, UsageError } from '../../errors.js';
import { type GlobalFlags, requireToken, resolveSettings } from '../../config/resolve.js';
import { writeProfile } from '../../config/store.js';
import { maskToken } from '../../util/redact.js';
import type { Palette } from '../../ui/palette.js';
import { jwtExpiry } from './jwt.js';
import { promptHiddenToken, readTokenFromStdin } from './read-token.js';
import { jsonText } from '../../ui/json-text.js';

export interface AuthContext {
  deps: Deps;
  globals: GlobalFlags;
  errPalette: Palette;
  requestTimeoutMs: number;
  /** Tells main which strings must never be printed. */
  addSecret(secret: string): void;
  /** The factory's client construction (the only one), with login's own limits. */
  clientFor(override: ClientOverride): Promise<ApiClient>;
  /** stdin is a terminal, so a hidden prompt can ask for the token (IOStreams.canPrompt). */
  canPrompt: boolean;
}

const LOGIN_CHECK_TIMEOUT_MS = 10_000;
const DAY_MS = 86_400_000;

/** alto auth login: reads the token (stdin or a hidden prompt), checks it once, stores it 0600. */
export async function authLogin(ctx: AuthContext, opts: { withToken: boolean }): Promise<number> {
  const { deps } = ctx;
  const settings = await resolveSettings(ctx.globals, deps.env);
  const apiUrl = checkBaseUrl(settings.apiUrl, settings.apiUrlSource);
  let token: string;
  if (opts.withToken) token = await readTokenFromStdin(deps.io.stdin, deps.signal);
  else if (ctx.canPrompt) token = await promptHiddenToken(deps.io.stdin, deps.io.stderr, deps.signal);
  else throw new UsageError('stdin is not a terminal, so alto cannot prompt for the token', 'pipe it in with: alto auth login --with-token < token.txt');
  ctx.addSecret(token);

  const host = new URL(apiUrl).host;
  const p = ctx.errPalette;
  let verified = false;
  try {
    const client = await ctx.clientFor({ baseUrl: apiUrl, token, requestTimeoutMs: Math.min(ctx.requestTimeoutMs, LOGIN_CHECK_TIMEOUT_MS), retryBudgetMs: 0 });
    await client.listWorkflows({ signal: deps.signal });
    verified = true;
  } catch (err) {
    if (err instanceof AuthError) {
      throw new AuthError(`${host} rejected this token (${err.status ?? 401}); nothing was stored`, 'check that you copied the whole token, and that it has not been revoked');
    }
    if (deps.signal.aborted) throw err;
    if (!(err instanceof CliError) || err.exitCode !== ExitCode.Api) throw err;
    deps.io.stderr.write(`${p.warning('!')} could not check the token with ${host} (${err.message}); storing it anyway\n`);
  }
  const file = await writeProfile(settings.configDir, settings.profile, { token, api_url: apiUrl }, deps.clock);
  const verb = verified ? `Logged in to ${host}` : `Stored the token for ${host}`;
  deps.io.stderr.write(`${p.success('✓')} ${verb} as profile "${settings.profile}" (${file})\n`);
  if (deps.env.ALTO_TOKEN) deps.io.stderr.write(`${p.warning('!')} ALTO_TOKEN is set and wins over the stored token\n`);
  return ExitCode.Ok;
}

export interface AuthStatus {
  profile: string;
  logged_in: boolean;
  token_source: 'ALTO_TOKEN' | 'profile' | null;
  token: string | null;
  api_url: string;
  api_url_source: string;
  config_file: string;
  token_expires_at: string | null;
  warnings: string[];
}

/** alto auth status: where the token comes from, masked; the API URL; a JWT's expiry. Offline. */
export async function authStatus(ctx: AuthContext, opts: { json: boolean }): Promise<number> {
  const { deps } = ctx;
  const s = await resolveSettings(ctx.globals, deps.env);
  const warnings: string[] = [];
  if (s.tokenSource === 'ALTO_TOKEN' && s.storedToken) {
    warnings.push(`ALTO_TOKEN is set and shadows the token stored for profile "${s.profile}"`);
  }
  const exp = s.token ? jwtExpiry(s.token) : undefined;
  const now = deps.clock.now();
  if (exp !== undefined && exp <= now) warnings.push(`the token expired at ${new Date(exp).toISOString()}: run alto auth login`);
  else if (exp !== undefined && exp - now < DAY_MS) warnings.push(`the token expires within a day (${new Date(exp).toISOString()})`);
  const status: AuthStatus = {
    profile: s.profile,
    logged_in: Boolean(s.token),
    token_source: s.tokenSource ?? null,
    token: s.token ? maskToken(s.token) : null,
    api_url: s.apiUrl,
    api_url_source: s.apiUrlSource,
    config_file: s.configFile,
    token_expires_at: exp === undefined ? null : new Date(exp).toISOString(),
    warnings,
  };
  if (opts.json) {
    deps.io.stdout.write(`${jsonText(status, { indent: 2 })}\n`);
  } else {
    const p = ctx.errPalette;
    const lines = [
      `Profile:  ${status.profile}`,
      `Token:    ${status.token ? `${status.token} (from ${status.token_source === 'ALTO_TOKEN' ? 'ALTO_TOKEN' : status.config_file})` : p.failure('none')}`,
      `API URL:  ${status.api_url} (from ${status.api_url_source})`,
    ];
    if (status.token_expires_at) lines.push(`Expires:  ${status.token_expires_at}`);
    deps.io.stdout.write(`${lines.join('\n')}\n`);
    for (const w of warnings) deps.io.stderr.write(`${p.warning('!')} ${w}\n`);
  }
  if (!s.token) {
    if (!opts.json) deps.io.stderr.write('not logged in: run alto auth login\n');
    return ExitCode.Auth;
  }
  return ExitCode.Ok;
}

/** alto auth logout: forgets the profile's stored token. Logging out twice is not an error. */
export async function authLogout(ctx: AuthContext): Promise<number> {
  const { deps } = ctx;
  const s = await resolveSettings(ctx.globals, deps.env);
  const p = ctx.errPalette;
  if (!s.storedToken) {
    deps.io.stderr.write(`no token stored for profile "${s.profile}"; nothing to do\n`);
  } else {
    await writeProfile(s.configDir, s.profile, undefined, deps.clock);
    deps.io.stderr.write(`${p.success('✓')} Logged out of profile "${s.profile}"\n`);
  }
  if (deps.env.ALTO_TOKEN) deps.io.stderr.write(`${p.warning('!')} ALTO_TOKEN is still set in this environment\n`);
  return ExitCode.Ok;
}

/** alto auth token: the token in use on stdout, for scripts, and nothing else. */
export async function authToken(ctx: AuthContext): Promise<number> {
  const token = requireToken(await resolveSettings(ctx.globals, ctx.deps.env));
  ctx.deps.io.stdout.write(`${token}\n`);
  return ExitCode.Ok;
}
