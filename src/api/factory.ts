import type { Deps, Env } from '../deps.js';
import { type ApiClient, DEFAULT_RETRY_BUDGET_MS } from './client.js';
import { createApiClient } from './api-client.js';
import { createHttpClient } from './http.js';

export interface ClientSettings {
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
  /** How long one call keeps retrying when the caller sets no deadline. */
  retryBudgetMs?: number;
  debug?: (line: string) => void;
  /** One line on stderr for waits a person should know of. */
  notice?: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Builds the API client, loading undici only now (it is the heaviest part of start-up). */
export async function buildApiClient(settings: ClientSettings, deps: Deps): Promise<ApiClient> {
  const dispatcher = deps.dispatcher ?? (await createProxyAwareDispatcher(deps.env));
  const http = createHttpClient({
    baseUrl: settings.baseUrl,
    token: settings.token,
    userAgent: `alto/${deps.version}`,
    dispatcher,
    clock: deps.clock,
    random: deps.random ?? Math.random,
    requestTimeoutMs: settings.requestTimeoutMs,
    retryBudgetMs: settings.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
    debug: settings.debug,
    notice: settings.notice,
  });
  return createApiClient(http);
}

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lowercase wins, as in curl) through undici's
 * EnvHttpProxyAgent. Loopback hosts always bypass the proxy, so the sandbox works behind one.
 */
async function createProxyAwareDispatcher(env: Env) {
  const { EnvHttpProxyAgent } = await import('../vendor/undici.js');
  const noProxy = [env.no_proxy ?? env.NO_PROXY, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',');
  return new EnvHttpProxyAgent({
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? env.http_proxy ?? env.HTTP_PROXY ?? '',
    noProxy,
    connect: { timeout: CONNECT_TIMEOUT_MS },
  });
}
