import type { Deps } from '../deps.js';
import { createProxyAwareDispatcher } from './dispatcher.js';
import { createHttpClient } from './http-client.js';
import { type ApiClient, createApiClient } from './workflows-api.js';

export interface ClientSettings {
  baseUrl: string;
  token: string;
  requestTimeoutMs: number;
  /** How long one call keeps retrying when the caller sets no deadline (the client's default: 20 s). */
  retryBudgetMs?: number;
  /** The largest response body read (default 64 MiB). */
  maxBodyBytes?: number;
  debug?: (line: string) => void;
  /** One line on stderr for retries and waits a person should know of. */
  notice?: (line: string) => void;
  /** What a 401 tells the user to do (default: log in again). */
  unauthorizedHint?: string;
}

/** Builds the API client: the proxy-aware dispatcher (or the test's), the HTTP client, the endpoints. */
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
    retryBudgetMs: settings.retryBudgetMs,
    maxBodyBytes: settings.maxBodyBytes,
    debug: settings.debug,
    notice: settings.notice,
    unauthorizedHint: settings.unauthorizedHint,
  });
  return createApiClient(http);
}
