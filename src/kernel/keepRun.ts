// What happens after a cell ran, in order: journal the run (a record's journal is on disk before the cell
// shows as done), then send the log edit, the outputs and the end together, nothing awaited between them; then
// wait for both to land and ask for a background save.
// The log edit (the notebook's whole metadata, slow to round-trip in a big record) is sent before the outputs
// and is not awaited before `end()` (issue 17): the cell ends when its command ended and the run is on disk,
// and the window gets the row and the outputs back to back, so a save never finds outputs without their row
// for longer than VS Code takes to apply two queued edits. Until the edit landed the journal entry stays, so
// a kill in between loses nothing. The queue waits for the edit, so the next cell's rows chain after these.
// Keeping the run (journal, log, save) can fail on its own (disk full, a file in the way): that is reported
// beside the cell and never replaces or touches the outputs the run produced, which are real either way.
// No `vscode` here: the controller passes the steps in, unit tests pass their own.

export type KeepStep = 'journal' | 'show' | 'log' | 'save';

export interface RunFinish {
  /** Writes the run into the record's journal; `applied()` once its edits are in the notebook model. */
  journal(): Promise<{ applied(): void } | undefined>;
  /** Replaces the cell's outputs with the run's (sent before `end`, awaited after it, before the log edit). */
  show(): PromiseLike<unknown>;
  /** Appends the run's rows to the notebook's execution log (sent before the outputs, awaited after the end). */
  log(): Promise<void>;
  /** Ends the execution (✓ or ✗ as the run ended). */
  end(): void;
  /** Asks for a background save (never awaited here: the cell is done). */
  save(): Promise<unknown>;
}

/** Runs the steps; a keeping step that fails is passed to `report` and the others still happen. */
export async function finishRun(f: RunFinish, report: (step: KeepStep, error: unknown) => void): Promise<void> {
  let ticket: { applied(): void } | undefined;
  try {
    ticket = await f.journal();
  } catch (e) {
    report('journal', e);
  }
  // The log edit, the outputs and the end go to the window in one batch, nothing awaited between them.
  const logged = f.log();
  const shown = f.show();
  f.end();
  try {
    await shown;
  } catch (e) {
    report('show', e);
  }
  try {
    await logged;
  } catch (e) {
    report('log', e);
  }
  ticket?.applied();
  f.save().then(undefined, (e: unknown) => report('save', e));
}

/** The words for a keeping step that failed (notification and output channel). */
export function keepFailureText(notebookName: string, cellName: string, step: KeepStep, error: unknown): string {
  const what = { journal: 'writing it to the record\'s journal', show: 'showing its outputs on the cell',
    log: 'adding its row to the execution log', save: 'saving the record' }[step];
  const why = error instanceof Error ? error.message : String(error);
  const next = step === 'show' ? 'Run it again to see its outputs.'
    : 'The outputs on the cell are the run\'s own; save the record (Ctrl+S) once the problem is fixed.';
  return `${notebookName}: "${cellName}" ran, but ${what} failed (${why}). ${next}`;
}
