/** The one exit code of a fan-out: the most severe of its runs' codes. */
import { ExitCode } from '../errors.js';

/**
 * Most severe first. The documented order (../shared/CLI.md) is 70 > 3 > 5 > 4 > 1 > 124 > 6 > 0.
 * Codes it does not list: 130 (interrupted) outranks all, since the user stopped everything;
 * 2 (the API refused one line's context as invalid: 400/413/422) ranks just below 3, as an
 * input fault as global as a bad token; anything else unknown ranks as 70.
 */
export const SEVERITY_ORDER: readonly number[] = [
  ExitCode.Interrupted,
  ExitCode.Internal,
  ExitCode.Auth,
  ExitCode.Usage,
  ExitCode.Api,
  ExitCode.NotFound,
  ExitCode.RunFailed,
  ExitCode.Timeout,
  ExitCode.AwaitingUser,
  ExitCode.Ok,
];

const rank = (code: number): number => {
  const i = SEVERITY_ORDER.indexOf(code);
  return i === -1 ? SEVERITY_ORDER.indexOf(ExitCode.Internal) : i;
};

/** The most severe of the codes; 0 for none. An unknown code counts as 70 (and is returned as 70). */
export function mostSevere(codes: Iterable<number | null | undefined>): ExitCode {
  let best: number = ExitCode.Ok;
  for (const code of codes) {
    if (code === null || code === undefined) continue;
    if (rank(code) < rank(best)) best = SEVERITY_ORDER[rank(code)] as number;
  }
  return best as ExitCode;
}
