import { afterEach, describe, expect, it } from 'vitest';
import { formatRequestLine } from '../../src/commands/sandbox/sandbox-run.js';
import { createRateLimiter } from '../../src/sandbox/rate-limiter.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

const T0 = Date.parse('2025-10-31T12:00:00Z');
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(opts: SandboxOptions = {}) {
  let t = T0;
  const sb = await startSandbox({ clock: { now: () => t }, ...opts });
  open.push(sb);
  const get = (path: string, token = sb.token) => fetch(sb.url + path, { headers: { authorization: `Bearer ${token}` } });
  return { sb, get, advance: (ms: number) => (t += ms) };
}

describe('sandbox --rate-limit', () => {
  it('refuses the request beyond N in a rolling minute with the API error body and a truthful Retry-After', async () => {
    const { sb, get, advance } = await start({ rateLimit: 3 });
    for (let i = 0; i < 3; i += 1) {
      expect((await get('/workflows')).status).toBe(200);
      advance(10_000); // requests at 0 s, 10 s, 20 s
    }
    const refused = await get('/workflows'); // at 30 s: the oldest leaves the window at 60 s
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toEqual({
      type: 'rate_limit_error',
      code: 'rate_limited',
      message: 'Too many requests.',
      doc_url: 'https://docs.altostrat.io/errors/rate_limited',
    });
    advance(29_500); // 59.5 s: still full, half a second left rounds up to 1
    const late = await get('/workflows');
    expect(late.status).toBe(429);
    expect(late.headers.get('retry-after')).toBe('1');
    advance(500); // 60 s: the 0 s request has left; the refused ones never counted
    expect((await get('/workflows')).status).toBe(200);
    expect((await get('/workflows')).status).toBe(429); // the 10 s and 20 s ones are still in
    expect(sb.requests.map((r) => r.refused)).toEqual([false, false, false, true, true, false, true]);
    expect(sb.requests.filter((r) => r.refused).every((r) => r.status === 429 && r.fault === null)).toBe(true);
  });

  it('counts each token on its own, and a reset forgets the windows', async () => {
    const { sb, get } = await start({ rateLimit: 1 });
    expect((await get('/workflows')).status).toBe(200);
    expect((await get('/workflows')).status).toBe(429);
    expect((await get('/workflows', 'another-token')).status).toBe(401); // its own window: not refused
    sb.reset();
    expect((await get('/workflows')).status).toBe(200);
  });

  it('has no limit unless asked, and rejects a limit that is not a positive whole number', async () => {
    const { sb, get } = await start();
    for (let i = 0; i < 70; i += 1) expect((await get('/workflows')).status).toBe(200);
    expect(sb.requests.some((r) => r.refused)).toBe(false);
    await expect(startSandbox({ rateLimit: 0 })).rejects.toThrow(/invalid rate limit/);
  });

  it('logs a refused request with a marker', () => {
    const base = { method: 'GET', path: '/workflows', headers: {}, body: '', fault: null, time: 0 };
    expect(formatRequestLine({ ...base, status: 429, refused: true, duration_ms: 1 })).toBe('GET /workflows 429 1ms [refused: rate limit]');
    expect(formatRequestLine({ ...base, status: 200, refused: false, duration_ms: 1 })).toBe('GET /workflows 200 1ms');
  });

  it('bounds its memory: tokens idle for a whole window are forgotten', () => {
    const limiter = createRateLimiter(1, 1000);
    for (let i = 0; i < 20_000; i += 1) expect(limiter.admit(`t${i}`, i * 10).ok).toBe(true);
    expect(limiter.admit('t19999', 200_000)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});

describe('sandbox executions list at the API default page size', () => {
  it('pages 15 per page, newest first, even for runs created in the same millisecond', async () => {
    const { sb } = await start();
    const auth = { authorization: `Bearer ${sb.token}`, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 16; i += 1) {
      const res = await fetch(`${sb.url}/workflows/fl_demo_onboarding/execute`, { method: 'POST', headers: auth, body: '{}' });
      ids.push(((await res.json()) as { id: string }).id);
    }
    const page = async (n: number) => (await (await fetch(`${sb.url}/workflows/fl_demo_onboarding/executions?page=${n}`, { headers: auth })).json()) as any;
    const one = await page(1);
    expect(one.data.map((r: any) => r.id)).toEqual(ids.slice(1).reverse());
    expect(one.meta).toMatchObject({ current_page: 1, from: 1, to: 15, per_page: 15, last_page: 2, total: 16 });
    const two = await page(2);
    expect(two.data.map((r: any) => r.id)).toEqual([ids[0]]);
    expect(two.links.next).toBeNull();
    expect(two.meta).toMatchObject({ from: 16, to: 16 });
  });
});
