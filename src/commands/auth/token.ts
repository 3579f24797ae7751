import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export type AuthTokenRunner = (f: Factory) => Promise<number>;

const authToken: AuthTokenRunner = async (f) => {
  const { requireToken, resolveSettings } = await import('../../config/resolve.js');
  // The one command whose job is to print the token: the one writer of main's unredacted stdout.
  f.rawOut.write(`${requireToken(await resolveSettings(f.globals(), f.deps.env))}\n`);
  return 0;
};

/** alto auth token: the token in use on stdout, for scripts, and nothing else (exit 3 without one). */
export function newAuthTokenCommand(f: Factory, runF: AuthTokenRunner = authToken): Command {
  return new Command('token')
    .description('print the token in use, for scripts; nothing else')
    .addHelpText('after', examples('curl -H "Authorization: Bearer $(alto auth token)" https://v1.api.altostrat.io/workflows'))
    .action(runAction(f, () => runF(f)));
}
