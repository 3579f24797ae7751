import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/** Node's timers hold at most 2^31 - 1 ms (~24.8 days); longer waits would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/**
 * Parses "90s", "10m", "1h30m", "500ms" or a bare number of seconds into milliseconds.
 * Throws a UsageError naming the flag on anything else, a repeated or out-of-order unit too.
 */
export function parseDuration(text: string, flag: string): number {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return checkMax(Math.round(Number(value) * 1000), text, flag);
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  // Each unit at most once, largest first ("1h30m", not "1m1m" or "30m1h"): anything else is a typo.
  let lastUnit = Infinity;
  let ordered = true;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const unit = UNITS[m[2] as string] as number;
    if (unit >= lastUnit) ordered = false;
    lastUnit = unit;
    total += Number(m[1]) * unit;
    consumed = re.lastIndex;
  }
  if (value === '' || consumed !== value.length || !ordered) {
    throw new UsageError(`invalid duration for ${flag}: "${text}"`, 'use a number with a unit, each unit once and largest first, e.g. 90s, 10m, 1h30m');
  }
  return checkMax(Math.round(total), text, flag);
}

function checkMax(ms: number, text: string, flag: string): number {
  if (ms > MAX_DURATION_MS) throw new UsageError(`${flag} "${text}" is too long`, 'the longest is 596h (about 24 days)');
  return ms;
}

/** 1234 -> "1.2s", 75000 -> "1m15s", 3_600_000 -> "1h0m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h}h${m}m` : `${m}m${s}s`;
}
