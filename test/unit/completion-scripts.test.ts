import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../src/completion/scripts.js';
import { COMPLETION_SHELLS, isCompletionShell } from '../../src/completion/shells.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const has = (shell: string) => spawnSync(shell, ['--version']).status === 0;
const hasBash = has('bash');
const hasZsh = has('zsh');
const hasFish = has('fish');

// A stand-in for `alto`: the real completer over a small program of alto's shape, bundled once.
const ENTRY = `
import { Command } from 'commander';
import { complete, formatCompletion } from './src/completion/complete.ts';
const p = new Command('alto').option('--profile <name>');
const wf = p.command('workflow').alias('wf');
wf.command('list');
wf.command('execute <workflowId>').option('--output <format>').option('--context <file>');
wf.command('export');
p.command('run').command('watch <runId>');
const [, , sub, dashes, ...rest] = process.argv;
// The scripts send \`alto __complete -- <words…>\`.
if (dashes !== '--') throw new Error('__complete without --');
const words = rest;
if (sub === '__complete') {
  complete(p, words, { workflowIds: async () => ['wf_deploy', 'wf_backup'] }).then((r) => process.stdout.write(formatCompletion(r)));
}
`;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'alto-completion-'));
  buildSync({ stdin: { contents: ENTRY, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: join(dir, 'alto.cjs'), logLevel: 'silent' });
  writeFileSync(join(dir, 'alto.bash'), completionScript('bash'));
  writeFileSync(join(dir, '_alto'), completionScript('zsh'));
  writeFileSync(join(dir, 'alto.fish'), completionScript('fish'));
  writeFileSync(join(dir, 'alto'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(dir, 'alto.cjs'))} "$@"\n`, { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** COMPREPLY after pressing TAB at the end of `line`, with bash splitting words as it does (= and : break words). */
function bashComplete(line: string): string[] {
  const script = `
    alto() { node ${JSON.stringify(join(dir, 'alto.cjs'))} "$@"; }
    source ${JSON.stringify(join(dir, 'alto.bash'))}
    COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}
    COMP_WORDBREAKS=$' \\t\\n"\\'><=;|&(:'
    read -ra COMP_WORDS <<< "$(printf '%s' "$COMP_LINE" | sed -e 's/=/ = /g')"
    [[ "$COMP_LINE" =~ [[:space:]=]$ ]] && COMP_WORDS+=("")
    [[ "$COMP_LINE" =~ =$ ]] && COMP_WORDS=("\${COMP_WORDS[@]:0:\${#COMP_WORDS[@]}-1}" "=")
    COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
    _alto_complete
    printf '%s\\n' "\${COMPREPLY[@]}"
  `;
  const out = execFileSync('bash', ['-c', script, 'bash', line], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

describe('completion scripts', () => {
  it('has a script for each shell, each asking alto __complete', () => {
    for (const shell of COMPLETION_SHELLS) {
      expect(isCompletionShell(shell)).toBe(true);
      expect(completionScript(shell)).toContain('alto __complete');
    }
    expect(isCompletionShell('tcsh')).toBe(false);
  });

  it.skipIf(!hasBash)('the bash script parses in bash', () => {
    expect(spawnSync('bash', ['-n', join(dir, 'alto.bash')]).status).toBe(0);
  });

  it.skipIf(!hasBash)('bash: alto wf ex<TAB> completes to execute (and export), through the real completer', () => {
    expect(bashComplete('alto wf exe')).toEqual(['execute']);
    expect(bashComplete('alto wf ex')).toEqual(['execute', 'export']);
    expect(bashComplete('alto ')).toEqual(['workflow', 'wf', 'run', 'help']);
  });

  it.skipIf(!hasBash)('bash: flag values, --flag=value split by bash at "=", and cached workflow ids', () => {
    expect(bashComplete('alto wf execute wf_deploy --output nd')).toEqual(['ndjson']);
    expect(bashComplete('alto wf execute wf_deploy --output=js')).toEqual(['json']);
    expect(bashComplete('alto wf execute wf_d')).toEqual(['wf_deploy']);
    expect(bashComplete('alto --profile x wf execute ')).toEqual(['wf_deploy', 'wf_backup']);
  });

  it.skipIf(!hasZsh)('zsh: the script parses and hands the candidates of alto wf exe<TAB> to compadd', () => {
    const script = `
      compdef() { :; }
      source ${JSON.stringify(join(dir, '_alto'))}
      compadd() { print -r -- "compadd $*"; }
      _files() { print FILES; }
      words=(alto wf exe); CURRENT=3; _alto
      words=(alto wf execute x --output=j); CURRENT=5; _alto
      words=(alto wf execute x --context ''); CURRENT=6; _alto
    `;
    const out = execFileSync('zsh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
    expect(out.split('\n').filter(Boolean)).toEqual(['compadd -- execute', 'compadd -- --output=json', 'FILES']);
  });

  it.skipIf(!hasFish)('fish: alto wf exe<TAB> completes to execute; a file flag completes files', () => {
    const script = `source ${join(dir, 'alto.fish')}; complete -C 'alto wf exe'; complete -C 'alto wf execute x --output=j'; complete -C 'alto wf execute x --context ${join(dir, 'alto.f')}'`;
    const out = execFileSync('fish', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` } });
    expect(out.split('\n').filter(Boolean)).toEqual(['execute', '--output=json', join(dir, 'alto.fish')]);
  });
});
