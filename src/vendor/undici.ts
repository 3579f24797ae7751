// Loaded only when a command talks to the API: the build emits this as its own file.
// Deep imports keep fetch, WebSocket, caching and the mocks out of alto's start-up path
// (about half of undici's load time); the Dispatcher gets its request() the way undici's
// own index does it.
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

// src/cli.ts keeps V8 to its baseline WebAssembly tier for undici's parser (see there).
Object.assign(Dispatcher.prototype, api);

export { EnvHttpProxyAgent };
