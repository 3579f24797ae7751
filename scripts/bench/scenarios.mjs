// The workflows the bench runs, written to a temp --workflows file. Durations are exact: the
// sandbox computes a run's state from this timeline (no timers), so a run ends at
// created + start_after_ms + sum(after_ms) + end_after_ms.
//
// Why several "1 s" and "12 s" workflows: alto polls on a fixed schedule measured from its
// start, so runs of identical length all end at the same point between two polls and would
// all report the same delay. Lengths spread across one poll step (300 ms around 1 s, ~2.5 s
// around 12 s) sample every phase, so the median and max describe what a user sees.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const START_MS = 200;
const TRIGGER_MS = 300;

/** A run of exactly `totalMs` from creation to end: pending, a trigger, a step every `everyMs`, the end. */
function timedRun(id, totalMs, everyMs) {
  const left = totalMs - START_MS - TRIGGER_MS;
  const ticks = Math.max(0, Math.floor((left - 200) / everyMs)); // keep >= 200 ms between last step and end
  const steps = [{ node_id: 'n0', component_id: 'manual_trigger', after_ms: TRIGGER_MS }];
  if (ticks > 0) steps.push({ node_id: 'tick', component_id: 'delay', after_ms: everyMs, ...(ticks > 1 ? { repeat: ticks } : {}) });
  return { id, name: `Bench: ${totalMs / 1000} s run`, start_after_ms: START_MS, steps, end_after_ms: left - ticks * everyMs };
}

const variants = (prefix, lengths, everyMs) => lengths.map((ms, i) => ({ id: `${prefix}_${i + 1}`, ms, everyMs }));

/** ~1 s: 1.00 to 1.24 s, 60 ms apart (the fast poll step is 300 ms). */
export const ONE_SECOND = variants('fl_bench_1s', [1000, 1060, 1120, 1180, 1240], 300);
/** ~12 s: 11 to 13 s, 0.5 s apart (the slow poll step is ~2-2.6 s there). */
export const TWELVE_SECONDS = variants('fl_bench_12s', [11000, 11500, 12000, 12500, 13000], 1000);
export const SIXTY_SECONDS = { id: 'fl_bench_60s', ms: 60_000, everyMs: 1000 };
export const QUICK = 'fl_bench_quick';
/**
 * 3,000 logs of ~1.5 KB (plus the trigger's), one every 5 ms: the run lasts 15 s, so alto polls
 * it several times while it grows (the 3 s run of examples/benchmark-workflows.json would be seen
 * in one or two polls).
 */
export const BIG_RUN = { id: 'fl_bench_3000_logs', ms: 15_000, logs: 3000 };

function scenario() {
  const timed = [...ONE_SECOND, ...TWELVE_SECONDS, SIXTY_SECONDS].map((v) => timedRun(v.id, v.ms, v.everyMs));
  return {
    $comment: 'Written by scripts/bench.mjs; see scripts/bench/scenarios.mjs',
    workflows: [
      // execute -q only creates it; its length does not matter.
      { id: QUICK, name: 'Bench: quick', start_after_ms: 0, steps: [{ node_id: 'n0', component_id: 'manual_trigger', after_ms: 0 }], end_after_ms: 0 },
      ...timed,
      {
        id: BIG_RUN.id,
        name: 'Bench: 3,000 step logs',
        start_after_ms: 0,
        steps: [
          { node_id: 'n0', component_id: 'manual_trigger', after_ms: 0 },
          {
            node_id: 'step', component_id: 'transform', after_ms: BIG_RUN.ms / BIG_RUN.logs, repeat: BIG_RUN.logs,
            output: { ok: true, records: 25 }, output_bytes: 1500,
          },
        ],
        end_after_ms: 0,
      },
    ],
  };
}

/** Writes the scenario file into `dir` and returns its path. */
export function writeScenarioFile(dir) {
  const path = join(dir, 'bench-workflows.json');
  writeFileSync(path, `${JSON.stringify(scenario(), null, 2)}\n`);
  return path;
}
