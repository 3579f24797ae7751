/** Idempotency-Keys of a fan-out: one per line, derived from --idempotency-key so a retried job re-attaches. */
import { idempotencyKey } from '../input/idempotency.js';
import { randomUuid } from '../input/random-uuid.js';

/** JSON with object keys sorted at every depth, so equal contexts hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Buffer.from(digest).toString('hex');
}

/**
 * The key of one line: with --idempotency-key K, the v5 UUID (alto's namespace) of
 * `K\nLINE\nsha256(canonical context)`, so the same K, line and context always give the same
 * key, and an edited line gets a new one; without K, a random UUID per line.
 */
export async function eachIdempotencyKey(
  base: string | undefined,
  line: number,
  context: Record<string, unknown>,
  random: () => string = randomUuid,
): Promise<string> {
  if (base === undefined) return random();
  // The name contains newlines, so idempotencyKey never takes it for a UUID and always derives.
  return idempotencyKey(`${base}\n${line}\n${await sha256Hex(canonicalJson(context))}`);
}
