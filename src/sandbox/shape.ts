/** Small checks for hand-written JSON (scenario files, fault rules): each failure names the field. */

/** A problem with one field; the caller adds the file or flag it came from. */
export class ShapeError extends Error {}

export type JsonObject = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short rendering of a bad value for an error message. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Asserts an object whose keys are all in `allowed` (keys starting with $ or _ are comments). */
export function expectObject(value: unknown, where: string, allowed: readonly string[]): JsonObject {
  if (!isObject(value)) throw new ShapeError(`${where} must be an object (got ${show(value)})`);
  for (const key of Object.keys(value)) {
    if (key.startsWith('$') || key.startsWith('_') || allowed.includes(key)) continue;
    throw new ShapeError(`${where} has an unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
  return value;
}

/** A non-empty string, or undefined when absent and optional. */
export function optString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new ShapeError(`${where} must be a non-empty string (got ${show(value)})`);
  return value;
}

/** A string or null, or undefined when absent. */
export function optNullableString(value: unknown, where: string): string | null | undefined {
  if (value === null) return null;
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ShapeError(`${where} must be a string or null (got ${show(value)})`);
  return value;
}

/** An integer within [min, max], or undefined when absent. */
export function optInt(value: unknown, where: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ShapeError(`${where} must be an integer from ${min} to ${max} (got ${show(value)})`);
  }
  return value;
}

/** One of the given strings, or undefined when absent. */
export function optOneOf<T extends string>(value: unknown, where: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ShapeError(`${where} must be one of ${choices.join(', ')} (got ${show(value)})`);
  }
  return value as T;
}
