import { join } from 'node:path';
import { DEFAULT_API_URL } from '../api/base-url.js';
import type { Env } from '../deps.js';
import { AuthError } from '../errors.js';
import { isHeaderSafeToken } from '../util/token.js';
import { CONFIG_FILE_NAME, configDir, NoConfigDirError } from './paths.js';
import { checkProfileName, type ProfileData, readConfig } from './store.js';

export interface GlobalFlags {
  apiUrl?: string;
  profile?: string;
}

export interface Settings {
  profile: string;
  configDir: string;
  configFile: string;
  apiUrl: string;
  apiUrlSource: '--api-url' | 'ALTO_API_URL' | 'profile' | 'default';
  token: string | undefined;
  tokenSource: 'ALTO_TOKEN' | 'profile' | undefined;
  /** The profile's own token, also when ALTO_TOKEN shadows it. */
  storedToken: string | undefined;
}

/** Token, API URL and profile with the contract's precedence: flag, environment, profile, default. */
export async function resolveSettings(flags: GlobalFlags, env: Env): Promise<Settings> {
  const profile = checkProfileName(flags.profile || env.ALTO_PROFILE || 'default');
  const envToken = env.ALTO_TOKEN?.trim() || undefined;
  let dir: string;
  let stored: ProfileData = {};
  try {
    dir = configDir(env);
    const entry: unknown = (await readConfig(dir)).profiles?.[profile];
    if (typeof entry === 'object' && entry !== null) stored = entry as ProfileData;
  } catch (err) {
    // No home and no ALTO_CONFIG_DIR: with ALTO_TOKEN there is nothing to read anyway.
    if (!(err instanceof NoConfigDirError) || !envToken) throw err;
    dir = '';
  }
  const storedToken = typeof stored.token === 'string' && stored.token ? stored.token : undefined;

  let apiUrl = DEFAULT_API_URL;
  let apiUrlSource: Settings['apiUrlSource'] = 'default';
  if (flags.apiUrl) [apiUrl, apiUrlSource] = [flags.apiUrl, '--api-url'];
  else if (env.ALTO_API_URL) [apiUrl, apiUrlSource] = [env.ALTO_API_URL, 'ALTO_API_URL'];
  else if (typeof stored.api_url === 'string' && stored.api_url) [apiUrl, apiUrlSource] = [stored.api_url, 'profile'];

  return {
    profile,
    configDir: dir,
    configFile: dir ? join(dir, CONFIG_FILE_NAME) : '(none: HOME is not set)',
    apiUrl,
    apiUrlSource,
    token: envToken ?? storedToken,
    tokenSource: envToken ? 'ALTO_TOKEN' : storedToken ? 'profile' : undefined,
    storedToken,
  };
}

/** The token, or exit 3 with how to get one. A token that cannot go in a header is refused here. */
export function requireToken(settings: Settings): string {
  if (!settings.token) {
    throw new AuthError(
      `not logged in: no token for profile "${settings.profile}"`,
      'run: alto auth login --with-token < token.txt  (or set ALTO_TOKEN)',
    );
  }
  if (!isHeaderSafeToken(settings.token)) {
    const from = settings.tokenSource === 'ALTO_TOKEN' ? 'ALTO_TOKEN' : `profile "${settings.profile}"`;
    throw new AuthError(`the token from ${from} contains spaces or characters that cannot go in an HTTP header`, 'check how it was copied');
  }
  return settings.token;
}
