// Small statistics helpers.

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const max = (values) => (values.length === 0 ? Number.NaN : Math.max(...values));

/** The most timestamps (ms) that fall in any window [t, t + windowMs). */
export function maxInWindow(times, windowMs) {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i += 1) {
    while (j < s.length && s[j] < s[i] + windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  return best;
}
