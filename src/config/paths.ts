import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../deps.js';
import { UsageError } from '../errors.js';

/** Where alto keeps config.json: ALTO_CONFIG_DIR, else the OS config directory + "alto". */
export function configDir(env: Env, os: string = platform(), home: () => string = homedir): string {
  if (env.ALTO_CONFIG_DIR) return env.ALTO_CONFIG_DIR;
  if (os !== 'win32' && os !== 'darwin' && env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'alto');
  if (os === 'win32' && env.APPDATA) return join(env.APPDATA, 'alto');
  const base = homeDir(env, home);
  if (os === 'win32') return join(base, 'AppData', 'Roaming', 'alto');
  if (os === 'darwin') return join(base, 'Library', 'Preferences', 'alto');
  return join(base, '.config', 'alto');
}

/**
 * The home directory, or exit 2 saying how to do without one. os.homedir() throws when HOME is
 * unset and the uid has no passwd entry (a container run with an arbitrary --user).
 */
function homeDir(env: Env, home: () => string): string {
  let dir: string | undefined;
  try {
    dir = env.HOME || home();
  } catch {
    dir = undefined;
  }
  if (!dir) {
    throw new NoConfigDirError();
  }
  return dir;
}

/** No ALTO_CONFIG_DIR and no home directory to put the config in. Exit 2. */
export class NoConfigDirError extends UsageError {
  constructor() {
    super('cannot find a place for the config file: HOME is not set and this user has no home directory', 'set ALTO_CONFIG_DIR (or HOME) to a directory alto may write');
  }
}

export const CONFIG_FILE_NAME = 'config.json';
