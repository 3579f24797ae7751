import { randomBytes } from 'node:crypto';

/** 32 hex digits from the OS's secure source: the real `randomToken` for DialectDeps and GitHub files. */
export function cryptoToken(): string {
  return randomBytes(16).toString('hex');
}
