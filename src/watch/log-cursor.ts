import type { WorkflowLog } from '../api/types.js';

/**
 * Remembers which step logs were already shown. The API returns every log of the run on each
 * GET, so the cursor checks the boundary of what it saw last time and looks only at what is
 * past it: O(new) per poll. If the boundary moved (a server that reorders or trims), it falls
 * back to the set of seen ids, O(all) for that one poll. It keeps ids, never log objects, so
 * one poll's response can be freed as soon as the next arrives.
 */
export interface LogCursor {
  /** The logs of this response not yielded before, in order; each id at most once ever. */
  next(logs: readonly WorkflowLog[] | undefined): WorkflowLog[];
  /** How many distinct logs have been yielded so far. */
  readonly seenCount: number;
}

/** Creates an empty cursor for one run. */
export function createLogCursor(): LogCursor {
  const seen = new Set<string>();
  // The previous response's length and the id at its end: the fast-path boundary.
  let count = 0;
  let lastId: string | undefined;

  const take = (logs: readonly WorkflowLog[], from: number, out: WorkflowLog[]) => {
    for (let i = from; i < logs.length; i += 1) {
      const log = logs[i] as WorkflowLog;
      const id = log.id;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(log);
    }
  };

  return {
    get seenCount() {
      return seen.size;
    },
    next(logs) {
      const list = logs ?? [];
      const fresh: WorkflowLog[] = [];
      const unchangedPrefix =
        count === 0 ? seen.size === 0 : list.length >= count && list[count - 1]?.id === lastId;
      take(list, unchangedPrefix ? count : 0, fresh);
      if (list.length > 0) {
        count = list.length;
        lastId = list[list.length - 1]?.id;
      }
      return fresh;
    },
  };
}
