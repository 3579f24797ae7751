/** Formats epoch milliseconds the way the API does: 2025-10-31T12:00:00.000000Z. */
export function apiTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
