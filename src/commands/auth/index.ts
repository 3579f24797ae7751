import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { examples, runAction } from '../shared/run-action.js';
import type { AuthContext } from './auth.js';

const load = () => import('./auth.js');

/** The context auth's functions take, from the factory. */
function authContext(f: Factory): AuthContext {
  const globals = f.globals();
  return {
    deps: f.deps,
    globals,
    errPalette: f.errPalette,
    requestTimeoutMs: globals.requestTimeoutMs,
    addSecret: (s) => f.addSecret(s),
    clientFor: (o) => f.clientFor(o),
    canPrompt: f.io.canPrompt(),
  };
}

/** alto auth login|status|logout|token. */
export function newAuthCommand(f: Factory): Command {
  const auth = new Command('auth').description('log in, check and log out');
  auth
    .command('login')
    .description('store a token for a profile (read from stdin, never from a flag)')
    .option('--with-token', 'read the token from stdin')
    .addHelpText('after', examples('alto auth login --with-token < token.txt', 'echo "$ALTO_CI_TOKEN" | alto auth login --with-token --profile ci', 'alto auth login --api-url http://127.0.0.1:8787'))
    .action(runAction(f, async (_a, o) => (await load()).authLogin(authContext(f), { withToken: Boolean(o.withToken) })));
  auth
    .command('status')
    .description('show the profile, where the token comes from (masked) and the API URL')
    .option('--json', 'print one JSON document')
    .addHelpText('after', examples('alto auth status', 'alto auth status --json | jq .token_expires_at'))
    .action(runAction(f, async (_a, o) => (await load()).authStatus(authContext(f), { json: Boolean(o.json) })));
  auth
    .command('logout')
    .description("forget the profile's stored token")
    .addHelpText('after', examples('alto auth logout', 'alto auth logout --profile ci'))
    .action(runAction(f, async () => (await load()).authLogout(authContext(f))));
  auth
    .command('token')
    .description('print the token in use, for scripts; nothing else')
    .addHelpText('after', examples('curl -H "Authorization: Bearer $(alto auth token)" https://v1.api.altostrat.io/workflows'))
    .action(runAction(f, async () => (await load()).authToken(authContext(f))));
  return auth;
}
