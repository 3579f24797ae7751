// The environment every child of the bench runs in: the same for the baseline and for alto,
// so that ratios compare like with like.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables that would make a child measure something else than a plain start on loopback. */
const DROPPED = [
  'NODE_EXTRA_CA_CERTS', // Node re-reads the CA bundle at start: ~100 ms on every start
  'NODE_OPTIONS', // --require/--inspect would be timed too
  'FORCE_COLOR', // output goes to a pipe: keep it as a user's pipe would get it
  'NO_COLOR',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', // the sandbox is on loopback: no proxy
  'http_proxy', 'https_proxy', 'no_proxy', 'all_proxy',
];

/** A temp dir for the whole bench (config dir, scenario file); removed by cleanup(). */
export function makeTempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'alto-bench-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The base environment, without any ALTO_* a developer may have exported. */
export function cleanEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of DROPPED) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('ALTO_')) delete env[name];
  // CI=1 always: no spinner even if a stream were a TTY, and the same code path in every run.
  env.CI = '1';
  return { ...env, ...extra };
}

/** The environment for alto children: pointed at the sandbox, with a private config dir. */
export function altoEnv(sandbox, configDir) {
  return cleanEnv({ ALTO_API_URL: sandbox.url, ALTO_TOKEN: sandbox.token, ALTO_CONFIG_DIR: configDir });
}
