// The GitHub Action: masks the token, reads the inputs, runs alto in-process, writes `exit-code`.
import { Readable } from 'node:stream';
import { githubOutputText } from '../ci/github-files.js';
import { escapeGithubData } from '../ci/github.js';
import type { Deps } from '../deps.js';
import { CliError, ExitCode } from '../errors.js';
import { actionToken, planAction } from './inputs.js';

export type AppendFile = (path: string, text: string) => Promise<void>;

/** What the entry needs besides alto's deps: where step outputs go, and alto itself. */
export interface ActionHooks {
  appendFile: AppendFile;
  randomToken: () => string;
  /** alto's main (src/main.ts); loaded lazily by the entry. */
  main: (argv: string[], deps: Deps) => Promise<number>;
}

/**
 * The `::add-mask::` lines for a secret: the whole value and each of its lines (the runner masks
 * per line of a log, so a multi-line secret needs its lines masked too).
 */
export function maskCommands(secret: string): string {
  const parts = new Set([secret, ...secret.split(/\r?\n/)].map((s) => s.trim()).filter((s) => s !== ''));
  return [...parts].map((s) => `::add-mask::${escapeGithubData(s)}\n`).join('');
}

/**
 * Runs the action with deps.env as the runner sets it (INPUT_*, GITHUB_*). Returns the exit code
 * for the process: alto's, or 2 for a bad input (nothing sent).
 */
export async function runAction(deps: Deps, hooks: ActionHooks): Promise<number> {
  // Before anything else is printed, so no later line (even an error quoting an input) shows it.
  const token = actionToken(deps.env);
  if (token !== '') deps.io.stdout.write(maskCommands(token));

  let code: number;
  try {
    const plan = planAction(deps.env);
    const env = { ...deps.env, ALTO_TOKEN: plan.token === '' ? undefined : plan.token };
    const stdin = plan.stdin === undefined ? deps.io.stdin : Readable.from([plan.stdin]);
    code = await hooks.main(plan.argv, { ...deps, env, io: { stdout: deps.io.stdout, stderr: deps.io.stderr, stdin } });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    const hint = err.hint ? ` (${err.hint})` : '';
    deps.io.stderr.write(`::error title=alto action::${escapeGithubData(`${err.message}${hint}`)}\n`);
    code = err.exitCode;
  }
  return writeExitCode(deps, hooks, code);
}

/**
 * `exit-code` to $GITHUB_OUTPUT (alto writes `run-id` and `status` there itself once its GitHub
 * output is on; writing `exit-code` again is harmless: the last value of a name wins). A failed
 * write is not success: exit 70 when alto's code was 0, alto's code otherwise.
 */
async function writeExitCode(deps: Deps, hooks: ActionHooks, code: number): Promise<number> {
  const path = deps.env.GITHUB_OUTPUT;
  if (!path) return code;
  try {
    await hooks.appendFile(path, githubOutputText([['exit-code', String(code)]], hooks.randomToken));
  } catch (err) {
    const reason = err instanceof Error ? ((err as NodeJS.ErrnoException).code ?? err.message) : String(err);
    deps.io.stderr.write(`::error title=alto action::${escapeGithubData(`cannot write $GITHUB_OUTPUT: ${reason}`)}\n`);
    return code === 0 ? ExitCode.Internal : code;
  }
  return code;
}
