// The real script from `alto completion bash`, loaded in bash, asking the real `alto __complete`
// (bin/alto in a child process) when TAB is pressed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALTO, runAlto, tempConfigDir } from '../helpers/spawn-alto.js';

const hasBash = spawnSync('bash', ['--version']).status === 0;

/** COMPREPLY after TAB at the end of `line`, in a bash that sourced `alto completion bash`. */
function tab(line: string, configDir: string): string[] {
  const script = `
    alto() { ${JSON.stringify(process.execPath)} ${JSON.stringify(ALTO)} "$@"; }
    source <(alto completion bash)
    COMP_LINE="$1"; COMP_POINT=\${#COMP_LINE}
    read -ra COMP_WORDS <<< "$COMP_LINE"
    [[ "$COMP_LINE" =~ [[:space:]]$ ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
    _alto_complete
    printf '%s\\n' "\${COMPREPLY[@]}"
  `;
  // No token and an API URL that cannot be reached: TAB must not need either.
  const env = { PATH: process.env.PATH ?? '', HOME: configDir, ALTO_CONFIG_DIR: configDir, ALTO_API_URL: 'http://unreachable.invalid' };
  return execFileSync('bash', ['-c', script, 'bash', line], { encoding: 'utf8', env }).split('\n').filter((l) => l !== '');
}

describe.runIf(hasBash)('bash completion through bin/alto', () => {
  it('completes alto wf ex<TAB> to execute', () => {
    expect(tab('alto wf ex', tempConfigDir())).toEqual(['execute']);
  });

  it('completes flag values and, from the cache `wf list` writes, workflow ids', () => {
    const dir = tempConfigDir();
    expect(tab('alto run watch x --output nd', dir)).toEqual(['ndjson']);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'completion-workflows.json'), JSON.stringify({ version: 1, written_at: Date.now(), ids: ['wf_deploy', 'wf_backup'] }));
    expect(tab('alto --profile default wf execute wf_d', dir)).toEqual(['wf_deploy']);
  });

  it('alto completion prints a script bash accepts', async () => {
    const r = await runAlto(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: r.stdout }).status).toBe(0);
  });
});
