import { createHash, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** alto's own v5 namespace, so the same string always maps to the same key. */
const ALTO_NAMESPACE = '6f0c7c5e-2a55-5d0e-9b7c-a1705d5a0b1e';

/** The Idempotency-Key for one execute: a UUID as given, a name-based v5 UUID for any other string, else a random one. */
export function idempotencyKey(given: string | undefined, random: () => string = randomUUID): string {
  if (given === undefined) return random();
  if (UUID.test(given)) return given;
  return uuidV5(given, ALTO_NAMESPACE);
}

/** RFC 4122 name-based UUID (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
