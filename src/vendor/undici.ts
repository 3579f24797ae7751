// Loaded only when a command talks to the API: the build emits this as its own file.
// Deep imports keep fetch, WebSocket, caching and the mocks out of alto's start-up path
// (about half of undici's load time); the Dispatcher gets its request() the way undici's
// own index does it.
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

Object.assign(Dispatcher.prototype, api);

// Node 20 only (measured with `npm run bench -- --stand-ins`): V8 keeps undici's WebAssembly
// HTTP parser at its baseline tier, or a short-lived process waits ~80 ms at exit for background
// optimisation it never uses; on Node 22+ the flag costs time instead. Set here, once undici and
// the Node modules it needs are loaded, and not at start: after a V8 flag changes, V8 refuses the
// built-in code cache of every Node module loaded later (node:http and friends cost ~7 ms more).
// node:v8 is loaded only there.
/* eslint-disable no-restricted-globals -- one V8 flag for the process, decided by the Node it runs on */
if (Number.parseInt(process.versions.node, 10) < 22) process.getBuiltinModule('node:v8').setFlagsFromString('--liftoff-only');
/* eslint-enable no-restricted-globals */

export { EnvHttpProxyAgent };
