// Loaded only when a command talks to the API: the build emits this as its own file.
// Deep imports keep fetch, WebSocket, caching and the mocks out of alto's start-up path
// (about half of undici's load time); the Dispatcher gets its request() the way undici's
// own index does it.
import { setFlagsFromString } from 'node:v8';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';

// undici parses HTTP with llhttp compiled to WebAssembly. By default V8 also optimises it on
// background threads, and a short-lived process then waits ~100 ms at exit for that work to
// finish. The baseline compiler alone parses our responses fast enough (the 3,000-log run in
// `npm run bench` included), so alto tells V8 to stop there. It must run before the first
// connection, when undici compiles the parser.
setFlagsFromString('--liftoff-only');

Object.assign(Dispatcher.prototype, api);

export { EnvHttpProxyAgent };
