import { describe, expect, it } from 'vitest';
import { escapeAzure } from '../../src/ci/azure.js';
import type { CiFormat } from '../../src/ci/detect.js';
import { escapeGithubData, escapeGithubProperty, freshToken } from '../../src/ci/github.js';
import { createCiDialect, type CiDialect } from '../../src/ci/index.js';

// Step outputs a hostile or careless server could send.
const ATTACKS = [
  '::error::pwned',
  '::add-mask::secret',
  '   ::set-env name=X::1',
  '::stop-commands::guess',
  '::guess::',
  '##[group]evil',
  '##[error]looks like alto',
  '##vso[task.setvariable variable=X]1',
  'text then ##VSO[task.setvariable variable=Y;isOutput=true]2',
  '\u001b[0Ksection_start:1700000000:evil[collapsed=true]\r\u001b[0Kfake header',
  'section_end:1700000000:alto_1\r',
  'fine\r::error::after a bare CR',
  'fine\r\n::warning::after CRLF',
  'fine\n::notice::after LF',
  '--- fake group',
  '+++ fake open group',
  '^^^ +++',
  '  ~~~ hidden group',
  'bidi \u202egnp.exe\u202c and \u2066isolate\u2069',
  'invisible\u2060\ufeff\u180e\u{e0069}\u{e0067}tags',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
];
const PAYLOAD = ATTACKS.join('\n');

let n = 0;
const deps = () => ({ clock: { now: () => 1_700_000_123_456 }, randomToken: () => `tok${(++n).toString(16).padStart(30, '0')}` });

/** The commands GitHub's runner would run from these lines: `::cmd` at a trimmed line start, except while stopped. */
function githubCommands(lines: string[]): string[] {
  const commands: string[] = [];
  let stopToken: string | undefined;
  for (const raw of lines.flatMap((l) => l.split(/\r?\n|\r/))) {
    const line = raw.trim();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/i.exec(line);
    if (m) {
      if (m[1] === 'stop-commands') stopToken = m[2];
      else commands.push(m[1] as string);
    }
    if (line.startsWith('##[')) commands.push(line);
  }
  return commands;
}

describe.each(['github', 'gitlab', 'buildkite', 'azure', 'plain'] as CiFormat[])('%s dialect, server text', (format) => {
  it('cannot issue a command of any runner', () => {
    const dialect = createCiDialect(format, deps());
    const out = dialect.untrusted(PAYLOAD);
    const text = out.join('\n');
    // GitHub: nothing but our own stop/resume pair.
    expect(githubCommands(out)).toEqual([]);
    // Azure: `##vso[` anywhere, `##[` anywhere.
    expect(text).not.toMatch(/##vso\[/i);
    expect(text).not.toMatch(/##\[/);
    // GitLab: no section markers, no ESC or CR.
    expect(text).not.toMatch(/section_(start|end):/);
    expect(text).not.toMatch(/[\u001b\r]/);
    // Buildkite: no group header at a (trimmed) line start.
    for (const line of out) expect(line.trim()).not.toMatch(/^(---|\+\+\+|~~~|\^\^\^)/);
    // Bidi controls are gone; the words a person reads stay.
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    // Invisible characters from the server are shown (alto's own marker breaks are U+200B).
    expect(text).not.toMatch(/[\u180e\u2060-\u2064\ufeff]|\u{e0069}|\u{e0067}/u);
    expect(text).toContain('invisible\ufffd\ufffd\ufffd\ufffd\ufffdtags');
    expect(text).toContain('pwned');
    expect(text).toContain('fake group');
  });

  it('annotations and titles built from server text cannot break out either', () => {
    const dialect = createCiDialect(format, deps());
    const lines = [
      ...dialect.groupStart(`wf ${PAYLOAD}`, 'unknown'),
      ...dialect.annotate({ kind: 'error', title: PAYLOAD, message: PAYLOAD }),
      ...dialect.groupEnd('failure'),
      ...dialect.finish(),
    ];
    const commands = githubCommands(lines).map((c) => c.replace(/^##\[(\w+)\].*/, '##[$1]'));
    const allowed: Record<string, string[]> = {
      github: ['group', 'error', 'endgroup'],
      azure: ['##[group]', '##[endgroup]'],
    };
    expect(commands).toEqual(allowed[format] ?? []);
    const vso = lines.join('\n').match(/##vso\[/gi) ?? [];
    expect(vso.length).toBe(format === 'azure' ? 1 : 0);
    for (const line of lines) expect(line).not.toContain('\n');
  });
});

describe('github dialect', () => {
  it('wraps server text between stop-commands and a fresh token', () => {
    const d = createCiDialect('github', { clock: { now: () => 0 }, randomToken: () => 'abc123def456' });
    expect(d.untrusted('hello\n::error::x')).toEqual(['::stop-commands::abc123def456', 'hello', '\u200b::error::x', '::abc123def456::']);
  });

  it('never picks a token that occurs in the text', () => {
    const tokens = ['deadbeefcafe', 'deadbeefcafe', '0123456789ab'];
    expect(freshToken('echo ::deadbeefcafe::', () => tokens.shift() ?? 'x')).toBe('0123456789ab');
    expect(freshToken('alto-stop-0', () => 'short')).toBe('alto-stop-1');
  });

  it('escapes data and properties as the runner expects', () => {
    expect(escapeGithubData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeGithubProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const d = createCiDialect('github', deps());
    expect(d.annotate({ kind: 'error', title: 'wf: run, failed', message: 'step x: 100%\nboom' })).toEqual([
      '::error title=wf%3A run%2C failed::step x: 100%25%0Aboom',
    ]);
    expect(d.annotate({ kind: 'warning', message: 'awaiting approval' })).toEqual(['::warning::awaiting approval']);
  });

  it('prints at most 10 annotations per kind and notes the rest once at the end', () => {
    const d = createCiDialect('github', deps());
    const errors = Array.from({ length: 13 }, (_, i) => d.annotate({ kind: 'error', message: `e${i}` })).flat();
    const warnings = Array.from({ length: 3 }, (_, i) => d.annotate({ kind: 'warning', message: `w${i}` })).flat();
    expect(errors).toHaveLength(10);
    expect(warnings).toHaveLength(3);
    const finish = d.finish();
    expect(finish).toHaveLength(1);
    expect(finish[0]).toMatch(/^alto: 3 more error annotations not shown/);
  });

  it('groups do not nest: a new group closes the open one; finish closes the last', () => {
    const d = createCiDialect('github', deps());
    expect(d.groupStart('wf fl_run_1')).toEqual(['::group::wf fl_run_1']);
    expect(d.groupStart('wf 100% fl_run_2')).toEqual(['::endgroup::', '::group::wf 100%25 fl_run_2']);
    expect(d.finish()).toEqual(['::endgroup::']);
    expect(d.groupEnd('success')).toEqual([]);
  });
});

describe('gitlab dialect', () => {
  const ESC = '\u001b';
  it('opens and closes balanced sections with clock timestamps; a success collapsed, a failure open', () => {
    let now = 1_700_000_000_900;
    const d = createCiDialect('gitlab', { clock: { now: () => now }, randomToken: () => 'x' });
    const a = d.groupStart('my wf: fl_run_1 ✓', 'success');
    now += 5000;
    const b = d.groupStart('nested', 'failure');
    const c = d.groupEnd('failure');
    const e = d.groupStart('other', 'unknown');
    const rest = d.finish();
    const lines = [...a, ...b, ...c, ...e, ...rest];
    expect(a).toEqual([`${ESC}[0Ksection_start:1700000000:alto_1_my_wf_fl_run_1[collapsed=true]\r${ESC}[0Kmy wf: fl_run_1 ✓`]);
    expect(b[0]).toBe(`${ESC}[0Ksection_start:1700000005:alto_2_nested\r${ESC}[0Knested`);
    expect(c).toEqual([`${ESC}[0Ksection_end:1700000005:alto_2_nested\r${ESC}[0K`]);
    expect(e[0]).not.toContain('collapsed');
    const starts = lines.flatMap((l) => [...l.matchAll(/section_start:\d+:([^\r[]+)/g)].map((m) => m[1]));
    const ends = lines.flatMap((l) => [...l.matchAll(/section_end:\d+:([^\r]+)/g)].map((m) => m[1]));
    expect(starts).toHaveLength(3);
    expect([...ends].sort()).toEqual([...starts].sort());
    for (const name of starts) expect(name).toMatch(/^[a-zA-Z0-9_.-]+$/);
    expect(d.groupEnd('success')).toEqual([]);
  });
});

describe('buildkite dialect', () => {
  it('collapses with ---, opens a known failure with +++, expands a late failure with ^^^ +++', () => {
    const d: CiDialect = createCiDialect('buildkite', deps());
    expect(d.groupStart('ok run', 'success')).toEqual(['--- ok run']);
    expect(d.groupEnd('success')).toEqual([]);
    expect(d.groupStart('bad run', 'failure')).toEqual(['+++ bad run']);
    expect(d.groupEnd('failure')).toEqual([]);
    expect(d.groupStart('live run', 'unknown')).toEqual(['--- live run']);
    expect(d.groupEnd('failure')).toEqual(['^^^ +++']);
  });
});

describe('azure dialect', () => {
  it('uses ##[group] and ##vso[task.logissue] with Azure escaping', () => {
    expect(escapeAzure('50%; a]b\r\n')).toBe('50%AZP25%3B a%5Db%0D%0A');
    const d = createCiDialect('azure', deps());
    expect(d.groupStart('wf fl_run_1')).toEqual(['##[group]wf fl_run_1']);
    expect(d.annotate({ kind: 'error', title: 'wf failed', message: 'boom; 100%\nnext' })).toEqual([
      '##vso[task.logissue type=error]wf failed: boom%3B 100%AZP25%0Anext',
    ]);
    expect(d.groupEnd('failure')).toEqual(['##[endgroup]']);
  });
});
