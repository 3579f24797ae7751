/** startSandbox: the HTTP server that ties the API, the fault injector and the request log together. */
import { DEFAULT_SANDBOX_TOKEN } from './defaults.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import type { ApiContext } from './api-context.js';
import { handleControlRequest } from './control.js';
import { DEMO_SCENARIO } from './demo-workflows.js';
import { createFaultInjector } from './fault-injector.js';
import { validateFaultRule } from './faults.js';
import { readBody, resetSocket, writeReply, writeTruncated } from './http-io.js';
import { apiError, emptyBody, gatewayError, rateLimited, type Reply } from './replies.js';
import { createRateLimiter, rateKey } from './rate-limiter.js';
import { handleApiRequest } from './router.js';
import { createRunStore } from './run-store.js';
import { validateScenario } from './scenario.js';
import { compileWorkflow } from './script.js';
import { ShapeError } from './shape.js';
import { viewRun } from './timeline.js';
import { apiTime } from './timestamps.js';
import type { FaultRule, RequestRecord, Sandbox, SandboxClock, SandboxOptions, SandboxRunInfo } from './types.js';

export const DEFAULT_PER_PAGE = 15;

const wallClock: SandboxClock = { now: () => performance.timeOrigin + performance.now() };

function checkFaults(rules: readonly FaultRule[]): FaultRule[] {
  return rules.map((rule, i) => {
    try {
      return validateFaultRule(rule, `faults[${i}]`);
    } catch (err) {
      if (err instanceof ShapeError) throw new UsageError(`invalid fault rule: ${err.message}`);
      throw err;
    }
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The URL clients should use: a wildcard address is reached through loopback. */
function publicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return new UsageError(`cannot listen on ${where}: the port is already in use`, 'choose another --port, or --port 0 for a free one');
  if (code === 'EACCES') return new UsageError(`cannot listen on ${where}: permission denied`, 'ports below 1024 need privileges; choose another --port');
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new UsageError(`cannot listen on ${where}: no such local address`, 'check --host');
  return err;
}

/** Starts the emulator and resolves once it listens. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const clock = opts.clock ?? wallClock;
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? DEFAULT_SANDBOX_TOKEN;
  const scenario = validateScenario(opts.scenarios ?? DEMO_SCENARIO, 'scenarios');
  const faults = createFaultInjector([...checkFaults(opts.faults ?? []), ...(scenario.faults ?? [])]);
  const store = createRunStore(() => clock.now());
  const ctx: ApiContext = {
    scripts: new Map(scenario.workflows.map((w) => [w.id, compileWorkflow(w)])),
    store,
    clock,
    perPage: opts.perPage ?? DEFAULT_PER_PAGE,
    token,
    startedAt: clock.now(),
  };
  if (opts.rateLimit !== undefined && !(Number.isInteger(opts.rateLimit) && opts.rateLimit >= 1)) {
    throw new UsageError(`invalid rate limit ${opts.rateLimit}: use a whole number of requests per minute, 1 or more`);
  }
  const newLimiter = () => (opts.rateLimit === undefined ? undefined : createRateLimiter(opts.rateLimit));
  let limiter = newLimiter();
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const runInfo = (now: number): SandboxRunInfo[] =>
    store.all().map((run) => {
      const view = viewRun(run, now);
      return {
        id: run.id,
        workflow_id: run.workflowId,
        status: view.status,
        origin: run.origin,
        original_run_id: run.originalRunId,
        resumed_from_node: run.resumedFrom,
        idempotency_key: run.idempotencyKey,
        context: run.context,
        created_at: apiTime(run.createdAt),
        log_count: view.logs?.length ?? 0,
      };
    });

  const control = {
    requests,
    get runs() {
      return runInfo(clock.now());
    },
    reset() {
      requests.length = 0;
      store.clear();
      faults.reset();
      limiter = newLimiter();
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = clock.now();
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname === '/__sandbox' || url.pathname.startsWith('/__sandbox/')) {
      writeReply(res, handleControlRequest(control, method, url.pathname));
      return;
    }
    const record: RequestRecord = {
      method,
      path: req.url ?? '/',
      headers: flatHeaders(req),
      body: body ?? '',
      status: null,
      fault: null,
      refused: false,
      time: arrived,
      duration_ms: null,
    };
    requests.push(record);
    const done = (status: number | null, answered: boolean) => {
      record.status = status;
      if (answered) record.duration_ms = clock.now() - arrived;
      opts.onRequest?.(record);
    };
    const answer = (reply: Reply) => {
      writeReply(res, reply);
      done(reply.status, true);
    };

    const fault = faults.pick(method, url.pathname);
    record.fault = fault?.kind ?? null;
    switch (fault?.kind) {
      case 'reset':
        resetSocket(req.socket);
        return done(null, false);
      case 'hang':
        return done(null, false); // the socket stays open until the client gives up or close()
      case 'rate_limit':
        return answer(rateLimited(fault.retry_after));
      case 'http_error':
        return answer(gatewayError(fault.status ?? 503));
      case 'empty_body':
        return answer(emptyBody());
      default:
        break;
    }

    // The limit is the API's own: requests a gateway fault answered never reached it.
    const admission = limiter?.admit(rateKey(record.headers.authorization), arrived);
    if (admission && !admission.ok) {
      record.refused = true;
      return answer(rateLimited(admission.retryAfterSeconds));
    }

    const reply =
      body === undefined
        ? apiError(413, 'invalid_request_error', 'payload_too_large', 'The request body is too large.')
        : handleApiRequest(ctx, {
            method,
            pathname: url.pathname,
            query: url.searchParams,
            headers: record.headers,
            body,
            origin: `http://${req.headers.host ?? publicUrl(host, port).slice('http://'.length)}`,
          });
    switch (fault?.kind) {
      case 'reset_after_create':
        resetSocket(req.socket);
        return done(null, false);
      case 'truncate':
        writeTruncated(res, reply);
        return done(reply.status, true);
      case 'slow': {
        // The work is done now; only the answer is late (a client that gives up may find the run later).
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer(reply);
        }, fault.delay_ms ?? 2000);
        timers.add(timer);
        return;
      }
      default:
        return answer(reply);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => resetSocket(req.socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  let port = opts.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(listenError(err, host, port)));
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl(host, port),
    port,
    token,
    workflows: [...ctx.scripts.values()].map((s) => ({ id: s.id, name: s.name })),
    requests,
    get runs() {
      return control.runs;
    },
    runsCreated: (workflowId) => store.all().filter((r) => workflowId === undefined || r.workflowId === workflowId).length,
    reset: () => control.reset(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
