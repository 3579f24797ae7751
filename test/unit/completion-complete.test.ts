import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { complete, formatCompletion } from '../../src/completion/complete.js';

/** A small program with alto's shape: global options, `workflow` (alias wf), `run`, hidden `__complete`. */
function program(): Command {
  const p = new Command('alto').exitOverride();
  p.option('--api-url <url>', 'base URL').option('--profile <name>', 'profile').option('--debug', 'debug').option('--no-color', 'no colour');
  const wf = p.command('workflow').alias('wf').description('workflows');
  wf.command('list').option('--json', 'json');
  wf.command('get <workflowId>').option('--json', 'json');
  wf.command('execute <workflowId>')
    .option('--context <file>', 'context file')
    .option('-f, --field <kv>', 'field')
    .option('-w, --watch', 'watch')
    .option('--timeout <duration>', 'timeout')
    .option('--output <format>', 'output')
    .option('--ci-format <format>', 'ci format')
    .option('--junit <file>', 'junit')
    .addOption(new Option('--secret-thing', 'hidden').hideHelp());
  wf.command('export');
  const run = p.command('run');
  run.command('watch <runId...>').option('--workflow <id>', 'workflow of the runs');
  p.command('completion').argument('<shell>').addOption(new Option('--style <s>').choices(['short', 'long']));
  p.command('__complete', { hidden: true });
  return p;
}

const ids = async () => ['wf_deploy', 'wf_backup', 'other'];
const ask = (words: string[]) => complete(program(), words, { workflowIds: ids });

describe('complete', () => {
  it('completes alto wf ex<TAB> to execute, and an alias as well as the name', async () => {
    expect(await ask(['wf', 'ex'])).toEqual({ candidates: ['execute', 'export'], directive: 4 });
    expect((await ask(['wf', 'exe'])).candidates).toEqual(['execute']);
    expect((await ask(['workflow', 'exe'])).candidates).toEqual(['execute']);
    expect((await ask(['w'])).candidates).toEqual(['workflow', 'wf']);
  });

  it('lists top-level commands without hidden ones', async () => {
    const { candidates } = await ask(['']);
    expect(candidates).toEqual(expect.arrayContaining(['workflow', 'wf', 'run', 'completion']));
    expect(candidates).not.toContain('__complete');
  });

  it('offers the flags of the command reached, global ones included, hidden ones not', async () => {
    const { candidates, directive } = await ask(['wf', 'execute', 'wf_x', '--']);
    expect(candidates).toEqual(expect.arrayContaining(['--context', '--watch', '--output', '--ci-format', '--help', '--api-url', '--profile', '--no-color']));
    expect(candidates).not.toContain('--secret-thing');
    expect(candidates).not.toContain('--json');
    expect(directive).toBe(4);
    expect((await ask(['wf', 'execute', '--ti'])).candidates).toEqual(['--timeout']);
    expect((await ask(['--pro'])).candidates).toEqual(['--profile']);
    expect((await ask(['wf', 'execute', '-'])).candidates).toEqual(expect.arrayContaining(['-f', '-w', '--field']));
  });

  it('completes the values of --output and --ci-format, also in the --flag=value form', async () => {
    expect(await ask(['wf', 'execute', 'x', '--output', ''])).toEqual({ candidates: ['text', 'json', 'ndjson'], directive: 4 });
    expect((await ask(['wf', 'execute', 'x', '--output', 'nd'])).candidates).toEqual(['ndjson']);
    expect((await ask(['wf', 'execute', 'x', '--ci-format', 'g'])).candidates).toEqual(['github', 'gitlab']);
    expect((await ask(['wf', 'execute', 'x', '--ci-format=b'])).candidates).toEqual(['--ci-format=buildkite']);
    expect((await ask(['completion', 'bash', '--style', ''])).candidates).toEqual(['short', 'long']);
  });

  it('a flag that takes a value consumes the next word; a file flag lets the shell complete files', async () => {
    expect(await ask(['wf', 'execute', 'x', '--context', ''])).toEqual({ candidates: [], directive: 0 });
    expect(await ask(['wf', 'execute', 'x', '--timeout', ''])).toEqual({ candidates: [], directive: 4 });
    // "execute" after --profile is the profile's value, not the subcommand.
    expect((await ask(['--profile', 'wf', 'wf', 'exe'])).candidates).toEqual(['execute']);
    expect((await ask(['wf', 'execute', '--timeout', '5m', ''])).candidates).toEqual(['wf_deploy', 'wf_backup', 'other']);
  });

  it('offers workflow ids from the cache for a workflowId argument and --workflow, and nothing for a run id', async () => {
    expect((await ask(['wf', 'execute', 'wf_'])).candidates).toEqual(['wf_deploy', 'wf_backup']);
    expect((await ask(['wf', 'get', ''])).candidates).toHaveLength(3);
    expect((await ask(['wf', 'execute', 'wf_deploy', ''])).candidates).toEqual([]);
    expect((await ask(['run', 'watch', 'fl_run_1', '--workflow', 'o'])).candidates).toEqual(['other']);
    expect((await ask(['run', 'watch', ''])).candidates).toEqual([]);
    expect((await complete(program(), ['wf', 'get', ''])).candidates).toEqual([]);
  });

  it('prints candidates one per line and the directive last', () => {
    expect(formatCompletion({ candidates: ['execute', 'bad\nline', ':x'], directive: 4 })).toBe('execute\nbadline\n:4\n');
    expect(formatCompletion({ candidates: [], directive: 0 })).toBe(':0\n');
  });
});
