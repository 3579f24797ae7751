import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Where the random bytes come from: the OS's random device, read with plain file calls. */
export interface RandomSource {
  /** Fills `into` completely, or throws. */
  fill(into: Uint8Array): void;
}

/**
 * Linux's random devices, as `stat.rdev` (major 1, minor 9 /dev/urandom and minor 8 /dev/random;
 * neither blocks once the kernel's pool is up, which it is long before a user runs alto).
 */
export const LINUX_RANDOM_DEVICES: readonly number[] = [(1 << 8) | 9, (1 << 8) | 8];

/**
 * A device file read with plain file calls; `deviceSource('/dev/urandom')` is the kernel's random
 * device. Anything else at the path is refused before a byte is read: opened non-blocking, it must
 * be a character device and one of `devices` (a planted file or FIFO is no character device; a
 * /dev/zero or /dev/full bind-mounted there, as a misbuilt container may have it, is one, but
 * would give the same key to every execute). Elsewhere than Linux the numbers differ, so the
 * caller falls back to Web Crypto.
 */
export function deviceSource(path: string, devices: readonly number[] = LINUX_RANDOM_DEVICES): RandomSource {
  return {
    fill(into) {
      const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      try {
        const st = fstatSync(fd);
        if (!st.isCharacterDevice()) throw new Error(`${path} is not a character device`);
        if (!devices.includes(st.rdev)) throw new Error(`${path} is not a random device (device ${st.rdev})`);
        let got = 0;
        while (got < into.length) {
          const n = readSync(fd, into, got, into.length - got, null);
          if (n <= 0) throw new Error(`${path} gave no bytes`);
          got += n;
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

const urandom = deviceSource('/dev/urandom');

/**
 * A random (version 4) UUID, for the Idempotency-Key of an execute.
 *
 * Why not `crypto.randomUUID()`: the first use of Node's crypto (node:crypto or Web Crypto alike)
 * initialises its OpenSSL binding and loads five modules, ~2 ms of a ~55 ms `alto wf execute -q`
 * on Node 24 (`npm run bench`). The same OS randomness, read directly, costs one open and one
 * read. Where there is no Linux /dev/urandom (Windows, macOS) or it cannot be read, Web Crypto answers.
 */
export function randomUuid(source: RandomSource = urandom, fallback: () => string = () => globalThis.crypto.randomUUID()): string {
  const b = new Uint8Array(16);
  try {
    source.fill(b);
  } catch {
    return fallback();
  }
  b[6] = ((b[6] as number) & 0x0f) | 0x40; // version 4
  b[8] = ((b[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
