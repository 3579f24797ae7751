import { Chalk, type ChalkInstance } from 'chalk';
import type { Env, OutStream } from '../deps.js';

/** The colours alto uses, by meaning. Level 0 makes every function the identity. */
export interface Palette {
  enabled: boolean;
  success: (s: string) => string;
  failure: (s: string) => string;
  warning: (s: string) => string;
  info: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  id: (s: string) => string;
}

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

/** A palette at a fixed colour level (chalk's own detection is bypassed on purpose). */
export function createPalette(level: 0 | 1 | 2 | 3): Palette {
  const c: ChalkInstance = new Chalk({ level });
  return {
    enabled: level > 0,
    success: (s) => c.green(s),
    failure: (s) => c.red(s),
    warning: (s) => c.yellow(s),
    info: (s) => c.cyan(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    id: (s) => c.bold(s),
  };
}
