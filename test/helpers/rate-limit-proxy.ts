import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RateLimitProxy {
  url: string;
  /** Requests answered 429 by the proxy. */
  limited: number;
  /** Requests passed through. */
  passed: number;
  close(): Promise<void>;
}

/**
 * A purpose-built strict gateway in front of a server on loopback: at most `limit` requests per
 * `windowMs`; beyond that, 429 with Retry-After in whole seconds, as a real gateway would say it.
 */
export async function startRateLimitProxy(target: string, limit: number, windowMs: number): Promise<RateLimitProxy> {
  const upstream = new URL(target);
  const times: number[] = [];
  const state = { limited: 0, passed: 0 };
  const server: Server = createServer((req, res) => {
    const now = performance.now();
    while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
    if (times.length >= limit) {
      state.limited += 1;
      const waitMs = (times[0] as number) + windowMs - now;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
      res.end(JSON.stringify({ type: 'rate_limit_error', code: 'rate_limited', message: 'Too many requests.' }));
      req.resume();
      return;
    }
    times.push(now);
    state.passed += 1;
    const fwd = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get limited() {
      return state.limited;
    },
    get passed() {
      return state.passed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
