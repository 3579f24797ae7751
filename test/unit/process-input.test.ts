import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, statSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildContext as buildFrom, stdinSource, MAX_CONTEXT_BYTES } from '../../src/input/context-input.js';
import { configDir, NoConfigDirError } from '../../src/config/paths.js';
import { readConfig, writeProfile } from '../../src/config/store.js';
import type { InStream } from '../../src/deps.js';
import { UsageError } from '../../src/errors.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempConfigDir } from '../helpers/spawn-alto.js';

/** buildContext over a stdin made on first use. */
const buildContext = (input: Parameters<typeof buildFrom>[0], get: () => import('../../src/deps.js').InStream, signal?: AbortSignal) => buildFrom(input, stdinSource(get), signal);

// Issue 7.10-7.12: bounded reads of the context and the config, clear errors, no lost profiles.
const noStdin = (): InStream => {
  throw new Error('stdin not expected');
};

describe('the context is capped at 10 MiB, read in a bounded way (7.10)', () => {
  it('--context /dev/zero ends fast, naming the limit', async () => {
    const started = performance.now();
    await expect(buildContext({ source: '/dev/zero', fields: [] }, noStdin)).rejects.toThrow(/cannot read context file \/dev\/zero: it is larger than 10 MiB \(the limit for a context\)/);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('a regular file over the limit is refused before reading', async () => {
    const file = join(tempConfigDir(), 'big.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_CONTEXT_BYTES + 1);
    await expect(buildContext({ source: file, fields: [] }, noStdin)).rejects.toThrow(/larger than 10 MiB/);
  });

  it('endless stdin (`yes | alto ... --context -`) stops at the cap and is destroyed', async () => {
    let pushed = 0;
    const endless = new Readable({
      read() {
        pushed += 65536;
        this.push(Buffer.alloc(65536, 'y'));
      },
    });
    await expect(buildContext({ source: '-', fields: [] }, () => endless as InStream)).rejects.toThrow(/the context on stdin is larger than 10 MiB/);
    expect(endless.destroyed).toBe(true);
    expect(pushed).toBeLessThan(MAX_CONTEXT_BYTES + 4 * 65536);
  });

  it('-F x=@/dev/zero too, and the merged result', async () => {
    await expect(buildContext({ fields: [{ raw: 'x=@/dev/zero', typed: true }] }, noStdin)).rejects.toThrow(/cannot read \/dev\/zero for field x: it is larger than 10 MiB/);
    const half = 'z'.repeat(6 * 1024 * 1024);
    await expect(
      buildContext({ fields: [{ raw: `a=${half}`, typed: false }, { raw: `b=${half}`, typed: false }] }, noStdin),
    ).rejects.toThrow(/the context is larger than 10 MiB \(the limit\) once the fields are merged/);
    // Just under the limit is fine.
    expect(await buildContext({ fields: [{ raw: `a=${half}`, typed: false }] }, noStdin)).toEqual({ a: half });
  });
});

describe('a deeply nested context is refused, not a crash (7.8)', () => {
  it.each([
    ['a file', (deep: string) => ({ source: '-', fields: [], stdin: `{"a":${deep}}` })],
    ['a typed field', (deep: string) => ({ source: undefined, fields: [{ raw: `a=${deep}`, typed: true }], stdin: '' })],
  ])('%s nested 10,000 deep: exit 2 naming the depth limit', async (_name, make) => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const { source, fields, stdin } = make(deep);
    const err = await buildContext({ source, fields }, () => Readable.from([stdin]) as InStream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/nested deeper than 256 levels/);
  });
  it('256 levels are accepted', async () => {
    const deep = `${'['.repeat(255)}${']'.repeat(255)}`;
    await expect(buildContext({ source: undefined, fields: [{ raw: `a=${deep}`, typed: true }] }, () => Readable.from(['']) as InStream)).resolves.toBeTypeOf('object');
  });
});

describe('config.json is read safely (7.10, 7.12)', () => {
  const dirWith = (content?: string) => {
    const dir = tempConfigDir();
    if (content !== undefined) writeFileSync(join(dir, 'config.json'), content);
    return dir;
  };

  it('a FIFO does not hang; /dev/zero and a huge file are refused', async () => {
    const fifo = tempConfigDir();
    execFileSync('mkfifo', [join(fifo, 'config.json')]);
    await expect(readConfig(fifo)).rejects.toThrow(/config\.json: not a regular file/);
    const zero = tempConfigDir();
    symlinkSync('/dev/zero', join(zero, 'config.json'));
    await expect(readConfig(zero)).rejects.toThrow(/not a regular file/);
    const huge = dirWith('');
    truncateSync(join(huge, 'config.json'), 2 * 1024 * 1024);
    await expect(readConfig(huge)).rejects.toThrow(/it is larger than 1 MiB/);
  });

  it.each([['{"profiles": 5}'], ['{"profiles": []}'], ['{"profiles": "x"}'], ['[1]'], ['{bad']])('%s is a clear error (exit 2), also for a login', async (text) => {
    const dir = dirWith(text);
    await expect(readConfig(dir)).rejects.toThrow(UsageError);
    await expect(readConfig(dir)).rejects.toThrow(/config file .*config\.json/);
    await expect(writeProfile(dir, 'a', { token: 't' }, new FakeClock())).rejects.toThrow(UsageError);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(text);
  });

  it('writes 0600 through a temp file, keeps other profiles and keys', async () => {
    const dir = dirWith('{"profiles": {"old": {"token": "o"}}, "other": 1}');
    await writeProfile(dir, 'new', { token: 'n' }, new FakeClock());
    const file = join(dir, 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { old: { token: 'o' }, new: { token: 'n' } }, other: 1 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await writeProfile(dir, 'old', undefined, new FakeClock());
    expect(JSON.parse(readFileSync(file, 'utf8')).profiles).toEqual({ new: { token: 'n' } });
  });

  it('waits a bounded time for a live lock, then says so; a stale lock is taken over', async () => {
    const dir = dirWith('{}');
    const lock = join(dir, 'config.json.lock');
    writeFileSync(lock, '');
    const clock = new FakeClock(Date.now());
    await expect(writeProfile(dir, 'a', { token: 't' }, clock)).rejects.toThrow(/the config file is locked by another alto/);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    await writeProfile(dir, 'a', { token: 't' }, new FakeClock(Date.now()));
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.a.token).toBe('t');
    expect(() => statSync(lock)).toThrow();
  });

  it('a config directory that cannot be created is one line naming it (exit 2)', async () => {
    const parent = dirWith('{}');
    const dir = join(parent, 'config.json', 'sub');
    const err = await writeProfile(dir, 'a', { token: 't' }, new FakeClock()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(`cannot create the config directory ${dir}: a part of the path is not a directory`);
  });
});

describe('login and logout write through conf, under the lock (7.12)', () => {
  const dirWith = (content: string) => {
    const dir = tempConfigDir();
    writeFileSync(join(dir, 'config.json'), content);
    return dir;
  };
  const profilesIn = (dir: string) => (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, unknown> }).profiles;
  const snap = process.env.SNAP;
  afterEach(() => {
    if (snap === undefined) delete process.env.SNAP;
    else process.env.SNAP = snap;
  });

  it('a FIFO or a huge config.json is refused before conf opens it (no hang), and left as it was', async () => {
    const fifo = tempConfigDir();
    execFileSync('mkfifo', [join(fifo, 'config.json')]);
    await expect(writeProfile(fifo, 'a', { token: 't' }, new FakeClock())).rejects.toThrow(/config\.json: not a regular file/);
    expect(statSync(join(fifo, 'config.json')).isFIFO()).toBe(true);
    const huge = dirWith('');
    truncateSync(join(huge, 'config.json'), 2 * 1024 * 1024);
    await expect(writeProfile(huge, 'a', { token: 't' }, new FakeClock())).rejects.toThrow(/it is larger than 1 MiB/);
    expect(statSync(join(huge, 'config.json')).size).toBe(2 * 1024 * 1024);
  });

  it('a config.json that is a symbolic link is written through to its target, 0600', async () => {
    const dir = tempConfigDir();
    const target = join(dir, 'real.json');
    writeFileSync(target, '{"profiles": {"old": {"token": "o"}}}');
    symlinkSync(target, join(dir, 'config.json'));
    await writeProfile(dir, 'a', { token: 't' }, new FakeClock());
    expect(lstatSync(join(dir, 'config.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toEqual({ profiles: { old: { token: 'o' }, a: { token: 't' } } });
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });

  it('an empty config.json is an empty config (conf alone would fail to parse it)', async () => {
    const dir = dirWith('  \n');
    await writeProfile(dir, 'a', { token: 't' }, new FakeClock());
    expect(profilesIn(dir)).toEqual({ a: { token: 't' } });
  });

  it('profiles named "constructor" and "prototype" are stored and removed like any other', async () => {
    const dir = dirWith('{"profiles": {"old": {"token": "o"}}}');
    await writeProfile(dir, 'constructor', { token: 'c' }, new FakeClock());
    await writeProfile(dir, 'prototype', { token: 'p' }, new FakeClock());
    expect(profilesIn(dir)).toEqual({ old: { token: 'o' }, constructor: { token: 'c' }, prototype: { token: 'p' } });
    await writeProfile(dir, 'constructor', undefined, new FakeClock());
    expect(profilesIn(dir)).toEqual({ old: { token: 'o' }, prototype: { token: 'p' } });
  });

  it.each([['atomic', undefined], ['in place ($SNAP set)', '/snap/x/1']])('an existing 0644 file becomes 0600 when written (%s); the text ends with a newline', async (_how, snapValue) => {
    if (snapValue === undefined) delete process.env.SNAP;
    else process.env.SNAP = snapValue;
    const dir = dirWith('{"profiles": {}}');
    const file = join(dir, 'config.json');
    chmodSync(file, 0o644);
    await writeProfile(dir, 'a', { token: 't' }, new FakeClock());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('{\n\t"profiles": {\n\t\t"a": {\n\t\t\t"token": "t"\n\t\t}\n\t}\n}\n');
  });
});

describe('no home directory (7.11)', () => {
  const noHome = () => {
    throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
  };
  it('is exit 2 with how to fix it, unless ALTO_CONFIG_DIR or XDG_CONFIG_HOME says where', () => {
    expect(() => configDir({}, 'linux', noHome)).toThrow(NoConfigDirError);
    expect(() => configDir({}, 'linux', noHome)).toThrow(/HOME is not set/);
    expect(configDir({ ALTO_CONFIG_DIR: '/x' }, 'linux', noHome)).toBe('/x');
    expect(configDir({ XDG_CONFIG_HOME: '/c' }, 'linux', noHome)).toBe(join('/c', 'alto'));
    expect(configDir({ HOME: '/h' }, 'linux', noHome)).toBe(join('/h', '.config', 'alto'));
  });
});
