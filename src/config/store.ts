// Synchronous on purpose: a small file, read once, and node:fs/promises costs start-up time.
import { chmodSync, closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../deps.js';
import { UsageError } from '../errors.js';
import { CONFIG_FILE_NAME, NoConfigDirError } from './paths.js';
import { formatBytes, readFileBounded, TooLargeError } from './read-file.js';
import { fsReason } from '../util/fs-reason.js';

export interface ProfileData {
  token?: string;
  api_url?: string;
}

export interface ConfigData {
  profiles?: Record<string, ProfileData>;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** config.json holds a few profiles: anything larger is not alto's file (or /dev/zero). */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** How long a writer waits for another alto's lock before giving up. */
export const LOCK_WAIT_MS = 10_000;
/** A lock older than this was left by a process that died: it is taken over. */
export const LOCK_STALE_MS = 30_000;
const LOCK_POLL_MS = 20;

/** Rejects profile names that are not plain words (they become keys in the config file). */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`invalid profile name "${name}"`, 'use letters, digits, "-" and "_"');
  }
  return name;
}


/**
 * Reads config.json. Only a regular file of at most 1 MiB is read (a FIFO, /dev/zero or a huge
 * file there is an error, not a hang); bad JSON or a `profiles` that is not an object is an
 * error naming the file, exit 2. Plain node:fs: conf is never loaded for a read.
 */
export async function readConfig(dir: string): Promise<ConfigData> {
  const file = join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileBounded(file, { maxBytes: MAX_CONFIG_BYTES, regularOnly: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    const why = err instanceof TooLargeError ? `it is larger than ${formatBytes(MAX_CONFIG_BYTES)}` : fsReason(err);
    throw new UsageError(`cannot read the config file ${file}: ${why}`, 'fix it, or delete it and run: alto auth login');
  }
  return parseConfigText(file, text);
}

/** config.json's text as ConfigData, or the exit-2 error naming the file: never a reset. */
function parseConfigText(file: string, text: string): ConfigData {
  const fix = 'fix it, or delete it and run: alto auth login';
  if (text.length > MAX_CONFIG_BYTES) throw new UsageError(`cannot read the config file ${file}: it is larger than ${formatBytes(MAX_CONFIG_BYTES)}`, fix);
  if (text.trim() === '') return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`the config file ${file} is not valid JSON`, fix);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UsageError(`the config file ${file} does not hold a JSON object`, fix);
  }
  const profiles = (data as { profiles?: unknown }).profiles;
  if (profiles !== undefined && (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))) {
    throw new UsageError(`the config file ${file}: "profiles" is not an object`, fix);
  }
  return data as ConfigData;
}

/**
 * Stores (or, with undefined, removes) one profile through conf. Concurrent logins never lose
 * each other's profiles: the read-modify-write runs under a lock file (O_EXCL) beside
 * config.json, and conf writes a temporary file (0600) renamed over the old one. The file is
 * checked with readConfig before conf opens it (conf reads with a plain readFileSync: a FIFO
 * would hang it, a huge file fill memory), and conf's own parse refuses what readConfig refuses,
 * so a file it cannot read is never reset. The directory alto creates is 0700. Failures are one
 * line naming the path, exit 2.
 */
export async function writeProfile(dir: string, name: string, data: ProfileData | undefined, clock: Clock): Promise<string> {
  checkProfileName(name);
  if (!dir) throw new NoConfigDirError();
  const file = join(dir, CONFIG_FILE_NAME);
  const fail = (what: string, path: string, err: unknown) => new UsageError(`cannot ${what} ${path}: ${fsReason(err)}`, 'check its permissions, or set ALTO_CONFIG_DIR to a directory you can write');
  try {
    // A directory alto creates is 0700; one that already exists (a shared one named by
    // ALTO_CONFIG_DIR, say) keeps its mode: the file itself is 0600 either way. conf would
    // create it with the umask's mode: it finds it made.
    if (mkdirBounded(dir, 0o700) !== undefined) chmodSync(dir, 0o700);
  } catch (err) {
    throw fail('create the config directory', dir, err);
  }
  // Loaded here, before the lock: from taking the lock to releasing it nothing waits on I/O.
  const { Conf } = await import('../vendor/conf.js');
  const lock = `${file}.lock`;
  await acquireLock(lock, clock, (err) => fail('lock the config file', lock, err));
  try {
    await readConfig(dir);
    let store: InstanceType<typeof Conf<ConfigData>>;
    try {
      store = new Conf<ConfigData>({
        cwd: dir,
        configName: 'config',
        fileExtension: 'json',
        configFileMode: 0o600,
        // Set `profiles` as a whole: with dot paths conf silently skips a profile named
        // "constructor" or "prototype" (valid names here).
        accessPropertiesByDotNotation: false,
        clearInvalidConfig: false,
        deserialize: (text) => parseConfigText(file, text),
        serialize: (value) => `${JSON.stringify(value, null, '\t')}\n`,
      });
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw fail('read the config file', file, err);
    }
    try {
      const profiles: Record<string, ProfileData> = { ...(store.get('profiles') ?? {}) };
      if (data === undefined) delete profiles[name];
      else profiles[name] = data;
      store.set('profiles', profiles);
      // conf writes in place (keeping an existing file's mode) when $SNAP is set, as it is in
      // terminals started from a snap: the token file is 0600 whichever way it was written.
      chmodSync(file, 0o600);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw fail('write the config file', file, err);
    }
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // Taken over as stale by another alto: nothing to release.
    }
  }
  return file;
}

/**
 * mkdir -p without Node's recursive mkdir, which spins forever at 100% CPU below /proc/self
 * (ENOENT for a child of a directory that exists). Returns the first directory it made.
 */
export function mkdirBounded(dir: string, mode: number): string | undefined {
  const missing: string[] = [];
  for (let d = dir; missing.length < 256; d = dirname(d)) {
    try {
      statSync(d);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      missing.push(d);
      if (dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return missing[0];
}

/** Creates the lock file exclusively, waiting a bounded time; a lock older than LOCK_STALE_MS is taken over. */
async function acquireLock(lock: string, clock: Clock, fail: (err: unknown) => Error): Promise<void> {
  let waited = 0;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(err);
    }
    let age: number | undefined;
    try {
      age = clock.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released in between: try again at once
    }
    if (age > LOCK_STALE_MS) {
      try {
        unlinkSync(lock);
      } catch {
        // Another alto took it over first.
      }
      continue;
    }
    if (waited >= LOCK_WAIT_MS) {
      throw new UsageError(`the config file is locked by another alto (${lock})`, `try again; if no alto is running, delete ${lock}`);
    }
    await clock.sleep(LOCK_POLL_MS);
    waited += LOCK_POLL_MS;
  }
}
