import { CliError, ExitCode, UsageError } from '../../errors.js';

/**
 * Turns the <path> of `alto api` (or a page's `links.next`) into a path below the base URL.
 * `/workflows` and `workflows` (as gh accepts it) both mean base URL + /workflows. A full URL is
 * accepted only on the base URL's own origin and under its path: the token never leaves for
 * another host. `from` says who gave the URL (the user: exit 2; the server: exit 5).
 */
export function resolveApiPath(given: string, baseUrl: string, from: 'user' | 'server' = 'user'): string {
  const fail = (message: string, hint?: string): never => {
    throw from === 'user' ? new UsageError(message, hint) : new CliError(message, ExitCode.Api, hint);
  };
  const what = from === 'user' ? 'the path' : 'links.next';
  if (/[\u0000-\u0020\u007f-\u009f]/.test(given)) fail(`${what} must not contain spaces or control characters`, 'percent-encode them, e.g. %20');
  if (given.length > 8192) fail(`${what} is longer than 8192 characters`);
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(given) || given.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(given, base);
    } catch {
      return fail(`${what} is not a valid URL`);
    }
    if (url.origin !== base.origin) {
      return fail(
        `refusing to send the token to ${url.origin}: ${what} is not on the API URL ${base.origin}`,
        from === 'user' ? 'give a path such as /workflows; --api-url chooses the host' : undefined,
      );
    }
    if (url.username || url.password) fail(`${what} must not carry credentials`);
    if (basePath !== '' && url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      fail(`${what} is not under the API URL's path ${basePath}`);
    }
    return `${url.pathname.slice(basePath.length) || '/'}${url.search}`;
  }
  if (given.includes('#')) fail(`${what} must not have a fragment (#)`);
  return given.startsWith('/') ? given : `/${given}`;
}
