// The shells `alto completion` has a script for: a module of its own, so the command's
// definition (loaded with every command tree) names them without loading the scripts.
export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** True for a shell `alto completion` has a script for. */
export function isCompletionShell(name: string): name is CompletionShell {
  return (COMPLETION_SHELLS as readonly string[]).includes(name);
}
