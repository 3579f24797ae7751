#!/usr/bin/env node
// CommonJS (see bin/package.json): the bundle starts faster than through the ESM loader.
'use strict';
const { existsSync, lstatSync, mkdirSync, realpathSync } = require('node:fs');
const { dirname, isAbsolute, join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'alto.cjs');
if (!existsSync(entry)) {
  // A clone that was never built: one line, not a "Cannot find module" stack (README: Install).
  process.stderr.write('alto: this clone is not built yet: run `npm ci` (or `npm run build`)\n');
  process.exit(78);
}

/**
 * alto's compile-cache directory ($XDG_CACHE_HOME/alto or ~/.cache/alto, created 0700), or
 * undefined unless it is safe: cached bytecode is code, so the directory must be a real directory
 * (no symlink) owned by this user, and it and every directory above it writable by no one else
 * (root-owned or sticky ancestors excepted). Any error means no cache.
 */
function safeCacheDir(env) {
  try {
    const uid = process.getuid?.();
    if (uid === undefined) return undefined;
    const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : env.HOME && isAbsolute(env.HOME) ? join(env.HOME, '.cache') : undefined;
    if (!base) return undefined;
    const wanted = join(base, 'alto');
    // Not mkdirSync's recursive mode: it spins forever below /proc/self (XDG_CACHE_HOME=/proc/self).
    const missing = [];
    for (let d = wanted; missing.length < 64; d = dirname(d)) {
      if (existsSync(d)) break;
      missing.push(d);
      if (dirname(d) === d) break;
    }
    for (const d of missing.reverse()) mkdirSync(d, { mode: 0o700 });
    if (lstatSync(wanted).isSymbolicLink()) return undefined;
    const dir = realpathSync(wanted);
    const own = lstatSync(dir);
    if (!own.isDirectory() || own.uid !== uid || (own.mode & 0o022) !== 0) return undefined;
    for (let d = dirname(dir); ; d = dirname(d)) {
      const st = lstatSync(d);
      if (!st.isDirectory() || (st.uid !== uid && st.uid !== 0)) return undefined;
      if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) return undefined; // writable by others, not sticky
      if (d === dirname(d)) return dir;
    }
  } catch {
    return undefined;
  }
}

// Node >= 22.8 caches what it compiles of dist/ there; Node checks each entry against the
// source's hash. Older Nodes run without a cache.
try {
  const mod = require('node:module');
  if (typeof mod.enableCompileCache === 'function' && !process.env.NODE_COMPILE_CACHE) {
    const dir = safeCacheDir(process.env);
    if (dir) mod.enableCompileCache(dir);
  }
} catch {
  // Run without a cache.
}

require(entry);
