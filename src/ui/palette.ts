import { Chalk, type ChalkInstance } from 'chalk';


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
