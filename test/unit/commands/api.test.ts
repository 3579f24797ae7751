import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApiOptions, newApiCommand } from '../../../src/commands/api/api.js';
import { resolveApiPath } from '../../../src/commands/api/api-path.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API, TEST_TOKEN } from '../../helpers/test-deps.js';

assertNoPendingAfterEach();

/** Parses argv through the runF seam: the options apiRun would get, nothing sent. */
async function parse(...argv: string[]): Promise<ApiOptions> {
  const { f } = makeTestDeps();
  let got: ApiOptions | undefined;
  const cmd = newApiCommand(f, async (_f, opts) => {
    got = opts;
    return 0;
  }).exitOverride();
  await cmd.parseAsync(argv, { from: 'user' });
  return got!;
}

const json = { 'content-type': 'application/json' };

describe('alto api: flags', () => {
  it('GET by default, POST when fields or --input are given, -X wins', async () => {
    expect((await parse('/workflows')).method).toBe('GET');
    expect((await parse('/x', '-F', 'a=1')).method).toBe('POST');
    expect((await parse('/x', '--input', 'body.json')).method).toBe('POST');
    expect((await parse('/x', '-X', 'put', '-f', 'a=1')).method).toBe('PUT');
  });
  it('keeps -f and -F in the order given, and -H as name/value pairs', async () => {
    const o = await parse('/x', '-F', 'a=1', '-f', 'a=2', '-H', 'Idempotency-Key: k1', '-H', 'X-Y:z');
    expect(o.fields).toEqual([{ raw: 'a=1', typed: true }, { raw: 'a=2', typed: false }]);
    expect(o.headers).toEqual([['Idempotency-Key', 'k1'], ['X-Y', 'z']]);
  });
  it('refuses an Authorization header, framing headers, bad methods and contradictions', async () => {
    await expect(parse('/x', '-H', 'authorization: Bearer other')).rejects.toThrow(/Authorization is not accepted/);
    await expect(parse('/x', '-H', 'Host: evil.example')).rejects.toThrow(/alto sets it/);
    await expect(parse('/x', '-H', 'no colon')).rejects.toThrow(/invalid header/);
    await expect(parse('/x', '-X', 'BREW')).rejects.toThrow(/unknown method/);
    await expect(parse('/x', '-X', 'POST', '--paginate')).rejects.toThrow(/--paginate follows pages of a GET/);
    await expect(parse('/x', '--input', 'b.json', '-f', 'a=1')).rejects.toThrow(/cannot be used together/);
    await expect(parse('/x', '-X', 'GET', '--input', 'b.json')).rejects.toThrow(/does not carry/);
  });
});

describe('alto api: paths stay on the API host', () => {
  it('accepts /path, path, and a full URL of the same origin under the base path', () => {
    expect(resolveApiPath('/workflows', 'https://h.test')).toBe('/workflows');
    expect(resolveApiPath('workflows?page=2', 'https://h.test')).toBe('/workflows?page=2');
    expect(resolveApiPath('https://h.test/api/workflows?page=2', 'https://h.test/api')).toBe('/workflows?page=2');
  });
  it('refuses another host, another scheme, a protocol-relative URL and a URL outside the base path', () => {
    expect(() => resolveApiPath('https://evil.test/workflows', 'https://h.test')).toThrow(/refusing to send the token to https:\/\/evil.test/);
    expect(() => resolveApiPath('http://h.test/workflows', 'https://h.test')).toThrow(/refusing/);
    expect(() => resolveApiPath('//evil.test/workflows', 'https://h.test')).toThrow(/refusing/);
    expect(() => resolveApiPath('https://h.test/other', 'https://h.test/api')).toThrow(/not under/);
    expect(() => resolveApiPath('/a b', 'https://h.test')).toThrow(/spaces or control/);
  });
});

describe('alto api: requests through the one client', () => {
  it('GET /workflows prints the body byte for byte, with the token and User-Agent of every command', async () => {
    const t = makeTestDeps();
    const body = '[ {"id": "fl_1",   "n": 1.50} ]';
    let auth: unknown;
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply((o) => {
      auth = (o.headers as Record<string, string>).authorization;
      return { statusCode: 200, data: body, responseOptions: { headers: json } };
    });
    const r = await t.run(['api', '/workflows']);
    expect(r).toMatchObject({ code: 0, stdout: body, stderr: '' });
    expect(auth).toBe(`Bearer ${TEST_TOKEN}`);
  });

  it('-X POST /workflows/<id>/execute -F context.a=1 sends {"context":{"a":1}} as JSON', async () => {
    const t = makeTestDeps();
    let sent: { body?: unknown; headers?: unknown } = {};
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply((o) => {
      sent = { body: o.body, headers: o.headers };
      return { statusCode: 202, data: '{"id":"fl_run_9","status":"pending"}', responseOptions: { headers: json } };
    });
    const r = await t.run(['api', '-X', 'POST', '/workflows/fl_1/execute', '-F', 'context.a=1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"id":"fl_run_9","status":"pending"}');
    expect(JSON.parse(String(sent.body))).toEqual({ context: { a: 1 } });
    expect((sent.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('--input FILE and --input - send a binary body byte for byte', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x0a]);
    const file = join(tempDir('alto-api-input-'), 'body.bin');
    writeFileSync(file, bytes);
    for (const [source, stdin] of [[file, undefined], ['-', bytes]] as const) {
      const t = makeTestDeps({ io: { stdin } });
      let sent: Buffer | undefined;
      t.api.intercept({ path: '/upload', method: 'POST' }).reply((o) => {
        sent = Buffer.from(o.body as Uint8Array | string);
        return { statusCode: 200, data: '{}', responseOptions: { headers: json } };
      });
      const r = await t.run(['api', '-X', 'POST', '/upload', '--input', source]);
      expect(r.code).toBe(0);
      expect(sent?.equals(bytes)).toBe(true);
    }
  });

  it('-f fields of a GET go to the query string, as gh api sends them', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=2', method: 'GET' }).reply(200, '{}', { headers: json });
    expect((await t.run(['api', '-X', 'GET', '/workflows/fl_1/executions', '-F', 'page=2'])).code).toBe(0);
  });

  it('a 404 prints the API body on stdout, one line on stderr, and exits 4', async () => {
    const t = makeTestDeps();
    const body = '{"type":"invalid_request_error","code":"resource_missing","message":"No run"}';
    t.api.intercept({ path: '/workflows/runs/nope', method: 'GET' }).reply(404, body, { headers: json });
    const r = await t.run(['api', '/workflows/runs/nope']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe(body);
    expect(r.stderr).toBe('alto: not found: No run\n');
  });

  it('a 422 exits 2 and a 401 exits 3, the body printed each time', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/a', method: 'POST' }).reply(422, '{"message":"bad context"}', { headers: json });
    t.api.intercept({ path: '/b', method: 'GET' }).reply(401, '{"message":"expired"}', { headers: json });
    const a = await t.run(['api', '/a', '-f', 'x=1']);
    expect([a.code, a.stdout]).toEqual([2, '{"message":"bad context"}']);
    const b = await t.run(['api', '/b']);
    expect([b.code, b.stdout]).toEqual([3, '{"message":"expired"}']);
  });

  it('retries a GET through a 503, but a POST without Idempotency-Key gets one try', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(503, 'down');
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(200, '[]', { headers: json });
    const g = await t.run(['api', '/workflows']);
    expect([g.code, g.stdout]).toEqual([0, '[]']);
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(503, 'down');
    const p = await t.run(['api', '-X', 'POST', '/workflows/fl_1/execute']);
    expect([p.code, p.stdout]).toEqual([5, 'down']);
  });

  it('a POST with -H Idempotency-Key is retried like execute', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(500, 'oops');
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, '{"id":"r"}', { headers: json });
    const r = await t.run(['api', '-X', 'POST', '/workflows/fl_1/execute', '-H', 'Idempotency-Key: 3f1c']);
    expect([r.code, r.stdout]).toEqual([0, '{"id":"r"}']);
  });

  it('a full URL to another host is refused before anything is sent (exit 2)', async () => {
    const t = makeTestDeps();
    const r = await t.run(['api', 'https://evil.test/workflows']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^alto: refusing to send the token to https:\/\/evil.test/);
  });

  it('--include prints the status line and headers (made safe), then the body', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(200, '[]', { headers: { ...json, 'x-note': 'a\u001b[31mb' } });
    const r = await t.run(['api', '-i', '/workflows']);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(r.stdout).toContain('content-type: application/json\n');
    expect(r.stdout).toContain('x-note: a\ufffd[31mb\n');
    expect(r.stdout).toMatch(/\n\n\[\]$/);
  });

  it('--paginate follows links.next (absolute, same host) and prints each page as sent', async () => {
    const t = makeTestDeps();
    const page = (n: number, next: string | null) => JSON.stringify({ data: [{ id: `r${n}` }], links: { next }, meta: { current_page: n } });
    t.api.intercept({ path: '/workflows/fl_1/executions', method: 'GET' }).reply(200, page(1, `${TEST_API}/workflows/fl_1/executions?page=2`), { headers: json });
    t.api.intercept({ path: '/workflows/fl_1/executions?page=2', method: 'GET' }).reply(200, page(2, null), { headers: json });
    const r = await t.run(['api', '--paginate', '/workflows/fl_1/executions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${page(1, `${TEST_API}/workflows/fl_1/executions?page=2`)}\n${page(2, null)}\n`);
  });

  it('--paginate stops with exit 5 when links.next points at another host or back at a page read', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/p', method: 'GET' }).reply(200, '{"data":[],"links":{"next":"https://evil.test/p?page=2"}}', { headers: json });
    const r = await t.run(['api', '--paginate', '/p']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/refusing to send the token to https:\/\/evil.test/);
    t.api.intercept({ path: '/q', method: 'GET' }).reply(200, `{"data":[],"links":{"next":"${TEST_API}/q"}}`, { headers: json });
    const q = await t.run(['api', '--paginate', '/q']);
    expect(q.code).toBe(5);
    expect(q.stderr).toMatch(/already read/);
  });
});
