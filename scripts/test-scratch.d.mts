/** Types of scripts/test-scratch.mjs, for its unit test. */
export function makeScratch(bases: (string | undefined)[]): string;
