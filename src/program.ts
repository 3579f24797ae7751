import { Command, Option } from 'commander';
import type { AuthContext } from './commands/auth/auth.js';
import type { CommandContext } from './commands/context.js';
import type { FieldInput } from './commands/workflow/context-input.js';
import type { GlobalFlags } from './config/resolve.js';
import type { Deps } from './deps.js';
import { UsageError } from './errors.js';
import { parseOutputFlags, parsePort, parsePositiveInt, parseWatchFlags, type RawOutputFlags, type RawWatchFlags } from './options.js';
import { DEFAULT_SANDBOX_PORT, DEFAULT_SANDBOX_TOKEN } from './sandbox/defaults.js';
import { parseDuration } from './util/duration.js';

function positiveDuration(text: string, flag: string): number {
  const ms = parseDuration(text, flag);
  if (ms <= 0) throw new UsageError(`${flag} must be more than 0`);
  return ms;
}

// Each command's logic is loaded when it runs, so `alto --help` pays only for commander.
const load = {
  auth: () => import('./commands/auth/auth.js'),
  runGet: () => import('./commands/run/get.js'),
  runLogs: () => import('./commands/run/logs.js'),
  follow: () => import('./commands/run/follow.js'),
  relaunch: () => import('./commands/run/relaunch.js'),
  sandbox: () => import('./commands/sandbox.js'),
  execute: () => import('./commands/workflow/execute.js'),
  listGet: () => import('./commands/workflow/list-get.js'),
  runs: () => import('./commands/workflow/runs.js'),
};

/** Global flags after parsing, as every action sees them. */
export interface GlobalOptions extends GlobalFlags {
  debug: boolean;
  requestTimeoutMs: number;
}

/** What the program needs from main to run an action. */
export interface ProgramHooks {
  deps: Deps;
  /** Builds the per-command context once the global flags are known. */
  commandContext(globals: GlobalOptions): CommandContext;
  authContext(globals: GlobalOptions): AuthContext;
  /** Receives each action's exit code. */
  setExitCode(code: number): void;
  writeErr(text: string): void;
}

type Opts = Record<string, unknown>;

const WATCH_ONLY_FLAGS = [
  ['timeout', '--timeout'],
  ['interval', '--interval'],
  ['maxOutage', '--max-outage'],
  ['strict', '--strict'],
  ['verbose', '--verbose'],
  ['waitApproval', '--wait-approval'],
] as const;

/**
 * The watch flags of execute, rerun and resume, or undefined without --watch. A watch flag the
 * user gave without --watch would be silently ignored (a green step for a run that may fail):
 * exit 2, nothing sent. Only flags actually given count, not commander's defaults.
 */
function watchFlagsOf(cmd: Command, o: Opts): ReturnType<typeof parseWatchFlags> | undefined {
  // Checked with or without --watch: a bad duration is exit 2 before anything is sent.
  const flags = parseWatchFlags(o as unknown as RawWatchFlags);
  if (o.watch) return flags;
  const given = WATCH_ONLY_FLAGS.filter(([name]) => {
    const source = cmd.getOptionValueSource(name);
    return source === 'cli' || source === 'env';
  }).map(([, flag]) => flag);
  if (given.length > 0) {
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'has' : 'have'} no effect without --watch`, 'add --watch (or -w) to follow the run');
  }
  return undefined;
}

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/** The commander tree of the contract (../shared/CLI.md). A fresh one per run. */
export function createProgram(hooks: ProgramHooks): Command {
  const { deps } = hooks;
  const program = new Command('alto');
  program
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void deps.io.stdout.write(s),
      writeErr: (s) => void deps.io.stderr.write(s),
      // One line: "alto: unknown option '--contxt' (did you mean --context?)".
      // The value of an unknown --flag=value is never echoed: it may be a secret (--token=...).
      outputError: (s, write) =>
        write(
          `${s
            .replace(/^error: /, 'alto: ')
            .replace(/(unknown option '[^'=]+)=[^']*'/, "$1=…'")
            .replace(/\s*\n\(Did you mean (.*)\)\s*$/, ' (did you mean $1)')
            .trimEnd()}\n`,
        ),
    })
    .description('Run and follow Altostrat SDX workflows from a terminal, a CI step or a script.')
    .version(deps.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--api-url <url>', 'API base URL (env ALTO_API_URL)')
    .option('--profile <name>', 'stored profile to use (env ALTO_PROFILE)')
    .option('--debug', 'print each HTTP request and response to stderr, token redacted (env ALTO_DEBUG=1)')
    .option('--request-timeout <duration>', 'give up on one HTTP request after this long', '30s')
    .option('--no-color', 'turn colour off (also NO_COLOR)')
    .showSuggestionAfterError(true)
    .addHelpText('after', `${examples('alto auth login --with-token < token.txt', 'alto wf execute fl_01h3... --context ctx.json --watch', 'alto sandbox')}\nExit codes: 0 ok, 1 run failed, 2 usage, 3 auth, 4 not found, 5 API/network, 6 awaiting a person,\n            70 internal error, 124 --timeout, 130 interrupted, 141 stdout closed, 143 terminated.\n`);

  const globalsOf = (cmd: Command): GlobalOptions => {
    const o = cmd.optsWithGlobals() as Opts;
    return {
      apiUrl: o.apiUrl as string | undefined,
      profile: o.profile as string | undefined,
      debug: Boolean(o.debug) || deps.env.ALTO_DEBUG === '1' || deps.env.ALTO_DEBUG === 'true',
      requestTimeoutMs: positiveDuration(String(o.requestTimeout ?? '30s'), '--request-timeout'),
    };
  };
  /** Wraps an action: the last argument commander passes is the command itself. */
  const run =
    <A extends unknown[]>(fn: (cmd: Command, opts: Opts, ...args: A) => Promise<number>) =>
    async (...all: unknown[]) => {
      const cmd = all[all.length - 1] as Command;
      const opts = all[all.length - 2] as Opts;
      const args = all.slice(0, -2);
      // An empty id would address another endpoint ("/workflows/runs/" + "" = "/workflows/runs/").
      args.forEach((arg, i) => {
        if (typeof arg === 'string' && arg.trim() === '') {
          throw new UsageError(`<${cmd.registeredArguments[i]?.name() ?? 'argument'}> must not be empty`);
        }
      });
      hooks.setExitCode(await fn(cmd, opts, ...(args as A)));
    };

  // auth
  const auth = program.command('auth').description('log in, check and log out');
  auth
    .command('login')
    .description('store a token for a profile (read from stdin, never from a flag)')
    .option('--with-token', 'read the token from stdin')
    .addHelpText('after', examples('alto auth login --with-token < token.txt', 'echo "$ALTO_CI_TOKEN" | alto auth login --with-token --profile ci', 'alto auth login --api-url http://127.0.0.1:8787'))
    .action(run(async (cmd, o) => (await load.auth()).authLogin(hooks.authContext(globalsOf(cmd)), { withToken: Boolean(o.withToken) })));
  auth
    .command('status')
    .description('show the profile, where the token comes from (masked) and the API URL')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto auth status', 'alto auth status --json | jq .token_expires_at'))
    .action(run(async (cmd, o) => (await load.auth()).authStatus(hooks.authContext(globalsOf(cmd)), { json: Boolean(o.json) })));
  auth
    .command('logout')
    .description("forget the profile's stored token")
    .addHelpText('after', examples('alto auth logout', 'alto auth logout --profile ci'))
    .action(run(async (cmd) => (await load.auth()).authLogout(hooks.authContext(globalsOf(cmd)))));
  auth
    .command('token')
    .description('print the token in use, for scripts; nothing else')
    .addHelpText('after', examples('curl -H "Authorization: Bearer $(alto auth token)" https://v1.api.altostrat.io/workflows'))
    .action(run(async (cmd) => (await load.auth()).authToken(hooks.authContext(globalsOf(cmd)))));

  // workflow
  const wf = program.command('workflow').alias('wf').description('list, inspect and execute workflows');
  wf.command('list')
    .description('list workflows')
    .option('--json', 'print the list as one JSON array')
    .addHelpText('after', examples('alto wf list', "alto wf list --json | jq -r '.[].id'"))
    .action(run(async (cmd, o) => (await load.listGet()).workflowList(hooks.commandContext(globalsOf(cmd)), { json: Boolean(o.json) })));
  wf.command('get <workflowId>')
    .description('show one workflow with its nodes and edges')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto wf get fl_01h3j4k5l6m7n8p9q0r1s2t3u4'))
    .action(run(async (cmd, o, id: string) => (await load.listGet()).workflowGet(hooks.commandContext(globalsOf(cmd)), { workflowId: id, json: Boolean(o.json) })));

  const execute = wf.command('execute <workflowId>').description('start a run; print its id at once; --watch follows it');
  const fields: FieldInput[] = [];
  execute
    .option('--context <file>', 'JSON file with the context object; "-" reads stdin')
    .addOption(new Option('-f, --field <key=value>', 'a string field (repeatable; a.b.c or a[b] for nested keys)').argParser((raw: string) => void fields.push({ raw, typed: false })))
    .addOption(new Option('-F, --typed-field <key=value>', 'a JSON value when it parses, @path for a file\'s text (repeatable)').argParser((raw: string) => void fields.push({ raw, typed: true })))
    .option('--idempotency-key <key>', 'sent as Idempotency-Key; a non-UUID becomes a name-based UUID');
  addWatchOptions(execute, true);
  addOutputOptions(execute, true);
  execute
    .addHelpText('after', examples(
      'alto wf execute fl_01h3... --context ctx.json --watch',
      'alto wf execute fl_01h3... -f site_id=site_456 -F retries=3 -F tags=\'["a","b"]\' -w',
      'RUN=$(alto wf execute fl_01h3... --context - -q < ctx.json)',
      'alto wf execute fl_01h3... --idempotency-key "$CI_JOB_ID" --watch --output ndjson',
    ))
    .action(run(async (cmd, o, id: string) => {
      const globals = globalsOf(cmd);
      const output = parseOutputFlags(o as RawOutputFlags, true);
      const watch = watchFlagsOf(cmd, o);
      const key = o.idempotencyKey as string | undefined;
      // An unset $CI_JOB_ID must not become one fixed key that replays the first job's run.
      if (key !== undefined && key.trim() === '') throw new UsageError('--idempotency-key must not be empty or blank', 'pass a value that is unique per job (e.g. "$CI_JOB_ID"), or leave the flag out');
      return (await load.execute()).workflowExecute(hooks.commandContext(globals), {
        workflowId: id,
        input: { source: o.context as string | undefined, fields },
        idempotencyKey: key,
        watch,
        output,
      });
    }));

  wf.command('runs <workflowId>')
    .description('recent runs of a workflow, newest first')
    .option('--page <n>', 'which page (1 is the newest)')
    .option('--all', 'follow every page')
    .option('--limit <n>', 'show at most this many runs')
    .option('--json', 'print one JSON array')
    .addHelpText('after', examples('alto wf runs fl_01h3...', 'alto wf runs fl_01h3... --all --limit 100 --json'))
    .action(run(async (cmd, o, id: string) => {
      if (o.page !== undefined && o.all) throw new UsageError('--page and --all cannot be used together');
      return (await load.runs()).workflowRuns(hooks.commandContext(globalsOf(cmd)), {
        workflowId: id,
        page: o.page === undefined ? undefined : parsePositiveInt(String(o.page), '--page'),
        all: Boolean(o.all),
        limit: o.limit === undefined ? undefined : parsePositiveInt(String(o.limit), '--limit'),
        json: Boolean(o.json),
      });
    }));

  // run
  const runCmd = program.command('run').description('read, follow, re-run and resume runs');
  runCmd
    .command('get <runId>')
    .description('show a run: status, timing, error and steps')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto run get fl_run_01h3...', "alto run get fl_run_01h3... --json | jq -r .status"))
    .action(run(async (cmd, o, id: string) => (await load.runGet()).runGet(hooks.commandContext(globalsOf(cmd)), { runId: id, json: Boolean(o.json) })));
  runCmd
    .command('logs <runId>')
    .description("print a run's step logs")
    .option('--json', 'print the logs as one JSON array')
    .addHelpText('after', examples('alto run logs fl_run_01h3...', "alto run logs fl_run_01h3... --json | jq '.[] | select(.status==\"error\")'"))
    .action(run(async (cmd, o, id: string) => (await load.runLogs()).runLogs(hooks.commandContext(globalsOf(cmd)), { runId: id, json: Boolean(o.json) })));
  const watchCmd = runCmd.command('watch <runId>').description('follow a run until it ends (re-attach after Ctrl-C or --timeout)');
  addWatchOptions(watchCmd, false);
  addOutputOptions(watchCmd, true);
  watchCmd
    .addHelpText('after', examples('alto run watch fl_run_01h3...', 'alto run watch fl_run_01h3... --timeout 10m --strict'))
    .action(run(async (cmd, o, id: string) => {
      const output = parseOutputFlags(o as RawOutputFlags, true);
      const watch = parseWatchFlags(o as unknown as RawWatchFlags);
      return (await load.follow()).followRun(hooks.commandContext(globalsOf(cmd)), id, undefined, watch, output);
    }));
  const rerun = runCmd.command('rerun <runId>').description('start a new run with the same trigger payload');
  addWatchOptions(rerun, true);
  addOutputOptions(rerun, true);
  rerun
    .addHelpText('after', examples('alto run rerun fl_run_01h3... --watch'))
    .action(run(async (cmd, o, id: string) => {
      const output = parseOutputFlags(o as RawOutputFlags, true);
      const watch = watchFlagsOf(cmd, o);
      return (await load.relaunch()).runRelaunch(hooks.commandContext(globalsOf(cmd)), { runId: id, watch, output });
    }));
  const resume = runCmd
    .command('resume <runId>')
    .description('start a new run that continues a failed run after a node that succeeded')
    .requiredOption('--from <nodeId>', 'the node to continue after');
  addWatchOptions(resume, true);
  addOutputOptions(resume, true);
  resume
    .addHelpText('after', examples('alto run resume fl_run_01h3... --from n2 --watch'))
    .action(run(async (cmd, o, id: string) => {
      const output = parseOutputFlags(o as RawOutputFlags, true);
      const watch = watchFlagsOf(cmd, o);
      if (String(o.from).trim() === '') throw new UsageError('--from must name a node that succeeded in the run');
      return (await load.relaunch()).runRelaunch(hooks.commandContext(globalsOf(cmd)), { runId: id, fromNode: String(o.from), watch, output });
    }));

  // sandbox
  const faults: string[] = [];
  program
    .command('sandbox')
    .description('a local emulator of the API, for demos, tests and pipeline rehearsals')
    .option('--port <n>', 'port to listen on (0 = any free port)', String(DEFAULT_SANDBOX_PORT))
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', `bearer token the sandbox accepts (default: ${DEFAULT_SANDBOX_TOKEN})`)
    .option('--workflows <file>', 'JSON file of workflows to serve instead of the demo ones')
    .addOption(new Option('--fault <rule>', 'misbehave on purpose, e.g. "GET /workflows/runs/*=http_error:status=503,times=3" (repeatable)').argParser((rule: string) => void faults.push(rule)))
    .option('-q, --quiet', 'do not log requests')
    .option('--rate-limit <n>', 'answer 429 (with Retry-After) beyond N requests per token per rolling minute, as the API does')
    .addHelpText('after', examples('alto sandbox', 'alto sandbox --port 0 --workflows examples/workflows.json', 'alto sandbox --fault "GET /workflows/runs/*=rate_limit:retry_after=2,times=2"'))
    .action(run(async (_cmd, o) =>
      (await load.sandbox()).runSandboxCommand(
        {
          port: parsePort(String(o.port)),
          host: String(o.host),
          token: o.token as string | undefined,
          workflows: o.workflows as string | undefined,
          faults,
          quiet: Boolean(o.quiet),
          ...(o.rateLimit !== undefined ? { rateLimit: Number(o.rateLimit) } : {}),
        },
        deps,
      ),
    ));

  return program;
}

function addWatchOptions(cmd: Command, withSwitch: boolean): void {
  if (withSwitch) cmd.option('-w, --watch', 'follow the new run until it ends');
  cmd
    .option('--timeout <duration>', 'stop watching after this long (the run keeps going)', '65m')
    .option('--interval <duration>', 'the slowest poll interval', '2s')
    .option('--max-outage <duration>', 'how long to retry through API errors before giving up (exit 5)', '5m')
    .option('--strict', 'exit 1 when the run completed with a step logged as error')
    .option('--verbose', 'print whole step outputs');
}

function addOutputOptions(cmd: Command, withNdjson: boolean): void {
  cmd.option('--json', 'print one JSON document (the run) and nothing else on stdout').option('-q, --quiet', 'print only the run id, then nothing but errors');
  if (withNdjson) cmd.option('--output <format>', 'text, json or ndjson (one JSON event per line)');
}
