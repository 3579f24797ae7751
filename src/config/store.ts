// Synchronous on purpose: a small file, read once, and node:fs/promises costs start-up time.
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { CONFIG_FILE_NAME } from './paths.js';

export interface ProfileData {
  token?: string;
  api_url?: string;
}

export interface ConfigData {
  profiles?: Record<string, ProfileData>;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Rejects profile names that are not plain words (they become keys in the config file). */
export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new UsageError(`invalid profile name "${name}"`, 'use letters, digits, "-" and "_"');
  }
  return name;
}

/**
 * Reads config.json. conf writes the file; reading it needs no schema machinery, so commands
 * that only read (all but login and logout) parse it directly and stay fast to start.
 */
export async function readConfig(dir: string): Promise<ConfigData> {
  const file = join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  if (text.trim() === '') return {};
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not an object');
    return data as ConfigData;
  } catch {
    throw new UsageError(`the config file ${file} is not valid JSON`, 'fix it, or delete it and run: alto auth login');
  }
}

/**
 * Stores (or, with undefined, removes) one profile through conf: an atomic write, the file
 * 0600 inside a 0700 directory.
 */
export async function writeProfile(dir: string, name: string, data: ProfileData | undefined): Promise<string> {
  checkProfileName(name);
  // A directory alto creates is 0700; one that already exists (a shared one named by
  // ALTO_CONFIG_DIR, say) keeps its mode: the file itself is 0600 either way.
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  const { Conf } = await import('../vendor/conf.js');
  const store = new Conf<ConfigData>({
    cwd: dir,
    configName: CONFIG_FILE_NAME.replace(/\.json$/, ''),
    projectName: 'alto',
    projectSuffix: '',
    configFileMode: 0o600,
  });
  if (data === undefined) store.delete(`profiles.${name}` as never);
  else store.set(`profiles.${name}` as never, data as never);
  chmodSync(store.path, 0o600);
  return store.path;
}
