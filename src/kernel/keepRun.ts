// What happens after a cell ran, in order: journal the run (a record's journal is on disk before the cell
// shows as done), show its outputs and end the execution together, then append its log rows and ask for a
// background save.
// The cell ends when its command ended and the run is on disk (issue 17): the log edit's round trip to the
// window (the whole notebook metadata, slow in a big record) comes after the end, and until it has landed the
// journal entry stays, so a kill in between loses nothing. The queue still waits for the log edit, so the next
// cell's rows chain after this one's.
// Keeping the run (journal, log, save) can fail on its own (disk full, a file in the way): that is reported
// beside the cell and never replaces or touches the outputs the run produced, which are real either way.
// No `vscode` here: the controller passes the steps in, unit tests pass their own.

export type KeepStep = 'journal' | 'show' | 'log' | 'save';

export interface RunFinish {
  /** Writes the run into the record's journal; `applied()` once its edits are in the notebook model. */
  journal(): Promise<{ applied(): void } | undefined>;
  /** Replaces the cell's outputs with the run's (sent before `end`, awaited after it, before the log edit). */
  show(): PromiseLike<unknown>;
  /** Appends the run's rows to the notebook's execution log. */
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
  // The outputs and the end go to the window in one batch, nothing awaited between them: the cell shows its
  // final output and ✓ together.
  const shown = f.show();
  f.end();
  try {
    await shown;
  } catch (e) {
    report('show', e);
  }
  try {
    await f.log();
  } catch (e) {
    report('log', e);
  }
  ticket?.applied();
  f.save().then(undefined, (e: unknown) => report('save', e));
}

/** VS Code shows a cell's spinner at least this long (ExecutionStateCellStatusBarItem.MIN_SPINNER_TIME). */
export const VSCODE_MIN_SPINNER_MS = 500;
/** Time for the execution's start to reach the window, where VS Code's minimum starts to count. */
const SPINNER_MARGIN_MS = 100;

/**
 * How long the log edit waits after a cell ended `sinceStartMs` after it started. VS Code holds a quick cell's
 * ✓ until its spinner has shown for 500 ms, and the log edit (the notebook's whole metadata, hundreds of rows
 * in a big record) keeps the window busy for 0.2–0.4 s when it lands: sent while the ✓ waits, it delays the ✓
 * by that much. When no other cell waits, the edit waits until the ✓ is shown (the run is in the journal
 * meanwhile); a queued cell never waits for it (Run All keeps its pace).
 */
export function logEditDelay(sinceStartMs: number, othersQueued: number): number {
  if (othersQueued > 0) return 0;
  return Math.max(0, Math.ceil(VSCODE_MIN_SPINNER_MS + SPINNER_MARGIN_MS - sinceStartMs));
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
