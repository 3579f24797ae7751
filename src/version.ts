declare const __ALTO_VERSION__: string | undefined;

/** alto's version: set by the build from package.json; "0.0.0-dev" when run from source. */
export const VERSION: string = typeof __ALTO_VERSION__ === 'string' ? __ALTO_VERSION__ : '0.0.0-dev';
