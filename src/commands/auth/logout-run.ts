import { MARK } from '../../ui/marks.js';
import { resolveSettings } from '../../config/resolve.js';
import { writeProfile } from '../../config/store.js';
import { ExitCode } from '../../errors.js';
import type { Factory } from '../../factory.js';

/** alto auth logout: forgets the profile's stored token. Logging out twice is not an error. */
export async function authLogout(f: Factory): Promise<number> {
  const { deps, io } = f;
  const s = await resolveSettings(f.globals(), deps.env);
  const p = f.errPalette;
  if (!s.storedToken) {
    io.err.write(`no token stored for profile "${s.profile}"; nothing to do\n`);
  } else {
    await writeProfile(s.configDir, s.profile, undefined, deps.clock);
    io.err.write(`${p.success(MARK.success)} Logged out of profile "${s.profile}"\n`);
  }
  if (deps.env.ALTO_TOKEN) io.err.write(`${p.warning(MARK.warning)} ALTO_TOKEN is still set in this environment\n`);
  return ExitCode.Ok;
}
