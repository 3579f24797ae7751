import { describe, expect, it } from 'vitest';
import type { WatchOutcome } from '../../src/watch/engine.js';
import { exitCodeForWatch } from '../../src/watch/exit-code.js';
import { makeLog, makeRun } from '../helpers/run-fixtures.js';

describe('exit codes of a watch', () => {
  it('maps every outcome to the contract table', () => {
    const table: Array<[WatchOutcome, number]> = [
      ['completed', 0],
      ['failed', 1],
      ['awaiting_ui_interaction', 6],
      ['timeout', 124],
      ['interrupted', 130],
      ['lost_contact', 5],
      ['unknown_status', 5],
    ];
    for (const [outcome, code] of table) {
      expect(exitCodeForWatch({ outcome, run: makeRun() }, { strict: false })).toBe(code);
    }
  });

  it('completed with a step error is 0, or 1 under --strict', () => {
    const run = makeRun({ status: 'completed', logs: [makeLog(1), makeLog(2, { status: 'error' })] });
    expect(exitCodeForWatch({ outcome: 'completed', run }, { strict: false })).toBe(0);
    expect(exitCodeForWatch({ outcome: 'completed', run }, { strict: true })).toBe(1);
    const clean = makeRun({ status: 'completed', logs: [makeLog(1, { status: 'warning' })] });
    expect(exitCodeForWatch({ outcome: 'completed', run: clean }, { strict: true })).toBe(0);
  });
});
