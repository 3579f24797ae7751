import { timeOf } from '../../ui/format.js';

/** The `exp` of a JWT in ms since the epoch, or undefined when the token is not a JWT with one within Date's range. */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: unknown };
    // An exp beyond Date's range (9e12 s) has no expiry alto can show: undefined, like none.
    return typeof payload.exp === 'number' ? timeOf(payload.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}
