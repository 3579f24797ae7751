// How a run ended, as the reports (CI dialects, JUnit) tell it: one reading for all of them.

/**
 * How alto's watch of a run ended (the watch engine's outcome) when it knows better than the run's
 * status, or `launch_failed`: a fan-out line whose run never started (the launch was refused).
 */
export type RunEnding = 'completed' | 'failed' | 'awaiting_ui_interaction' | 'timeout' | 'interrupted' | 'lost_contact' | 'unknown_status' | 'launch_failed';

/** A run's ending in a report: `incomplete` for a run still pending or running when it is written. */
export type ReportEnding = RunEnding | 'incomplete';

/** The ending given, else the one the run's status tells: a status alto does not know is `unknown_status`. */
export function endingOf(status: string, given: RunEnding | undefined): ReportEnding {
  if (given !== undefined) return given;
  switch (status) {
    case 'completed':
    case 'failed':
    case 'awaiting_ui_interaction':
      return status;
    case 'pending':
    case 'running':
      return 'incomplete';
    default:
      return 'unknown_status';
  }
}
