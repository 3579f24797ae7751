import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_CACHED_IDS,
  WORKFLOW_CACHE_FILE,
  WORKFLOW_CACHE_TTL_MS,
  isCompletableId,
  nodeCacheFs,
  readWorkflowCache,
  writeWorkflowCache,
  type CacheFs,
} from '../../src/completion/workflow-cache.js';

function memoryFs(): CacheFs & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    readFile: async (path, max) => {
      const text = files.get(path);
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text.length > max ? undefined : text;
    },
    writeFile: async (path, text) => void files.set(path, text),
    mkdir: async () => undefined,
  };
}

const T0 = 1_800_000_000_000;

describe('workflow id cache', () => {
  it('reads back what was written while it is fresh, nothing once the TTL passed', async () => {
    const fs = memoryFs();
    await writeWorkflowCache('/cfg', ['wf_a', 'wf_b', 'wf_a'], T0, fs);
    expect(await readWorkflowCache('/cfg', T0 + 1000, fs)).toEqual(['wf_a', 'wf_b']);
    expect(await readWorkflowCache('/cfg', T0 + WORKFLOW_CACHE_TTL_MS - 1, fs)).toEqual(['wf_a', 'wf_b']);
    expect(await readWorkflowCache('/cfg', T0 + WORKFLOW_CACHE_TTL_MS + 1, fs)).toEqual([]);
    // Written "in the future" (a clock gone wrong): not trusted.
    expect(await readWorkflowCache('/cfg', T0 - 10 * 60 * 1000, fs)).toEqual([]);
  });

  it('never stores or offers an id a shell could run or split', async () => {
    const fs = memoryFs();
    const bad = ['$(rm -rf ~)', 'a b', 'x\ny', '`id`', "it's", '-rf', '', 'a'.repeat(200), 42, null, { id: 'x' }];
    await writeWorkflowCache('/cfg', [...bad, 'wf_ok-1.2'], T0, fs);
    expect(await readWorkflowCache('/cfg', T0, fs)).toEqual(['wf_ok-1.2']);
    // A cache file edited by hand is filtered on the way out as well.
    fs.files.set(join('/cfg', WORKFLOW_CACHE_FILE), JSON.stringify({ version: 1, written_at: T0, ids: ['$(id)', 'good'] }));
    expect(await readWorkflowCache('/cfg', T0, fs)).toEqual(['good']);
    for (const id of bad) expect(isCompletableId(id)).toBe(false);
  });

  it('keeps at most MAX_CACHED_IDS ids', async () => {
    const fs = memoryFs();
    await writeWorkflowCache('/cfg', Array.from({ length: 5000 }, (_, i) => `wf_${i}`), T0, fs);
    expect(await readWorkflowCache('/cfg', T0, fs)).toHaveLength(MAX_CACHED_IDS);
  });

  it('a missing, damaged, oversized or foreign file offers nothing and never throws', async () => {
    const fs = memoryFs();
    expect(await readWorkflowCache('/cfg', T0, fs)).toEqual([]);
    const path = join('/cfg', WORKFLOW_CACHE_FILE);
    for (const text of ['{', 'null', '[]', '{"version":2,"written_at":1,"ids":[]}', `{"version":1,"written_at":"${T0}","ids":["a"]}`, 'x'.repeat(300_000)]) {
      fs.files.set(path, text);
      expect(await readWorkflowCache('/cfg', T0, fs)).toEqual([]);
    }
  });
});

describe('nodeCacheFs', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a 0600 file in a 0700 directory and stops reading a file over the limit', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alto-cache-'));
    const cacheDir = join(dir, 'sub', 'alto');
    await writeWorkflowCache(cacheDir, ['wf_a'], T0, nodeCacheFs);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(cacheDir, WORKFLOW_CACHE_FILE)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(cacheDir, WORKFLOW_CACHE_FILE), 'utf8')).ids).toEqual(['wf_a']);
    expect(await readWorkflowCache(cacheDir, T0, nodeCacheFs)).toEqual(['wf_a']);
    writeFileSync(join(dir, 'big'), 'y'.repeat(5000));
    expect(await nodeCacheFs.readFile(join(dir, 'big'), 100)).toBeUndefined();
    expect(await nodeCacheFs.readFile(join(dir, 'big'), 5000)).toHaveLength(5000);
  });

  it('offers nothing, at once, for a FIFO or a directory planted at the cache path (TAB never hangs)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alto-cache-'));
    execFileSync('mkfifo', [join(dir, WORKFLOW_CACHE_FILE)]);
    expect(await readWorkflowCache(dir, T0, nodeCacheFs)).toEqual([]);
    const other = join(dir, 'other');
    mkdirSync(join(other, WORKFLOW_CACHE_FILE), { recursive: true });
    expect(await readWorkflowCache(other, T0, nodeCacheFs)).toEqual([]);
  });
});
