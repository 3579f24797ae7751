import { AnnotationBudget, annotationText, headerTitle, type Annotation, type CiDialect } from './dialect.js';
import { neutralize } from './text.js';

// Azure Pipelines finds `##vso[` anywhere in a line and `##[group]` at its start. The agent
// unescapes `%AZP25` `%0D` `%0A` `%5D` `%3B` in a logging command's data and properties.

/** Text for a `##vso[...]` command (data or property), escaped as the Azure agent unescapes it. */
export function escapeAzure(text: string): string {
  return text.replace(/%/g, '%AZP25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/]/g, '%5D').replace(/;/g, '%3B');
}

// Azure documents no per-kind cap on logissue; GitHub's 10 is used so the count stays bounded
// and the summary page readable; every message is in the log anyway.
export const AZURE_ANNOTATIONS_PER_KIND = 10;

/** Azure Pipelines: `##[group]`, `##vso[task.logissue]`, `##vso[`/`##[` broken in server text. */
export function createAzureDialect(): CiDialect {
  const budget = new AnnotationBudget(AZURE_ANNOTATIONS_PER_KIND, `alto raises at most ${AZURE_ANNOTATIONS_PER_KIND} per kind`);
  let open = false;
  const end = () => {
    if (!open) return [];
    open = false;
    return ['##[endgroup]'];
  };
  return {
    format: 'azure',
    groupStart(title) {
      const lines = end();
      open = true;
      return [...lines, `##[group]${headerTitle(title)}`];
    },
    groupEnd: () => end(),
    annotate(a: Annotation) {
      if (!budget.take(a.kind)) return [];
      const title = a.title ? `${headerTitle(a.title)}: ` : '';
      return [`##vso[task.logissue type=${a.kind}]${escapeAzure(title + annotationText(a.message))}`];
    },
    untrusted: neutralize,
    finish: () => [...end(), ...budget.notes()],
  };
}
