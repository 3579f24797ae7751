// Put at the top of dist/alto.cjs by scripts/build.mjs. Loads alto's other bundle files
// (alto-main.cjs, vendor-*.cjs) with a V8 code cache, as Node 22's module.enableCompileCache
// does and Node 20 cannot: compiling ~0.5 MB of JavaScript on every start is most of what
// `alto --help` costs over a bare `node`. The cache lives in the user's own cache directory
// (never a shared one: cached bytecode is code), one folder per alto, Node and CPU; a cache
// V8 rejects is rewritten, and any failure to read or write one just means no cache.
const __altoLoadChunk = (() => {
  const loaded = new Map();
  const toWrite = [];
  let cacheDir;

  let fs;
  let path;

  /** The user's cache directory for this build, or undefined when there is none to be had. */
  function findCacheDir() {
    try {
      const env = process.env;
      // os.homedir() reads HOME (USERPROFILE on Windows) first; loading node:os is for the rest.
      const home = env.HOME || env.USERPROFILE || require('node:os').homedir();
      const root =
        env.XDG_CACHE_HOME ||
        (process.platform === 'darwin'
          ? path.join(home, 'Library', 'Caches')
          : process.platform === 'win32'
            ? env.LOCALAPPDATA || path.join(home, 'AppData', 'Local')
            : path.join(home, '.cache'));
      return path.join(root, 'alto', `v8-${ALTO_BUILD_ID}-${process.version}-${process.arch}`);
    } catch {
      return undefined;
    }
  }

  function load(name) {
    const vm = require('node:vm');
    if (loaded.size === 0) {
      fs = require('node:fs');
      path = require('node:path');
      cacheDir = findCacheDir();
      process.once('exit', writeCaches);
    }
    const file = path.join(__dirname, name);
    const done = loaded.get(file);
    if (done) return done.exports;
    const cacheFile = cacheDir && path.join(cacheDir, `${name}.bin`);
    let cachedData;
    try {
      if (cacheFile) cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    // Node's own CommonJS wrapper (node:module's wrap), without loading node:module for it.
    const source = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(file, 'utf8')}\n});`;
    const script = new vm.Script(source, { filename: file, cachedData });
    if (cacheFile && (!cachedData || script.cachedDataRejected)) toWrite.push({ script, cacheFile });
    const module = { exports: {}, id: file, filename: file, loaded: false };
    loaded.set(file, module);
    // The chunk's own require: alto's other chunks through this loader, Node's modules as usual.
    const chunkRequire = (id) => (id.startsWith('./') && id.endsWith('.cjs') ? load(id.slice(2)) : require(id));
    script.runInThisContext()(module.exports, chunkRequire, module, file, __dirname);
    module.loaded = true;
    return module.exports;
  }

  // Written at exit, so the cache holds every function this run compiled.
  const writeCaches = () => {
    if (toWrite.length === 0) return;
    try {
      // Caches of other builds are dead weight: a new build starts with a clean slate.
      const parent = path.dirname(cacheDir);
      for (const other of fs.readdirSync(parent)) {
        if (other.startsWith('v8-') && path.join(parent, other) !== cacheDir) fs.rmSync(path.join(parent, other), { recursive: true, force: true });
      }
    } catch {
      // Nothing cached before.
    }
    for (const { script, cacheFile } of toWrite) {
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        // No cache this time.
      }
    }
  };
  return load;
})();
