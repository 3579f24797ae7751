// Issue 12.9: every link alto can print is one we can stand behind. A new URL in src/ must be
// added here on purpose, with the reason it is honest.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const HONEST: Record<string, string> = {
  'https://v1.api.altostrat.io': 'the API itself (CLI.md default base URL)',
  'https://docs.altostrat.io/errors/': "the sandbox's error doc_url, as the API's openapi.yaml examples send it",
  'https://status.example.com/health': 'demo step output; example.com is reserved for examples',
  'http://127.0.0.1:': 'the sandbox on loopback (help examples, comments)',
  'http://sandbox.invalid': 'a base for new URL(); .invalid never resolves and is never printed',
  'http://${': 'the sandbox composing its own loopback URL',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('links alto prints', () => {
  const found = sources(join(__dirname, '../../src')).flatMap((path) =>
    [...readFileSync(path, 'utf8').matchAll(/https?:\/\/[\w$[][^\s'"`)<>]*/g)].map((m) => ({ path, url: m[0] })),
  );

  it('finds the links in src/ (the scan works)', () => {
    expect(found.length).toBeGreaterThan(3);
  });

  it('are each on the list of honest ones; none points at a repository that is not this project', () => {
    const unexplained = found.filter(({ url }) => !Object.keys(HONEST).some((ok) => url.startsWith(ok)));
    expect(unexplained).toEqual([]);
    expect(found.filter(({ url }) => url.includes('github.com'))).toEqual([]);
  });
});
