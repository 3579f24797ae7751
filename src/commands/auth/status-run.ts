import { MARK } from '../../ui/marks.js';
import { resolveSettings } from '../../config/resolve.js';
import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { jsonText } from '../../ui/json-text.js';
import { maskToken } from '../../util/redact.js';
import { jwtExpiry } from './jwt.js';
import type { AuthStatusOptions } from './status.js';

const DAY_MS = 86_400_000;

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

/** alto auth status: where the token comes from, masked; the API URL; a JWT's expiry. Offline; exit 3 without a token or with an expired JWT. */
export async function authStatus(f: Factory, opts: AuthStatusOptions): Promise<number> {
  const { deps, io } = f;
  const s = await resolveSettings(f.globals(), deps.env);
  const warnings: string[] = [];
  if (s.tokenSource === 'ALTO_TOKEN' && s.storedToken) {
    warnings.push(`ALTO_TOKEN is set and shadows the token stored for profile "${s.profile}"`);
  }
  const exp = s.token ? jwtExpiry(s.token) : undefined;
  const now = deps.clock.now();
  const expired = exp !== undefined && exp <= now;
  if (expired) warnings.push(`the token expired at ${new Date(exp).toISOString()}: run alto auth login`);
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
    io.out.write(`${jsonText(status, { indent: 2 })}\n`);
  } else {
    const p = f.errPalette;
    const lines = [
      `Profile:  ${status.profile}`,
      `Token:    ${status.token ? `${status.token} (from ${status.token_source === 'ALTO_TOKEN' ? 'ALTO_TOKEN' : status.config_file})` : p.failure('none')}`,
      `API URL:  ${status.api_url} (from ${status.api_url_source})`,
    ];
    if (status.token_expires_at) lines.push(`Expires:  ${status.token_expires_at}`);
    io.writeLines('out', lines);
    for (const w of warnings) io.err.write(`${p.warning(MARK.warning)} ${w}\n`);
  }
  if (!s.token) {
    if (!opts.json) io.err.write('alto: not logged in: run alto auth login\n');
    return ExitCode.Auth;
  }
  // A pipeline checks the login with the exit code: an expired JWT is not a working login.
  if (expired) return ExitCode.Auth;
  return ExitCode.Ok;
}
