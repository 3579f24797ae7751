// A short-lived list of workflow ids for shell completion, written by `wf list`, read on TAB.
// TAB never calls the network; a stale, missing or damaged cache just offers no ids.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded, TooLargeError } from '../config/read-file.js';

export interface CacheFs {
  /** The file's text, or undefined when it is longer than maxChars; rejects when it cannot be read. */
  readFile(path: string, maxChars: number): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  /** Creates the directory and its parents; no error when it exists. */
  mkdir(path: string): Promise<void>;
}

export const WORKFLOW_CACHE_FILE = 'completion-workflows.json';
/** How long a written list is offered: long enough for a session at the terminal, short enough to not lie for long. */
export const WORKFLOW_CACHE_TTL_MS = 15 * 60 * 1000;
export const MAX_CACHED_IDS = 1000;
const MAX_FILE_CHARS = 256 * 1024;
/** A written time this far ahead of now is a clock gone wrong: the cache is not trusted. */
const MAX_CLOCK_SKEW_MS = 60 * 1000;

/**
 * Ids offered to a shell: a completion candidate lands on the user's command line as typed text,
 * so a server id with `$(…)`, quotes, spaces or newlines must never become one.
 */
export function isCompletableId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id);
}

/** Writes the ids (completable ones only, at most MAX_CACHED_IDS) with the time they were listed. */
export async function writeWorkflowCache(dir: string, ids: readonly unknown[], now: number, fs: CacheFs): Promise<void> {
  const kept = [...new Set(ids.filter(isCompletableId))].slice(0, MAX_CACHED_IDS);
  await fs.mkdir(dir);
  await fs.writeFile(join(dir, WORKFLOW_CACHE_FILE), `${JSON.stringify({ version: 1, written_at: now, ids: kept })}\n`);
}

/** The cached ids when the cache is fresh (younger than the TTL); [] for anything else, never throws. */
export async function readWorkflowCache(dir: string, now: number, fs: CacheFs, ttlMs = WORKFLOW_CACHE_TTL_MS): Promise<string[]> {
  try {
    const text = await fs.readFile(join(dir, WORKFLOW_CACHE_FILE), MAX_FILE_CHARS);
    if (text === undefined) return [];
    const data: unknown = JSON.parse(text);
    if (typeof data !== 'object' || data === null) return [];
    const { version, written_at: at, ids } = data as Record<string, unknown>;
    if (version !== 1 || typeof at !== 'number' || !Array.isArray(ids)) return [];
    if (now - at > ttlMs || at - now > MAX_CLOCK_SKEW_MS) return [];
    return ids.filter(isCompletableId).slice(0, MAX_CACHED_IDS);
  } catch {
    return [];
  }
}

/** The real file system: the directory 0700, the file 0600, a bounded read of a regular file. */
export const nodeCacheFs: CacheFs = {
  // The bounded reader of the config file: a regular file only, opened non-blocking (a FIFO
  // planted at the path cannot hang TAB), and never more than it may hold.
  async readFile(path, maxChars) {
    try {
      const text = readFileBounded(path, { maxBytes: maxChars * 4, regularOnly: true });
      return text.length > maxChars ? undefined : text;
    } catch (err) {
      if (err instanceof TooLargeError) return undefined;
      throw err;
    }
  },
  writeFile: (path, text) => writeFile(path, text, { mode: 0o600 }),
  mkdir: async (path) => void (await mkdir(path, { recursive: true, mode: 0o700 })),
};
