import { headerTitle, plainAnnotation, type CiDialect, type GroupOutcome } from './dialect.js';
import { neutralize } from './text.js';

// Buildkite: a line `--- title` starts a collapsed group, `+++ title` an expanded one, and
// `^^^ +++` expands the group it is printed in. Groups have no end marker: the next header ends
// one, so lines printed after the last group stay in it (start another group for a summary).

/** Buildkite: `---` groups, `+++` for a failure known up front, `^^^ +++` for one found at the end. */
export function createBuildkiteDialect(): CiDialect {
  let current: { expanded: boolean } | undefined;
  return {
    format: 'buildkite',
    groupStart(title, outcome: GroupOutcome = 'unknown') {
      const expanded = outcome === 'failure';
      current = { expanded };
      return [`${expanded ? '+++' : '---'} ${headerTitle(title)}`];
    },
    groupEnd(outcome) {
      const group = current;
      current = undefined;
      return group && outcome === 'failure' && !group.expanded ? ['^^^ +++'] : [];
    },
    annotate: plainAnnotation,
    untrusted: neutralize,
    finish: () => [],
  };
}
