import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../deps.js';

/** Where alto keeps config.json: ALTO_CONFIG_DIR, else the OS config directory + "alto". */
export function configDir(env: Env, os: string = platform(), home: string = homedir()): string {
  if (env.ALTO_CONFIG_DIR) return env.ALTO_CONFIG_DIR;
  if (os === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'alto');
  if (os === 'darwin') return join(home, 'Library', 'Preferences', 'alto');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'alto');
}

export const CONFIG_FILE_NAME = 'config.json';
