/** commander collector for a repeatable flag: `.option('--x <v>', 'd', collect, [])`. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A collector for several flags whose values share one list in the order given (e.g. -f and
 * -F, where later fields win). Each flag's collector appends a tagged item to `into`.
 */
export function collectInto<T>(into: T[], tag: (value: string) => T): (value: string) => T[] {
  return (value: string) => {
    into.push(tag(value));
    return into;
  };
}
