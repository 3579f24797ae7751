import { UsageError } from '../../errors.js';

/** A positive whole number for --page and --limit. */
export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`${flag} takes a whole number of 1 or more, not "${value}"`);
  return Number(value);
}

/** A TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new UsageError(`--port takes a number from 0 to 65535, not "${value}"`);
  return n;
}
