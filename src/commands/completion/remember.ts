import { mkdir } from 'node:fs/promises';
import type { Factory } from '../../factory.js';

/**
 * After `wf list`: writes the workflow ids for shell completion (readWorkflowCache offers them
 * for 15 minutes) into the config directory. Best effort: a read-only or missing place never
 * fails the listing. The directory is created (0700) only where its parent exists: a listing
 * does not build a tree of directories on a path that may be a mistake.
 */
export async function rememberWorkflowIds(f: Factory, workflows: readonly unknown[]): Promise<void> {
  try {
    const [{ writeWorkflowCache, nodeCacheFs }, { configDir }] = await Promise.all([import('../../completion/workflow-cache.js'), import('../../config/paths.js')]);
    const ids = workflows.map((w) => (typeof w === 'object' && w !== null ? (w as { id?: unknown }).id : undefined));
    const fs = {
      ...nodeCacheFs,
      mkdir: async (path: string) => {
        await mkdir(path, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'EEXIST') throw err;
        });
      },
    };
    await writeWorkflowCache(configDir(f.deps.env), ids, f.deps.clock.now(), fs);
  } catch {
    // Completion just offers no ids.
  }
}
