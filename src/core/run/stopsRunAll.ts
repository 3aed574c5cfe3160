// Whether a cell's end stops the rest of a batch of cells (the notebook's Run All, src/kernel/runQueue.ts), and
// whether a cell ran to a known end (`runbook run --all --continue-on-error`, documentRunner.ts, stops after a
// timed-out or cancelled step as Run All does; a fleet step with an unreachable host is a failure it goes on
// after). A failure with an exit code stops the rest only when stop-on-error is on; a
// cell that did not run to a known end always does: what comes after it was written for a step that ended.
import type { CellRunOutcome } from './cellRunner.js';

/** Whether a cell's end stops the rest of a Run All (or of any batch of several cells). */
export function stopsRunAll(outcome: CellRunOutcome | undefined, stopOnError: boolean): boolean {
  if (!outcome) return true;
  if (outcome.ok) return false;
  if (outcome.status !== 'ran' || endedUnknown(outcome)) return true;
  return stopOnError;
}

/** A cell that ran but did not run to a known end: cancelled, timed out, or no exit code (connection lost). */
export function endedUnknown(outcome: CellRunOutcome): boolean {
  return outcome.exitCode === null || stoppedShort(outcome);
}

/** A cell whose command was stopped before it ended: cancelled, or timed out (on any of its hosts). */
export function stoppedShort(outcome: CellRunOutcome): boolean {
  return outcome.rows.some((r) => r.event === 'cancel' || r.event === 'timeout');
}
