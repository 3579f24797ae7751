import type { Env } from '../deps.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The undici agent every request goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (lowercase
 * wins, as in curl) via EnvHttpProxyAgent. Loopback hosts always bypass the proxy, so the
 * sandbox works behind one. Loads undici only now (the heaviest part of start-up).
 */
export async function createProxyAwareDispatcher(env: Env) {
  const { EnvHttpProxyAgent } = await import('../vendor/undici.js');
  const noProxy = [env.no_proxy ?? env.NO_PROXY, 'localhost', '127.0.0.1', '[::1]'].filter(Boolean).join(',');
  return new EnvHttpProxyAgent({
    httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
    httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? env.http_proxy ?? env.HTTP_PROXY ?? '',
    noProxy,
    connect: { timeout: CONNECT_TIMEOUT_MS },
  });
}
