import { headerTitle, plainAnnotation, type CiDialect, type DialectDeps, type GroupOutcome } from './dialect.js';
import { neutralize } from './text.js';

// GitLab: `\e[0Ksection_start:UNIX_SECONDS:name[collapsed=true]\r\e[0K` header … `section_end`.
// A section collapses only by its header: see CiDialect for how the outcome reaches it.
const ESC = '\u001b';

/** A section name GitLab accepts ([a-zA-Z0-9_.-]), unique by its sequence number. */
export function sectionName(seq: number, title: string): string {
  const slug = title.replace(/[^a-zA-Z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  return `alto_${seq}${slug ? `_${slug}` : ''}`;
}

/** GitLab CI: collapsible sections, succeeded runs collapsed, failed ones open. */
export function createGitlabDialect(deps: DialectDeps): CiDialect {
  const stack: string[] = [];
  let seq = 0;
  const seconds = () => Math.max(0, Math.floor(deps.clock.now() / 1000));
  const close = () => {
    const name = stack.pop();
    return name === undefined ? [] : [`${ESC}[0Ksection_end:${seconds()}:${name}\r${ESC}[0K`];
  };
  return {
    format: 'gitlab',
    groupStart(title, outcome: GroupOutcome = 'unknown') {
      const shown = headerTitle(title);
      const name = sectionName(++seq, shown);
      stack.push(name);
      const collapsed = outcome === 'success' ? '[collapsed=true]' : '';
      return [`${ESC}[0Ksection_start:${seconds()}:${name}${collapsed}\r${ESC}[0K${shown}`];
    },
    groupEnd: () => close(),
    annotate: plainAnnotation,
    untrusted: neutralize,
    finish() {
      const lines: string[] = [];
      while (stack.length > 0) lines.push(...close());
      return lines;
    },
  };
}
