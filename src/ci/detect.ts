import type { Env } from '../deps.js';
import { UsageError } from '../errors.js';
import { cleanText, truncateChars } from './text.js';

/** The CI log dialect alto writes in text mode. `none`: not in CI (a person's terminal). */
export type CiFormat = 'github' | 'gitlab' | 'buildkite' | 'azure' | 'plain' | 'none';

/** Values `--ci-format` and ALTO_CI_FORMAT accept. */
export const CI_FORMAT_CHOICES = ['auto', 'github', 'gitlab', 'buildkite', 'azure', 'plain'] as const;
export type CiFormatChoice = (typeof CI_FORMAT_CHOICES)[number];

/**
 * Which CI dialect to speak: the `--ci-format` flag, else ALTO_CI_FORMAT, else detected from the
 * variables each runner sets. `auto` (or empty) means detect. A value outside CI_FORMAT_CHOICES is
 * a UsageError naming where it came from. Any other non-empty `CI` except "false"/"0" is `plain`.
 */
export function detectCiFormat(env: Env, flag?: string): CiFormat {
  const fromFlag = flag !== undefined;
  const raw = fromFlag ? flag : env.ALTO_CI_FORMAT;
  const choice = (raw ?? '').trim().toLowerCase();
  if (choice !== '' && choice !== 'auto') {
    if ((CI_FORMAT_CHOICES as readonly string[]).includes(choice)) return choice as CiFormat;
    const where = fromFlag ? '--ci-format' : 'ALTO_CI_FORMAT';
    const shown = JSON.stringify(truncateChars(cleanText(raw ?? ''), 40));
    throw new UsageError(`invalid ${where} ${shown}`, `use one of: ${CI_FORMAT_CHOICES.join(', ')}`);
  }
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI === 'true') return 'gitlab';
  if (env.BUILDKITE === 'true') return 'buildkite';
  if (env.TF_BUILD?.toLowerCase() === 'true') return 'azure';
  const ci = env.CI?.trim().toLowerCase();
  if (ci && ci !== 'false' && ci !== '0') return 'plain';
  return 'none';
}

/** True for a CI with a log language of its own (groups, annotations); not plain or none. */
export function isCiDialect(format: CiFormat): boolean {
  return format === 'github' || format === 'gitlab' || format === 'buildkite' || format === 'azure';
}
