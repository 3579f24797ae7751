// The sandbox's defaults, in a module of their own so that the commander tree can show them
// without loading the server.

/** The port `alto sandbox` listens on when --port is not given (0 = any free port). */
export const DEFAULT_SANDBOX_PORT = 8787;
/** The bearer token the sandbox accepts when --token is not given. */
export const DEFAULT_SANDBOX_TOKEN = 'alto-sandbox-token';
