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
  }
  // A bearer credential we were not told about is still never echoed.
  return out.replace(/(authorization:\s*bearer\s+)(?!\*\*\*)\S+/gi, '$1***');
}

/** "wfk_abcdef123456789" -> "wfk_****6789": enough to tell tokens apart, not to use one. */
export function maskToken(token: string): string {
  if (token.length < 12) return '****';
  const prefix = /^[a-z]{2,5}_/i.exec(token)?.[0] ?? token.slice(0, 2);
  return `${prefix}****${token.slice(-4)}`;
}
