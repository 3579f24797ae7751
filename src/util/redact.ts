/**
 * Replaces every known secret in text with a mask. Secrets shorter than `minLength` (default 4)
 * are skipped, so a short token does not mangle ordinary output; --debug passes 1, because
 * there a leaked token matters more than readability.
 */
export function redact(text: string, secrets: readonly string[], opts: { minLength?: number } = {}): string {
  const min = Math.max(1, opts.minLength ?? 4);
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length < min) continue;
    out = out.split(secret).join('***');
    if (secret.length > PREFIX_MIN) out = maskPrefixes(out, secret);
  }
  // A bearer credential we were not told about is still never echoed.
  return out.replace(/(authorization:\s*bearer\s+)(?!\*\*\*)\S+/gi, '$1***');
}

/**
 * Views cut server text to fit ("…", "...", a JSON preview's room): a token there would show all
 * but its last characters. Any PREFIX_MIN or more leading characters of a secret are masked too.
 */
const PREFIX_MIN = 8;

function maskPrefixes(text: string, secret: string): string {
  const head = secret.slice(0, PREFIX_MIN);
  let at = text.indexOf(head);
  if (at === -1) return text;
  let out = '';
  let from = 0;
  while (at !== -1) {
    let end = at + PREFIX_MIN;
    while (end < text.length && end - at < secret.length && text[end] === secret[end - at]) end++;
    out += `${text.slice(from, at)}***`;
    from = end;
    at = text.indexOf(head, end);
  }
  return out + text.slice(from);
}

/** "wfk_abcdef123456789" -> "wfk_****6789": enough to tell tokens apart, not to use one. */
export function maskToken(token: string): string {
  if (token.length < 12) return '****';
  const prefix = /^[a-z]{2,5}_/i.exec(token)?.[0] ?? token.slice(0, 2);
  return `${prefix}****${token.slice(-4)}`;
}
