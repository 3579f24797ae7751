// A random key comes from random-uuid.ts (no crypto module at all); a key derived from a given
// string uses Web Crypto's SHA-1, loaded only then.
import { randomUuid } from './random-uuid.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** alto's own v5 namespace, so the same string always maps to the same key. */
const ALTO_NAMESPACE = '6f0c7c5e-2a55-5d0e-9b7c-a1705d5a0b1e';

/** The Idempotency-Key for one execute: a UUID as given, a name-based v5 UUID for any other string, else a random one. */
export async function idempotencyKey(given: string | undefined, random: () => string = randomUuid): Promise<string> {
  if (given === undefined) return random();
  if (UUID.test(given)) return given;
  return uuidV5(given, ALTO_NAMESPACE);
}

/** RFC 4122 name-based UUID (SHA-1). */
export async function uuidV5(name: string, namespace: string): Promise<string> {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', Buffer.concat([ns, Buffer.from(name, 'utf8')])));
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = Buffer.from(hash.subarray(0, 16)).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
