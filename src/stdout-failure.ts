/**
 * The one line for a stdout alto could not write to. EPIPE (`alto ... | head`) is a reader that
 * went away; any other code (ENOSPC on a full disk, EIO) is a write that failed. Both exit 141.
 * Shared by the process entry's --version fast path and the stop reason (stop-reasons.ts).
 */
export function stdoutFailureText(code: string | undefined): string {
  return code === undefined || code === 'EPIPE' ? 'stdout was closed before all output was written' : `cannot write to stdout: ${code}`;
}
