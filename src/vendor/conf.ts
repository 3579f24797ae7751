// Loaded only when a command reads or writes the config: the build emits this as its own file.
export { default as Conf } from 'conf';
