import { describe, expect, it } from 'vitest';
import { checkBaseUrl, isLoopbackHost } from '../../src/api/base-url.js';
import { retryDelay, parseRetryAfter } from '../../src/api/backoff.js';
import { jwtExpiry } from '../../src/commands/auth/jwt.js';
import { idempotencyKey, uuidV5 } from '../../src/input/idempotency.js';
import { UsageError } from '../../src/errors.js';
import { parseOutputFlags } from '../../src/commands/shared/output-flags.js';
import { parsePort, parsePositiveInt } from '../../src/commands/shared/parse-number.js';
import { parseWatchFlags } from '../../src/commands/shared/watch-flags.js';
import { formatDuration, parseDuration } from '../../src/util/duration.js';
import { maskToken, redact } from '../../src/util/redact.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2', 2000],
    ['1.5s', 1500],
  ])('parses %s', (text, ms) => expect(parseDuration(text, '--timeout')).toBe(ms));

  it.each(['', 'soon', '5x', '-1s', '1h 2m', 's'])('rejects %j naming the flag', (text) => {
    expect(() => parseDuration(text, '--interval')).toThrow(UsageError);
    expect(() => parseDuration(text, '--interval')).toThrow(`invalid duration for --interval: "${text}"`);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(75_000)).toBe('1m15s');
    expect(formatDuration(3_720_000)).toBe('1h2m');
  });
});

describe('watch and output flags', () => {
  const defaults = { timeout: '65m', interval: '2s', maxOutage: '5m' };
  it('has the contract defaults', () => {
    expect(parseWatchFlags(defaults)).toEqual({ timeoutMs: 3_900_000, intervalMs: 2000, maxOutageMs: 300_000, strict: false, verbose: false });
  });
  it('rejects a zero timeout and a too-small interval', () => {
    expect(() => parseWatchFlags({ ...defaults, timeout: '0s' })).toThrow(UsageError);
    expect(() => parseWatchFlags({ ...defaults, interval: '10ms' })).toThrow(/at least 100ms/);
    expect(() => parseWatchFlags({ ...defaults, maxOutage: 'x' })).toThrow(/--max-outage/);
  });
  it('maps --json, -q and --output', () => {
    expect(parseOutputFlags({}, true)).toEqual({ json: false, ndjson: false, quiet: false });
    expect(parseOutputFlags({ json: true }, true)).toEqual({ json: true, ndjson: false, quiet: false });
    expect(parseOutputFlags({ output: 'ndjson' }, true)).toEqual({ json: false, ndjson: true, quiet: false });
    expect(parseOutputFlags({ output: 'json' }, false)).toEqual({ json: true, ndjson: false, quiet: false });
  });
  it('rejects contradictions and unknown formats', () => {
    expect(() => parseOutputFlags({ output: 'yaml' }, true)).toThrow(/invalid value for --output: "yaml"/);
    expect(() => parseOutputFlags({ output: 'ndjson' }, false)).toThrow(UsageError);
    expect(() => parseOutputFlags({ json: true, output: 'ndjson' }, true)).toThrow(/contradict/);
    expect(() => parseOutputFlags({ json: true, quiet: true }, true)).toThrow(/cannot be used together/);
  });
  it('checks pages, limits and ports', () => {
    expect(parsePositiveInt('3', '--page')).toBe(3);
    expect(() => parsePositiveInt('0', '--page')).toThrow(/--page takes a whole number/);
    expect(() => parsePositiveInt('2.5', '--limit')).toThrow(UsageError);
    expect(parsePort('0')).toBe(0);
    expect(() => parsePort('70000')).toThrow(/--port/);
  });
});

describe('API URL', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(checkBaseUrl('https://v1.api.altostrat.io/', 'flag')).toBe('https://v1.api.altostrat.io');
    expect(checkBaseUrl('http://127.0.0.1:8787', 'flag')).toBe('http://127.0.0.1:8787');
    expect(checkBaseUrl('http://localhost:1/api', 'flag')).toBe('http://localhost:1/api');
    expect(checkBaseUrl('http://[::1]:9', 'flag')).toBe('http://[::1]:9');
  });
  it.each([
    ['http://api.example.com', /refusing to send the token over plain http to api\.example\.com/],
    ['http://10.0.0.5:8080', /plain http/],
    ['http://127.0.0.1.nip.io', /plain http/],
    ['ftp://x', /unsupported scheme/],
    ['not a url', /invalid API URL/],
    ['https://user:pw@host', /must not carry credentials/],
  ])('refuses %s', (url, message) => {
    expect(() => checkBaseUrl(url, 'ALTO_API_URL')).toThrow(message);
  });
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});

describe('idempotency keys', () => {
  it('sends a UUID as given and maps any other string to the same v5 UUID every time', async () => {
    const uuid = '3f6c2b0e-8a51-4d3e-9b7a-0c2d4e6f8a10';
    expect(await idempotencyKey(uuid)).toBe(uuid);
    const a = await idempotencyKey('ci-job-1234');
    expect(a).toBe(await idempotencyKey('ci-job-1234'));
    expect(a).not.toBe(await idempotencyKey('ci-job-1235'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('is random per invocation without a key', async () => {
    const key = await idempotencyKey(undefined);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(key).not.toBe(await idempotencyKey(undefined));
  });
  it('computes RFC 4122 v5 UUIDs (the DNS namespace example)', async () => {
    expect(await uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('secrets', () => {
  it('redacts every occurrence of a secret and any bearer credential', () => {
    expect(redact('token wfk_secret123 and again wfk_secret123', ['wfk_secret123'])).toBe('token *** and again ***');
    expect(redact('Authorization: Bearer abc.def', [])).toBe('Authorization: Bearer ***');
  });
  it('masks tokens', () => {
    expect(maskToken('wfk_abcdefghijklmnop1234')).toBe('wfk_****1234');
    expect(maskToken('short')).toBe('****');
  });
  it('reads a JWT expiry and ignores anything else', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000 })).toString('base64url');
    expect(jwtExpiry(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`)).toBe(1_900_000_000_000);
    expect(jwtExpiry('wfk_plain_token')).toBeUndefined();
    expect(jwtExpiry('a.!!!.c')).toBeUndefined();
  });
});

describe('backoff', () => {
  it('uses full jitter under a growing ceiling', () => {
    expect(retryDelay(1, () => 0.999)).toBeLessThanOrEqual(500);
    expect(retryDelay(3, () => 0.999)).toBeGreaterThan(1900);
    expect(retryDelay(3, () => 0.999)).toBeLessThanOrEqual(2000);
    expect(retryDelay(20, () => 0.999)).toBeLessThanOrEqual(15_000);
    expect(retryDelay(2, () => 0)).toBe(500);
  });
  it('honours Retry-After, even beyond 30 s', () => {
    expect(retryDelay(1, () => 0, 45_000)).toBe(45_000);
    expect(parseRetryAfter('120', 0)).toBe(120_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});
