/** Replaces every known secret in text with a mask; secrets shorter than 4 characters are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
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
