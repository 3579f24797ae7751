import { AnnotationBudget, annotationText, headerTitle, type Annotation, type CiDialect, type DialectDeps } from './dialect.js';
import { neutralize } from './text.js';

// GitHub Actions reads `::command::` at the start of a line, on stdout and stderr.
// Facts: data escapes % CR LF; properties also ':' and ','; 10 annotations per kind per step.

/** A command's data (the text after `::`), escaped as the runner unescapes it. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value (e.g. `title=`), escaped as the runner unescapes it. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const GITHUB_ANNOTATIONS_PER_KIND = 10;

/**
 * A token that does not occur in `text`: for `::stop-commands::`, and in `$GITHUB_OUTPUT`'s
 * delimiters. 16 tries of an unguessable token never all collide; if they did, a fixed fallback
 * (`fallback` and a number) still differs from the text (it is checked too).
 */
export function freshToken(text: string, randomToken: () => string, opts: { minLength?: number; fallback?: string } = {}): string {
  const minLength = opts.minLength ?? 8;
  const fallback = opts.fallback ?? 'alto-stop-';
  for (let i = 0; i < 16; i++) {
    const token = randomToken().replace(/[^A-Za-z0-9_-]/g, '');
    if (token.length >= Math.max(1, minLength) && !text.includes(token)) return token;
  }
  let n = 0;
  while (text.includes(`${fallback}${n}`)) n++;
  return `${fallback}${n}`;
}

/** GitHub Actions: `::group::`, `::error title=…::`, server text between stop-commands markers. */
export function createGithubDialect(deps: DialectDeps): CiDialect {
  const budget = new AnnotationBudget(GITHUB_ANNOTATIONS_PER_KIND, `GitHub shows at most ${GITHUB_ANNOTATIONS_PER_KIND} per kind per step`);
  let open = false;
  const end = () => {
    if (!open) return [];
    open = false;
    return ['::endgroup::'];
  };
  return {
    format: 'github',
    groupStart(title) {
      // GitHub groups do not nest: a new one closes the one before.
      const lines = end();
      open = true;
      return [...lines, `::group::${escapeGithubData(headerTitle(title))}`];
    },
    groupEnd: () => end(),
    annotate(a: Annotation) {
      if (!budget.take(a.kind)) return [];
      const title = a.title ? ` title=${escapeGithubProperty(headerTitle(a.title))}` : '';
      return [`::${a.kind}${title}::${escapeGithubData(annotationText(a.message))}`];
    },
    untrusted(text) {
      const lines = neutralize(text);
      const token = freshToken(lines.join('\n'), deps.randomToken);
      return [`::stop-commands::${token}`, ...lines, `::${token}::`];
    },
    finish: () => [...end(), ...budget.notes()],
  };
}
