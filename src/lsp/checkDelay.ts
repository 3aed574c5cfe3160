// How long the language server waits after a change before checking a document again (issue 17).
// A small runbook is checked 50 ms after the last keystroke, as before. A big record's check takes 100+ ms of
// the same two cores VS Code needs for the edit, the run and the save: the wait is twice the last check's
// time, so checking never takes more than a third of the time while someone types or cells run, and at most
// a second, so a finding still shows promptly.
export const MIN_CHECK_DELAY_MS = 50;
export const MAX_CHECK_DELAY_MS = 1000;

export function checkDelay(lastCheckMs: number | undefined): number {
  if (lastCheckMs === undefined || !Number.isFinite(lastCheckMs)) return MIN_CHECK_DELAY_MS;
  return Math.round(Math.min(MAX_CHECK_DELAY_MS, Math.max(MIN_CHECK_DELAY_MS, 2 * lastCheckMs)));
}
