// Loaded only when a spinner is shown: the build emits this as its own file.
export { default as ora } from 'ora';
export type { Ora, Options as OraOptions } from 'ora';
