import { Command, Option } from 'commander';
import type { Factory } from '../../factory.js';
import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TOKEN } from '../../sandbox/defaults.js';
import { collect } from '../shared/collect.js';
import { parsePort } from '../shared/parse-number.js';
import { examples, runAction } from '../shared/run-action.js';
import type { SandboxCommandOptions } from './sandbox-run.js';

export type { SandboxCommandOptions } from './sandbox-run.js';
export type SandboxRun = (f: Factory, opts: SandboxCommandOptions) => Promise<number>;

const sandboxRun: SandboxRun = async (f, opts) => (await import('./sandbox-run.js')).runSandboxCommand(opts, f.deps);

/** alto sandbox: the local API emulator. */
export function newSandboxCommand(f: Factory, runF: SandboxRun = sandboxRun): Command {
  return new Command('sandbox')
    .description('a local emulator of the API, for demos, tests and pipeline rehearsals')
    .option('--port <n>', 'port to listen on (0 = any free port)', String(DEFAULT_SANDBOX_PORT))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', `bearer token the sandbox accepts (default: ${DEFAULT_SANDBOX_TOKEN})`)
    .option('--workflows <file>', 'JSON file of workflows to serve instead of the demo ones')
    .addOption(new Option('--fault <rule>', 'misbehave on purpose, e.g. "GET /workflows/runs/*=http_error:status=503,times=3" (repeatable)').argParser(collect))
    .option('-q, --quiet', 'do not log requests')
    .option('--rate-limit <n>', 'answer 429 (with Retry-After) beyond N requests per token per rolling minute, as the API does')
    .addHelpText('after', examples('alto sandbox', 'alto sandbox --port 0 --workflows examples/workflows.json', 'alto sandbox --fault "GET /workflows/runs/*=rate_limit:retry_after=2,times=2"'))
    .action(
      runAction(f, (_args, o) =>
        runF(f, {
          port: parsePort(String(o.port)),
          host: String(o.host),
          token: o.token as string | undefined,
          workflows: o.workflows as string | undefined,
          faults: [...((o.fault as string[] | undefined) ?? [])],
          quiet: Boolean(o.quiet),
          ...(o.rateLimit !== undefined ? { rateLimit: Number(o.rateLimit) } : {}),
        }),
      ),
    );
}
