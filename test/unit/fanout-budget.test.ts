// The fan-out's one budget is also the client's retry budget: a 429's Retry-After inside the
// client's own retry pauses it for every other request of the fan-out.
import { MockAgent } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { createHttpClient } from '../../src/api/http-client.js';
import { createRateBudget, takeSlot } from '../../src/api/rate-budget.js';
import { createApiClient } from '../../src/api/workflows-api.js';
import { FakeClock } from '../helpers/fake-clock.js';

const ORIGIN = 'https://api.test';
const agent = new MockAgent();
agent.disableNetConnect();
afterEach(() => agent.assertNoPendingInterceptors());

it("a 429 with Retry-After during the client's retry pauses the shared budget once; the retry takes a slot of it", async () => {
  const clock = new FakeClock();
  const api = createApiClient(
    createHttpClient({ baseUrl: ORIGIN, token: 't', userAgent: 'alto', dispatcher: agent, clock, random: () => 0.5, requestTimeoutMs: 5000, retryBudgetMs: 60_000 }),
  );
  const budget = createRateBudget({ limit: 50, windowMs: 60_000 });
  const pool = agent.get(ORIGIN);
  pool.intercept({ path: '/workflows/runs/r1', method: 'GET' }).reply(429, { message: 'slow down' }, { headers: { 'content-type': 'application/json', 'retry-after': '12' } });
  pool.intercept({ path: '/workflows/runs/r1', method: 'GET' }).reply(200, { id: 'r1', status: 'running' }, { headers: { 'content-type': 'application/json' } });
  const t0 = clock.now();
  let pausedTo = 0;
  await takeSlot(budget, clock);
  const run = await api.getRun('r1', {
    retryBudget: budget,
    onRetry: () => void (pausedTo = budget.nextSlot(clock.now())),
  });
  expect(run.status).toBe('running');
  // while the client waited, nobody else could take a slot before the server's 12 s
  expect(pausedTo - t0).toBeGreaterThanOrEqual(12_000);
  expect(pausedTo - t0).toBeLessThan(14_000);
  // the first try and the retry each took one slot
  expect(budget.recent()).toEqual([t0, pausedTo]);
});

it('takeSlot with a stop time: false without waiting or recording when the slot lies past it, true up to it', async () => {
  const clock = new FakeClock();
  const budget = createRateBudget({ limit: 1, windowMs: 60_000 });
  const t0 = clock.now();
  expect(await takeSlot(budget, clock)).toBe(true);
  // the next slot is t0 + 60 s
  expect(await takeSlot(budget, clock, undefined, t0 + 59_999)).toBe(false);
  expect(clock.now()).toBe(t0);
  expect(budget.recent()).toEqual([t0]);
  expect(await takeSlot(budget, clock, undefined, t0 + 60_000)).toBe(true);
  expect(clock.now()).toBe(t0 + 60_000);
  expect(budget.recent()).toEqual([t0 + 60_000]);
});
