// The one place server text is made safe for a terminal or a CI log (see README "Server text").
// Every character that could drive a terminal or hide what is printed becomes U+FFFD:
// C0 controls (ESC, CR, BEL, ...), DEL, C1 controls (U+0080-U+009F, which include the 8-bit
// CSI U+009B and OSC U+009D), the line/paragraph separators U+2028/U+2029, bidi controls
// (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) and lone surrogates. With an ESC or C1
// gone, no CSI or OSC sequence (colour, cursor, OSC 8 links, OSC 52 clipboard) can start, and
// what is left of one ("[31m", "]52;c;...") is plain text. CI command markers are broken too.
// Invisible characters become U+FFFD as well, so no text hides in a name: zero-width space and
// joiners U+200B-U+200D (also inside emoji sequences: the simple rule), U+180E, word joiner and
// invisible operators U+2060-U+2064, U+FEFF (BOM) and the tag characters U+E0000-U+E007F, which
// spell hidden ASCII. The soft hyphen U+00AD is kept.

const MARK = '\ufffd';

// eslint-disable-next-line no-control-regex
const UNSAFE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// The same, but newline and tab are kept (a CRLF is read as a newline first).
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTI = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Workflow commands a CI runner reads from a job's log: GitHub's "::cmd::" at a line's start
// (after blanks), Azure's "##vso[" and "##[" anywhere, Buildkite's "--- ", "+++ ", "~~~ " and
// "^^^ +++" group markers at a line's start. Their first character becomes U+FFFD.
const CI_MARKER = /^([ \t]*)(?:::|--- |\+\+\+ |~~~ |\^\^\^ \+\+\+)|##(?:vso)?\[/gim;
// Printable ASCII plus newline and tab: nothing to do (the common case, one quick scan).
const PLAIN = /^[\u0020-\u007e\n\t]*$/;

export interface SafeTextOptions {
  /** Keep newlines and tabs (a step output printed whole); otherwise they are neutralized too. */
  multiline?: boolean;
}

function breakCiMarker(match: string, blanks: string | undefined): string {
  const lead = blanks ?? '';
  return `${lead}${MARK}${match.slice(lead.length + 1)}`;
}

/**
 * Any value made safe to write to a terminal or CI log in text mode: strings are cleaned as
 * described above; numbers and booleans are their text; null, undefined, objects and
 * everything else give "" (render structured values with format.ts's oneLine/safeJson).
 * Linear in the length of the text; never throws.
 */
export function safeText(value: unknown, opts: SafeTextOptions = {}): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  else return '';
  if (opts.multiline) text = text.replace(/\r\n/g, '\n');
  if (!PLAIN.test(text)) text = text.replace(opts.multiline ? UNSAFE_MULTI : UNSAFE_LINE, MARK);
  // PLAIN lets newline and tab through: on one line they are neutralized here.
  if (!opts.multiline && /[\n\t]/.test(text)) text = text.replace(/[\n\t]/g, MARK);
  return text.includes('::') || text.includes('##') || /[-+~^]{3} /.test(text) ? text.replace(CI_MARKER, breakCiMarker) : text;
}

// The SGR colour codes alto's palette writes (chalk's bold, dim, red, green, yellow, cyan and
// their resets); any other code, such as 8 (conceal), is not let through.
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[(?:0|1|2|22|31|32|33|36|39)m/g;

/**
 * Text alto composed, possibly coloured by its palette, made safe as a last line of defence
 * (the spinner): colour codes are kept, every other control or bidi character is neutralized.
 */
export function safeStyled(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(SGR)) {
    out += safeText(text.slice(last, m.index)) + m[0];
    last = (m.index ?? 0) + m[0].length;
  }
  return out + safeText(text.slice(last));
}
