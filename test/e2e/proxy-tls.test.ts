import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { runAlto, secret } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

// A private CA's world, on loopback only: the API at https://api.alto.test (a name no DNS
// knows), reachable only through a CONNECT proxy, with a certificate Node trusts only
// through NODE_EXTRA_CA_CERTS.
const TOKEN = secret('wfk_e2e_proxy_token_c0ffee42');
const HOST = 'api.alto.test';
const dir = tempDir('alto-tls-');
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
let sandbox: Sandbox;
let tls: Server;
let proxy: Server;
const connects: string[] = [];
const port = (s: Server) => (s.address() as AddressInfo).port;
const listen = (s: Server) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
const close = (s: Server) => new Promise<void>((resolve) => (s.closeAllConnections?.(), s.close(() => resolve())));

beforeAll(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS });
  const upstream = new URL(sandbox.url);
  tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const fwd = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(fwd);
  });
  await listen(tls);
  proxy = createHttpServer();
  proxy.on('connect', (req, client, head) => {
    connects.push(req.url ?? '');
    const server = connect(port(tls), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      server.write(head);
      server.pipe(client);
      client.pipe(server);
    });
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());
  });
  await listen(proxy);
});
afterAll(async () => {
  await Promise.all([close(proxy), close(tls), sandbox.close()]);
});

describe('HTTPS through a proxy with a private CA', () => {
  it('HTTPS_PROXY and NODE_EXTRA_CA_CERTS: execute --watch completes through the tunnel', async () => {
    const env = { ALTO_API_URL: `https://${HOST}`, ALTO_TOKEN: TOKEN, HTTPS_PROXY: `http://127.0.0.1:${port(proxy)}`, NODE_EXTRA_CA_CERTS: cert };
    const r = await runAlto(['wf', 'execute', 'fl_ok', '--watch', '-q'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(connects).toContain(`${HOST}:443`);
    expect(sandbox.runsCreated('fl_ok')).toBe(1);
    expect(sandbox.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('lowercase https_proxy wins, as in curl', async () => {
    const before = connects.length;
    const env = { ALTO_API_URL: `https://${HOST}`, ALTO_TOKEN: TOKEN, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: `http://127.0.0.1:${port(proxy)}`, NODE_EXTRA_CA_CERTS: cert };
    const r = await runAlto(['wf', 'list', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(connects.length).toBe(before + 1);
  });

  it('without the CA: exit 5, one line saying it is a TLS problem and how to fix it', async () => {
    const env = { ALTO_API_URL: `https://${HOST}`, ALTO_TOKEN: TOKEN, HTTPS_PROXY: `http://127.0.0.1:${port(proxy)}` };
    const r = await runAlto(['wf', 'list'], { env });
    expect(r.code).toBe(5);
    expect(r.stderr.split('\n')[0]).toMatch(/^alto: TLS error talking to api\.alto\.test/);
    expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('the sandbox on loopback is reached directly even when a proxy is set', async () => {
    const before = connects.length;
    const env = { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN, HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' };
    const r = await runAlto(['wf', 'list', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(connects.length).toBe(before);
  });
});
