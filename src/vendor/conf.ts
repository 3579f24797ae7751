// Loaded only by `auth login` and `auth logout` (src/config/store.ts writeProfile), never on the
// start-up path of another command: the build emits this as its own file, dist/vendor-conf.cjs.
// Reads for every command stay a bounded plain read (src/config/store.ts readConfig).
export { default as Conf } from 'conf';
