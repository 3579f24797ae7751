import type { SpinnerFactory } from '../spinner.js';
import { createJsonReporter, createNdjsonReporter, createQuietReporter } from './machine.js';
import { createPlainReporter } from './plain.js';
import type { ReporterContext, ReporterKind, WatchReporter } from './reporter.js';
import { createTtyReporter } from './tty.js';

/** The reporter for an output mode (see chooseReporterKind). */
export function createWatchReporter(kind: ReporterKind, ctx: ReporterContext, createSpinner?: SpinnerFactory): WatchReporter {
  switch (kind) {
    case 'tty':
      return createTtyReporter(ctx, createSpinner);
    case 'plain':
      return createPlainReporter(ctx);
    case 'json':
      return createJsonReporter(ctx);
    case 'ndjson':
      return createNdjsonReporter(ctx);
    case 'quiet':
      return createQuietReporter(ctx);
  }
}
