import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';

export type AuthLogoutRunner = (f: Factory) => Promise<number>;

const authLogout: AuthLogoutRunner = async (f) => (await import('./logout-run.js')).authLogout(f);

/** alto auth logout: forgets the profile's stored token (--profile picks the profile). */
export function newAuthLogoutCommand(f: Factory, runF: AuthLogoutRunner = authLogout): Command {
  return new Command('logout')
    .description("forget the profile's stored token")
    .addHelpText('after', examples('alto auth logout', 'alto auth logout --profile ci'))
    .action(runAction(f, () => runF(f)));
}
