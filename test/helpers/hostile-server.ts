import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A scriptable, deliberately hostile HTTP server for end-to-end tests: loopback only
 * (127.0.0.1, port 0), bounded (a request cap, every answer ends, close() ends every socket),
 * and logging every request so a test can assert "nothing sent" and request counts.
 */

/** One answer to one request. Everything optional: the default is 200 with an empty JSON object. */
export interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Sent as is (a string is UTF-8). */
  body?: string | Buffer;
  /** Serialised with JSON.stringify and sent as application/json (ignored when body is set). */
  json?: unknown;
  /** A huge body produced chunk by chunk (never held in memory whole); ends when the generator does or the server closes. */
  stream?: () => Iterable<string | Buffer> | AsyncIterable<string | Buffer>;
  /** Answer only once this settles (a gate the test opens), bounded by the server's close(). */
  after?: Promise<unknown>;
  /** Destroy the socket instead of answering (a reset connection). */
  reset?: boolean;
}

/** What a route answers: one answer every time, a sequence (the last one repeats), or a function of the call. */
export type Script = Answer | Answer[] | ((call: CallInfo) => Answer);

export interface CallInfo {
  /** 0-based index of this call among the calls to the same route. */
  index: number;
  /** Parts of the path matched by the route's pattern (regex groups). */
  params: string[];
  /** ms since the server started. */
  elapsedMs: number;
  request: LoggedRequest;
}

export interface Route {
  method: string;
  /** An exact path (without query) or a pattern tested against it. */
  path: string | RegExp;
  answer: Script;
}

export interface LoggedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The raw request target, query included. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** ms since the server started. */
  time: number;
  bodyBytes: number;
  body: string;
}

export interface HostileServerOptions {
  routes: Route[];
  /** Requests beyond this many are answered 503 and the server stops scripting (default 2,000). */
  maxRequests?: number;
  /** Request bodies are read up to this many bytes; the rest is counted, not kept (default 1 MiB). */
  maxBodyKeep?: number;
  /**
   * What a request that is not HTTP (a TLS ClientHello) gets: `destroy` ends the socket, as nginx
   * and most servers do (the default); `node` keeps Node's own "400 Bad Request" answer.
   */
  onGarbage?: 'destroy' | 'node';
}

export interface HostileServer {
  url: string;
  port: number;
  requests: LoggedRequest[];
  /** TCP connections accepted (a TLS hello to this plain-HTTP server is a connection without a request). */
  readonly connections: number;
  /** Requests matching a method and a path pattern. */
  count(method?: string, path?: string | RegExp): number;
  /** Requests refused because the cap was reached. */
  readonly overCap: number;
  close(): Promise<void>;
}

/** A gate a test opens by hand: `after: gate.promise`, then `gate.open()`. */
export function createGate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const matches = (pattern: string | RegExp, path: string): string[] | null => {
  if (typeof pattern === 'string') return pattern === path ? [] : null;
  const m = pattern.exec(path);
  return m ? m.slice(1) : null;
};

/** Starts a hostile server on 127.0.0.1 with an ephemeral port. */
export async function startHostileServer(opts: HostileServerOptions): Promise<HostileServer> {
  const maxRequests = opts.maxRequests ?? 2000;
  const maxBodyKeep = opts.maxBodyKeep ?? 1 << 20;
  const started = performance.now();
  const requests: LoggedRequest[] = [];
  const callsPerRoute = new Map<Route, number>();
  const sockets = new Set<Socket>();
  const state = { connections: 0, overCap: 0, closing: false };
  let closed!: () => void;
  const closedPromise = new Promise<void>((resolve) => (closed = resolve));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let bodyBytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bodyBytes += chunk.length;
      if (bodyBytes <= maxBodyKeep) chunks.push(chunk);
    }
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    const logged: LoggedRequest = {
      method: req.method ?? 'GET',
      path,
      url,
      headers: { ...req.headers },
      time: performance.now() - started,
      bodyBytes,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(logged);
    if (requests.length > maxRequests) {
      state.overCap += 1;
      res.writeHead(503, { 'content-type': 'text/plain', connection: 'close' });
      res.end('hostile server: request cap reached');
      return;
    }
    let answer: Answer = { status: 404, json: { type: 'not_found', code: 'not_found', message: `no route for ${logged.method} ${path}` } };
    for (const route of opts.routes) {
      if (route.method !== logged.method) continue;
      const params = matches(route.path, path);
      if (!params) continue;
      const index = callsPerRoute.get(route) ?? 0;
      callsPerRoute.set(route, index + 1);
      const script = route.answer;
      answer =
        typeof script === 'function'
          ? script({ index, params, elapsedMs: logged.time, request: logged })
          : Array.isArray(script)
            ? (script[Math.min(index, script.length - 1)] ?? {})
            : script;
      break;
    }
    if (answer.after) await Promise.race([answer.after, closedPromise]);
    if (state.closing || res.destroyed) return void res.destroy();
    if (answer.reset) return void req.socket.destroy();
    const headers: Record<string, string | string[]> = { ...(answer.headers ?? {}) };
    const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
    if (answer.stream) {
      if (!hasType) headers['content-type'] = 'application/json';
      res.writeHead(answer.status ?? 200, headers);
      for await (const chunk of answer.stream()) {
        if (state.closing || res.destroyed) return void res.destroy();
        if (!res.write(chunk)) {
          // Back-pressure: wait for the client to drain, or for the socket / server to go away.
          await Promise.race([new Promise((r) => res.once('drain', r)), new Promise((r) => res.once('close', r)), closedPromise]);
        }
      }
      res.end();
      return;
    }
    let body: string | Buffer = '';
    if (answer.body !== undefined) body = answer.body;
    else if ('json' in answer) {
      body = JSON.stringify(answer.json) ?? '';
      if (!hasType) headers['content-type'] = 'application/json';
    } else {
      body = '{}';
      if (!hasType) headers['content-type'] = 'application/json';
    }
    res.writeHead(answer.status ?? 200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A TLS hello or other garbage: end the socket (Node's default answers 400).
  if ((opts.onGarbage ?? 'destroy') === 'destroy') server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return state.connections;
    },
    get overCap() {
      return state.overCap;
    },
    count: (method, path) =>
      requests.filter((r) => (method === undefined || r.method === method) && (path === undefined || matches(path, r.path) !== null)).length,
    close: () =>
      new Promise<void>((resolve) => {
        state.closing = true;
        closed();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A JSON array of `count` copies of `item`, streamed in ~64 KiB chunks: `[item,item,...]`. */
export function* jsonArrayStream(item: string, count: number): Generator<string> {
  yield '[';
  const perChunk = Math.max(1, Math.floor(65536 / (item.length + 1)));
  for (let i = 0; i < count; i += perChunk) {
    const n = Math.min(perChunk, count - i);
    yield (i === 0 ? '' : ',') + Array(n).fill(item).join(',');
  }
  yield ']';
}
