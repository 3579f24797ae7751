/** Types of scripts/eager-bodies.mjs, for its unit test. */
export function eagerModuleBodies(code: string, file?: string): { code: string; wrapped: number };
export function sameTree(a: unknown, b: unknown): boolean;
