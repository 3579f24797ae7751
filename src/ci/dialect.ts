import type { CiFormat } from './detect.js';
import { cleanText, neutralize, neutralizeLine, truncateChars } from './text.js';

/** What a group's run came to. `unknown`: the header is printed before the run ends. */
export type GroupOutcome = 'success' | 'failure' | 'unknown';
export type AnnotationKind = 'error' | 'warning';

export interface Annotation {
  kind: AnnotationKind;
  /** Short heading (GitHub shows it in bold); server text allowed. */
  title?: string;
  /** The message; server text allowed, may span lines. */
  message: string;
}

/**
 * One CI log dialect. Every method returns whole lines without their "\n"; the caller writes
 * them to stdout in order. Every string argument may hold server text: the dialect cleans it.
 *
 * GitLab can collapse a section only in its header, and Buildkite expands a `---` group only with
 * a later `^^^ +++`. So a caller that knows the outcome before the header (it prints a run's step
 * logs once the run ended, the choice for CI mode) passes it to `groupStart`: GitLab then collapses
 * a success and leaves a failure open, Buildkite opens a failure with `+++`. A caller that streams
 * live passes `unknown`: GitLab leaves the section open, Buildkite expands it at `groupEnd('failure')`.
 */
export interface CiDialect {
  readonly format: CiFormat;
  /** Lines opening a collapsible group (one per run): title e.g. "my-workflow fl_run_123". */
  groupStart(title: string, outcome?: GroupOutcome): string[];
  /** Lines closing the group opened last (none open: no lines). */
  groupEnd(outcome: 'success' | 'failure'): string[];
  /** An error or warning annotation; over the runner's cap it is counted, not printed. */
  annotate(annotation: Annotation): string[];
  /** Server text (step output, error messages) as lines that cannot issue a runner command. */
  untrusted(text: string): string[];
  /** Lines to print last: groups still open are closed, annotations dropped over the cap noted. */
  finish(): string[];
}

export interface DialectDeps {
  clock: { now(): number };
  /** An unguessable token (e.g. 32 hex digits from node:crypto): GitHub's stop-commands marker. */
  randomToken: () => string;
}

/** Longest annotation message printed, in characters. */
export const MAX_ANNOTATION_CHARS = 4000;

/** Counts annotations per kind and says when one is over the cap. */
export class AnnotationBudget {
  private readonly used = new Map<AnnotationKind, number>();
  private readonly dropped = new Map<AnnotationKind, number>();
  constructor(
    private readonly perKind: number,
    /** Why there is a cap, for the note: e.g. "GitHub shows at most 10 per kind per step". */
    private readonly why: string,
  ) {}

  /** True when one more annotation of this kind may be printed (and counts it). */
  take(kind: AnnotationKind): boolean {
    const n = this.used.get(kind) ?? 0;
    if (n < this.perKind) {
      this.used.set(kind, n + 1);
      return true;
    }
    this.dropped.set(kind, (this.dropped.get(kind) ?? 0) + 1);
    return false;
  }

  /** One plain line per kind that had annotations dropped. */
  notes(): string[] {
    return [...this.dropped].map(
      ([kind, n]) => `alto: ${n} more ${kind} annotation${n === 1 ? '' : 's'} not shown (${this.why}); the log above has every message`,
    );
  }
}

/** An annotation message cleaned for one line of a runner command: lines kept, markers broken, cut. */
export function annotationText(text: string): string {
  return truncateChars(neutralize(text).join('\n').trim(), MAX_ANNOTATION_CHARS);
}

/** An annotation as plain log lines, for runners without a log command for it (GitLab, Buildkite, plain). */
export function plainAnnotation(a: Annotation): string[] {
  const title = a.title ? `${neutralizeLine(a.title, 200)}: ` : '';
  const [first = '', ...rest] = annotationText(a.message).split('\n');
  return [`${a.kind}: ${title}${first}`, ...rest.map((line) => `  ${line}`)];
}

/** The plain dialect: no groups, no commands; server text still neutralized. Used for `plain` and `none`. */
export function createPlainDialect(format: CiFormat = 'plain'): CiDialect {
  return {
    format,
    groupStart: (title) => [`== ${neutralizeLine(title, 200)}`],
    groupEnd: () => [],
    annotate: plainAnnotation,
    untrusted: neutralize,
    finish: () => [],
  };
}

/** A title for a one-line header: cleaned, on one line, cut. */
export function headerTitle(title: string): string {
  return neutralizeLine(cleanText(title), 200);
}
