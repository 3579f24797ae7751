import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export interface AuthStatusOptions {
  json: boolean;
}

export type AuthStatusRunner = (f: Factory, opts: AuthStatusOptions) => Promise<number>;

const authStatus: AuthStatusRunner = async (f, opts) => (await import('./status-run.js')).authStatus(f, opts);

/** alto auth status [--json]: offline; exit 3 when no token is found or the token in use is an expired JWT. */
export function newAuthStatusCommand(f: Factory, runF: AuthStatusRunner = authStatus): Command {
  return new Command('status')
    .description('show the profile, where the token comes from (masked) and the API URL; exit 3 when not logged in or the token expired')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto auth status', 'alto auth status --json | jq .token_expires_at'))
    .action(runAction(f, (_args, o) => runF(f, { json: Boolean(o.json) })));
}
