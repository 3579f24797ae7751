// bin/alto.js: Node's compile cache only in a directory no one else can write; an unbuilt clone
// says so in one line. These spawn bin/alto with a chosen XDG_CACHE_HOME and look at the disk.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALTO, runAlto } from '../helpers/spawn-alto.js';

const hasCompileCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const fresh = () => mkdtempSync(join(tmpdir(), 'alto-startup-'));

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('compile cache', () => {
  it.runIf(hasCompileCache)('is written to $XDG_CACHE_HOME/alto, a 0700 directory, and used again', async () => {
    const xdg = fresh();
    const first = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect(first.code).toBe(0);
    const dir = join(xdg, 'alto');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(filesUnder(dir).length).toBeGreaterThan(0);
    const again = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect(again.stdout).toBe(first.stdout);
  });

  it.runIf(hasCompileCache)('falls back to ~/.cache/alto', async () => {
    const home = fresh();
    expect((await runAlto(['--help'], { env: { HOME: home } })).code).toBe(0);
    expect(filesUnder(join(home, '.cache', 'alto')).length).toBeGreaterThan(0);
  });

  it.runIf(!hasCompileCache)('is not attempted on a Node without module.enableCompileCache', async () => {
    const xdg = fresh();
    expect((await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } })).code).toBe(0);
    expect(readdirSync(xdg)).toEqual([]);
  });

  it('is not used in a directory others can write (alto runs without it, silently)', async () => {
    const xdg = fresh();
    mkdirSync(join(xdg, 'alto'));
    chmodSync(join(xdg, 'alto'), 0o777);
    const r = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(filesUnder(join(xdg, 'alto'))).toEqual([]);
  });

  it('is not used below a directory others can write (not sticky)', async () => {
    const xdg = fresh();
    chmodSync(xdg, 0o777);
    const r = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(filesUnder(xdg)).toEqual([]);
  });

  it('is not used through a symlink', async () => {
    const xdg = fresh();
    const elsewhere = fresh();
    symlinkSync(elsewhere, join(xdg, 'alto'));
    const r = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(filesUnder(elsewhere)).toEqual([]);
  });

  it('survives a cache whose every file was overwritten with garbage', async () => {
    const xdg = fresh();
    const clean = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    const files = filesUnder(xdg);
    for (const f of files) writeFileSync(f, Buffer.alloc(statSync(f).size, 0xa5));
    const r = await runAlto(['--help'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stdout, r.stderr]).toEqual([0, clean.stdout, '']);
  });

  it('an unusable cache location (a file where the directory should be) is no error', async () => {
    const xdg = fresh();
    writeFileSync(join(xdg, 'alto'), 'not a directory');
    const r = await runAlto(['--version'], { env: { XDG_CACHE_HOME: xdg } });
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('an unbuilt clone', () => {
  it('prints one line saying how to build and exits 78, not a "Cannot find module" stack', () => {
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
