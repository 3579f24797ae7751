// bin/alto.js: where the compile cache goes, and an unbuilt clone says so in one line. These
// spawn bin/alto with a chosen XDG_CACHE_HOME or HOME and look at the disk.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ALTO, runAlto } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

const hasCompileCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const fresh = () => tempDir('alto-startup-');

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

// Where the cache goes. Whom it trusts (a private directory only: not 0777, another uid's, a
// symlink, below a writable directory), a corrupt cache, and no cache on Node < 22.8 are the
// class-14 rows of hostile.test.ts, with Node's own trace as the witness.
describe.concurrent('compile cache location', () => {
  it.runIf(hasCompileCache)('falls back to ~/.cache/alto', async ({ expect }) => {
    const home = fresh();
    expect((await runAlto(['--help'], { env: { HOME: home } })).code).toBe(0);
    expect(filesUnder(join(home, '.cache', 'alto')).length).toBeGreaterThan(0);
  });

  it('an unusable cache location (a file where the directory should be) is no error', async ({ expect }) => {
    const xdg = fresh();
    writeFileSync(join(xdg, 'alto'), 'not a directory');
    const r = await runAlto(['--version'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe.concurrent('an unbuilt clone', () => {
  it('prints one line saying how to build and exits 78, not a "Cannot find module" stack', ({ expect }) => {
    const clone = fresh();
    mkdirSync(join(clone, 'bin'));
    copyFileSync(ALTO, join(clone, 'bin', 'alto.js'));
    copyFileSync(join(ALTO, '..', 'package.json'), join(clone, 'bin', 'package.json'));
    const r = spawnSync(process.execPath, [join(clone, 'bin', 'alto.js'), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('alto: this clone is not built yet: run `npm ci` (or `npm run build`)\n');
  });
});
