import type { Env, OutStream } from '../deps.js';
import type { Palette } from './palette.js';

/**
 * Decides colour once: --no-color and NO_COLOR turn it off, FORCE_COLOR turns it on,
 * otherwise it follows whether the stream is a terminal (and TERM is not "dumb").
 */
export function colorLevel(stream: OutStream, env: Env, noColorFlag: boolean): 0 | 1 | 2 | 3 {
  if (noColorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return env.TERM?.includes('256') ? 2 : 1;
}

const same = (s: string) => s;

/** The palette at colour level 0, without loading chalk (most runs in CI and pipes). */
export const PLAIN_PALETTE: Palette = {
  enabled: false,
  success: same,
  failure: same,
  warning: same,
  info: same,
  dim: same,
  bold: same,
  id: same,
};

/** A palette for the level; chalk is loaded only when there is colour to draw. */
export async function loadPalette(level: 0 | 1 | 2 | 3): Promise<Palette> {
  if (level === 0) return PLAIN_PALETTE;
  return (await import('./palette.js')).createPalette(level);
}
