import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface AuthLoginOptions {
  /** --with-token: read the token from stdin; otherwise a hidden prompt on a terminal. */
  withToken: boolean;
}

export type AuthLoginRunner = (f: Factory, opts: AuthLoginOptions) => Promise<number>;

const authLogin: AuthLoginRunner = async (f, opts) => (await import('./login-run.js')).authLogin(f, opts);

/** alto auth login [--with-token]: the token never comes from a flag (it would land in shell history). */
export function newAuthLoginCommand(f: Factory, runF: AuthLoginRunner = authLogin): Command {
  return new Command('login')
    .description('store a token for a profile (read from stdin, never from a flag)')
    .option('--with-token', 'read the token from stdin')
    .addHelpText('after', examples('alto auth login --with-token < token.txt', 'echo "$ALTO_CI_TOKEN" | alto auth login --with-token --profile ci', 'alto auth login --api-url http://127.0.0.1:8787'))
    .action(runAction(f, (_args, o) => runF(f, { withToken: Boolean(o.withToken) })));
}
