import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples } from '../shared/run-action.js';
import { newAuthLoginCommand } from './login.js';
import { newAuthLogoutCommand } from './logout.js';
import { newAuthStatusCommand } from './status.js';
import { newAuthTokenCommand } from './token.js';

/** alto auth login|status|logout|token. */
export function newAuthCommand(f: Factory): Command {
  return new Command('auth')
    .description('log in, check and log out')
    .addCommand(newAuthLoginCommand(f))
    .addCommand(newAuthStatusCommand(f))
    .addCommand(newAuthLogoutCommand(f))
    .addCommand(newAuthTokenCommand(f))
    .addHelpText('after', examples('alto auth login', 'alto auth login --with-token < token.txt', 'alto auth status', 'TOKEN=$(alto auth token)'));
}
