/** A token fit for an Authorization header: printable ASCII, no spaces (RFC 6750 b64token and more). */
export function isHeaderSafeToken(token: string): boolean {
  return /^[\x21-\x7e]+$/.test(token);
}
