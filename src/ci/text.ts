// Server text on its way into a CI log. Every dialect passes it through `neutralize` so that no
// runner reads a command out of it, whichever runner is really reading the log (a user can force
// `--ci-format plain` on GitHub, say): the markers of all four runners are broken in every dialect.
import { jsonText } from '../ui/json-text.js';

// C0 controls but LF and TAB, DEL, C1 controls. CR goes too: a bare CR lets a line overwrite the
// one before it in a viewer, and GitLab's section markers end in `\r\e[0K`. The line and paragraph
// separators U+2028/U+2029 (a line break to some viewers) and lone surrogates go as in ui/safe-text.ts.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Bidirectional overrides, embeddings, isolates and marks: they reorder what a reader sees.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Invisible characters (zero-width, word joiner, BOM, tags: see ui/safe-text.ts): a reader cannot see them.
const INVISIBLE = /[\u180e\u200b-\u200d\u2060-\u2064\ufeff]|\udb40[\udc00-\udc7f]/g;
// CSI and OSC escape sequences are dropped whole rather than leaving "[31m" behind. Only a whole
// sequence on one line: an OSC without its end (BEL or ESC \) is left for cleanText to neutralize,
// so server text can never hide the rest of its line, or its later lines, behind an open escape.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\n\r]*(?:\u0007|\u001b\\)|\u009b[0-9;?]*[ -/]*[@-~]/g;

/** Text without terminal escape sequences (CSI, OSC) and bidirectional controls; nothing else changed. */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPES, '').replace(BIDI, '');
}

/** An invisible character that breaks a marker without changing what a person reads. */
export const BREAK = '\u200b';

/** Text with escape sequences dropped, CRLF and CR as LF, other control, bidi, invisible, U+2028/9 and lone surrogate characters as U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r\n?/g, '\n').replace(CONTROL, '\ufffd').replace(BIDI, '\ufffd').replace(INVISIBLE, '\ufffd');
}

/**
 * One line of cleaned server text with every CI command marker broken:
 * GitHub `::cmd` at the line start and `##[`; Azure `##vso[` and `##[` anywhere (case-insensitive);
 * GitLab `section_start:`/`section_end:`; Buildkite `---`, `+++`, `~~~`, `^^^` at the line start.
 */
function breakMarkers(line: string): string {
  let out = line
    .replace(/#(?=#(?:vso)?\[)/gi, `#${BREAK}`)
    .replace(/section_(?=(?:start|end):)/gi, `section${BREAK}_`);
  // Runners trim leading white space before they look for a command.
  if (/^\s*(?:::|---|\+\+\+|~~~|\^\^\^)/.test(out)) out = BREAK + out;
  return out;
}

/** Server text as lines that no CI runner reads as a command: cleaned, markers broken. */
export function neutralize(text: string): string[] {
  return cleanText(text).split('\n').map(breakMarkers);
}

/** Server text as one neutralized line (newlines become spaces), cut to `max` characters. */
export function neutralizeLine(text: string, max = 500): string {
  return truncateChars(neutralize(text).join(' ').trim(), max);
}

/** At most `max` characters (code points), ending in "…" when cut. */
export function truncateChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Any JSON value as text: strings as they are, the rest as indented JSON (at any depth); never throws. */
export function valueText(value: unknown, indent = 2): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return jsonText(value, { indent });
}
