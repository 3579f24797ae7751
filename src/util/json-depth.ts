/** True when a parsed JSON value nests objects or arrays deeper than `max` levels (no recursion). */
export function jsonDepthExceeds(root: unknown, max: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: root, d: 1 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}
