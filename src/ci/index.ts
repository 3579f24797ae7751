import { createAzureDialect } from './azure.js';
import { createBuildkiteDialect } from './buildkite.js';
import type { CiFormat } from './detect.js';
import { createPlainDialect, type CiDialect, type DialectDeps } from './dialect.js';
import { createGithubDialect } from './github.js';
import { createGitlabDialect } from './gitlab.js';

export type { CiFormat } from './detect.js';
export { CI_FORMAT_CHOICES, detectCiFormat } from './detect.js';
export type { Annotation, AnnotationKind, CiDialect, DialectDeps, GroupOutcome } from './dialect.js';

/** The dialect object for a format; `plain` and `none` share the plain one (no commands). */
export function createCiDialect(format: CiFormat, deps: DialectDeps): CiDialect {
  switch (format) {
    case 'github':
      return createGithubDialect(deps);
    case 'gitlab':
      return createGitlabDialect(deps);
    case 'buildkite':
      return createBuildkiteDialect();
    case 'azure':
      return createAzureDialect();
    default:
      return createPlainDialect(format);
  }
}
