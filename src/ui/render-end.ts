import type { WatchResult } from '../watch/engine.js';
import { stepErrorCount } from '../watch/exit-code.js';
import type { Palette } from './palette.js';
import {
  renderAwaiting,
  renderFailureDigest,
  renderLostContact,
  renderReattach,
  renderStepErrorsNotice,
  renderUnknownStatus,
} from './render-outcome.js';
import { isSet, recordOf, text } from './format.js';
import { renderSummary } from './render-run.js';

export interface WatchEndOptions {
  runId: string;
  strict: boolean;
  timeoutMs: number;
}

/** What a text-mode watch prints at its end: the summary on stdout, messages and hints on stderr. */
export interface EndLines {
  out: string[];
  err: string[];
}

/** The end of a watch for a person: summary, failure digest, notices and re-attach hints. */
export function renderWatchEnd(
  result: WatchResult,
  opts: WatchEndOptions,
  palette: Palette,
  errPalette: Palette,
  now: number,
): EndLines {
  const run = result.run;
  const out = run ? renderSummary(run, palette, now) : [];
  const err: string[] = [];
  switch (result.outcome) {
    case 'completed': {
      const errors = stepErrorCount(result);
      if (errors > 0) out.push(...renderStepErrorsNotice(errors, opts.strict, palette));
      break;
    }
    case 'failed':
      if (run) out.push(...renderFailureDigest(run, palette));
      break;
    case 'awaiting_ui_interaction':
      err.push(...renderAwaiting(opts.runId, errPalette));
      break;
    case 'unknown_status':
      if (run) err.push(...renderUnknownStatus(run, errPalette));
      break;
    case 'timeout':
      err.push(...renderReattach('timeout', opts.runId, errPalette, opts.timeoutMs));
      break;
    case 'interrupted':
      err.push(...renderReattach('interrupted', opts.runId, errPalette));
      break;
    case 'lost_contact':
      err.push(...renderLostContact(opts.runId, errPalette, result.error));
      break;
  }
  return { out, err };
}

/** The end of a watch under --quiet or a machine format: only what explains a non-zero exit, for stderr. */
export function renderWatchEndErrors(
  result: WatchResult,
  opts: WatchEndOptions,
  errPalette: Palette,
  now: number,
  exitCode: number,
): string[] {
  const { err } = renderWatchEnd(result, opts, errPalette, errPalette, now);
  if (err.length > 0 || exitCode === 0) return err;
  const run = result.run;
  if (result.outcome === 'failed') {
    const message = recordOf(run).error_message;
    const reason = isSet(message) ? `: ${text(message, '', 4000)}` : '';
    return [`${errPalette.failure('✖')} run ${errPalette.id(text(opts.runId, '?', 200))} failed${reason}`];
  }
  if (result.outcome === 'completed') return renderStepErrorsNotice(stepErrorCount(result), opts.strict, errPalette);
  return [];
}
