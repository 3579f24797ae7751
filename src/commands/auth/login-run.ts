import { MARK } from '../../ui/marks.js';
import { checkBaseUrl } from '../../api/base-url.js';
import { resolveSettings } from '../../config/resolve.js';
import { writeProfile } from '../../config/store.js';
import { AuthError, CliError, ExitCode, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import type { AuthLoginOptions } from './login.js';
import { promptHiddenToken, readTokenFromStdin } from './read-token.js';

/** One quick check: a slow or down API must not hold a login for the default 30 s with retries. */
const LOGIN_CHECK_TIMEOUT_MS = 10_000;

/** alto auth login: reads the token (stdin or a hidden prompt), checks it once, stores it 0600. */
export async function authLogin(f: Factory, opts: AuthLoginOptions): Promise<number> {
  const { deps, io } = f;
  const globals = f.globals();
  const settings = await resolveSettings(globals, deps.env);
  const apiUrl = checkBaseUrl(settings.apiUrl, settings.apiUrlSource);
  let token: string;
  if (opts.withToken) token = await readTokenFromStdin(io.in, deps.signal);
  else if (io.canPrompt()) token = await promptHiddenToken(io.in, io.err, deps.signal);
  else throw new UsageError('stdin is not a terminal, so alto cannot prompt for the token', 'pipe it in with: alto auth login --with-token < token.txt');
  // A secret from the moment it is read: an answer that echoes it shows ***.
  f.addSecret(token);

  const host = new URL(apiUrl).host;
  const p = f.errPalette;
  let verified = false;
  try {
    // The factory builds the client (the only place one is built), with login's own limits: no retries.
    const client = await f.clientFor({ baseUrl: apiUrl, token, requestTimeoutMs: Math.min(globals.requestTimeoutMs, LOGIN_CHECK_TIMEOUT_MS), retryBudgetMs: 0 });
    await client.listWorkflows({ signal: deps.signal });
    verified = true;
  } catch (err) {
    if (err instanceof AuthError) {
      throw new AuthError(`${host} rejected this token (${err.status ?? 401}); nothing was stored`, 'check that you copied the whole token, and that it has not been revoked');
    }
    if (deps.signal.aborted) throw err;
    if (!(err instanceof CliError) || err.exitCode !== ExitCode.Api) throw err;
    io.err.write(`${p.warning(MARK.warning)} could not check the token with ${host} (${io.safe(err.message)}); storing it anyway\n`);
  }
  const file = await writeProfile(settings.configDir, settings.profile, { token, api_url: apiUrl }, deps.clock);
  const verb = verified ? `Logged in to ${host}` : `Stored the token for ${host}`;
  io.err.write(`${p.success(MARK.success)} ${verb} as profile "${settings.profile}" (${file})\n`);
  if (deps.env.ALTO_TOKEN) io.err.write(`${p.warning(MARK.warning)} ALTO_TOKEN is set and wins over the stored token\n`);
  return ExitCode.Ok;
}
