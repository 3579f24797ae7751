import { statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceSource, LINUX_RANDOM_DEVICES, randomUuid, type RandomSource } from '../../src/input/random-uuid.js';
import { tempDir } from '../helpers/temp-dir.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const dir = tempDir('alto-uuid-');

const fixed = (byte: number): RandomSource => ({ fill: (into) => void into.fill(byte) });

describe('randomUuid (the Idempotency-Key of an execute)', () => {
  it('is a version 4 UUID, different every time', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => randomUuid()));
    expect(keys.size).toBe(1000);
    for (const k of keys) expect(k).toMatch(V4);
  });

  it('sets the version and variant bits over the random bytes', () => {
    expect(randomUuid(fixed(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(randomUuid(fixed(0x00))).toBe('00000000-0000-4000-8000-000000000000');
  });

  it('falls back to Web Crypto when the device cannot be read', () => {
    const broken: RandomSource = {
      fill: () => {
        throw new Error('EACCES');
      },
    };
    expect(randomUuid(broken, () => 'from-web-crypto')).toBe('from-web-crypto');
    expect(randomUuid(broken)).toMatch(V4);
    expect(randomUuid(deviceSource(join(dir, 'missing')), () => 'fallback')).toBe('fallback');
  });

  it('refuses a planted regular file or a FIFO at the device path, without blocking on the FIFO', () => {
    const planted = join(dir, 'urandom');
    writeFileSync(planted, Buffer.alloc(64, 0x41));
    expect(() => deviceSource(planted).fill(new Uint8Array(16))).toThrow(/not a character device/);
    expect(randomUuid(deviceSource(planted), () => 'fallback')).toBe('fallback');
    if (process.platform === 'win32') return;
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A blocking open of a FIFO with no writer would hang this test until its timeout.
    expect(randomUuid(deviceSource(fifo), () => 'fallback')).toBe('fallback');
  });

  // A /dev/zero (or /dev/full) at /dev/urandom, as a misbuilt container or sandbox may bind it,
  // is a character device too: read, it gave 00000000-0000-4000-8000-000000000000 to every execute.
  it.runIf(process.platform === 'linux')('refuses a character device that is not the random one (/dev/zero, /dev/full, /dev/null)', () => {
    for (const other of ['/dev/zero', '/dev/full', '/dev/null']) {
      expect(() => deviceSource(other).fill(new Uint8Array(16)), other).toThrow(/not a random device/);
      expect(randomUuid(deviceSource(other), () => 'fallback')).toBe('fallback');
    }
    expect(LINUX_RANDOM_DEVICES).toContain(statSync('/dev/urandom').rdev);
  });

  it('reads the real device where there is one', () => {
    if (process.platform !== 'linux') return;
    const a = new Uint8Array(32);
    deviceSource('/dev/urandom').fill(a);
    expect(a.some((b) => b !== 0)).toBe(true);
  });
});
