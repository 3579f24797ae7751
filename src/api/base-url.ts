import { UsageError } from '../errors.js';

export const DEFAULT_API_URL = 'https://v1.api.altostrat.io';

/** True for localhost, 127.0.0.0/8 and ::1: the only hosts that may be reached over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks an API base URL and returns it without a trailing slash. The token is only ever sent
 * over https, or over plain http to a loopback host (the sandbox); anything else is exit 2.
 */
export function checkBaseUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid API URL from ${source}: "${raw}"`, 'use a full URL such as https://v1.api.altostrat.io');
  }
  if (url.username || url.password) {
    throw new UsageError(`the API URL from ${source} must not carry credentials`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new UsageError(
      `refusing to send the token over plain http to ${url.host} (API URL from ${source})`,
      'use https; plain http is allowed only to loopback hosts such as 127.0.0.1 (alto sandbox)',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`unsupported scheme "${url.protocol}" in the API URL from ${source}`, 'use https://');
  }
  if (url.search || url.hash) {
    throw new UsageError(`the API URL from ${source} must not have a query or fragment`);
  }
  return url.href.replace(/\/+$/, '');
}
