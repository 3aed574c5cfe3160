// Keeps incident records on disk without making anyone wait (issue 17): every finished cell and note is
// appended to the record's journal (written, then fsynced) before it shows as done, and the record itself is saved in the
// background by one coalescing SaveScheduler. The next open merges back whatever a crash kept from a save.
import * as vscode from 'vscode';
import type { LogRow } from '../core/format/index.js';
import { isRecord } from '../core/runbook/record.js';
import type { JournalCell } from '../core/log/journal.js';
import type { NewLogRow } from '../core/log/chain.js';
import { perfLog } from '../core/util/perfLog.js';
import { guardedSave } from '../notebook/diskGuard.js';
import { RunJournals } from '../notebook/journal.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { applyLog, chainLogRows } from './logWriter.js';
import { SaveScheduler } from './saveScheduler.js';
import { frontMatterOf, frontMatterRaw } from '../notebook/metadata.js';

export const journals = new RunJournals();

/** Who says whether a notebook has cells running or queued (the controller, while it exists). */
const busyChecks = new Set<(nb: vscode.NotebookDocument) => boolean>();

/** Saves after runs wait while `check` says the notebook is busy (see SaveScheduler's `busy`). */
export function waitWhileBusy(check: (nb: vscode.NotebookDocument) => boolean): vscode.Disposable {
  busyChecks.add(check);
  return new vscode.Disposable(() => busyChecks.delete(check));
}

export const saves = new SaveScheduler<vscode.NotebookDocument>({
  save: async (nb) => {
    const t = performance.now();
    // The disk guard (issue 11) saves only when the file still holds what VS Code last read or wrote.
    const ok = await guardedSave(nb);
    perfLog('record.save', performance.now() - t, `${nb.cellCount} cells`);
    return ok;
  },
  mark: async (nb) => (await journals.of(nb))?.mark() ?? 0,
  saved: async (nb, mark) => {
    (await journals.of(nb))?.compact(mark);
  },
  // A moment for VS Code to show the finished cell before it snapshots the notebook for the save; runs in a
  // quick burst share one save. Tests hold saves back much longer to kill VS Code before they happen.
  delayMs: Number(process.env.RUNBOOK_TEST_SAVE_DELAY_MS ?? 0) || 300,
  // A Run All is saved once at its end (or every 30 s while it lasts), not after each cell.
  busy: (nb) => [...busyChecks].some((check) => check(nb)),
  maxWaitMs: 30_000,
  onError: (nb, e) => void vscode.window.showWarningMessage(
    `Saving ${nb.uri.path.split('/').pop()} failed (${String(e)}); its runs are kept in the journal beside it.`),
});

/** VS Code keeps a cell's spinner at least this long: a quick cell's ✓ paints then, not when it ends. */
const VSCODE_MIN_SPINNER_MS = 500;
/** And this long for the window to get the cell's start and paint its ✓ (more under load). */
const CHECK_MARK_PAINT_MS = 250;

/**
 * A cell of `nb` started: the save after it waits until its ✓ has shown. Else, after a quick command, the
 * save (300 ms after the end) reads the notebook in the window just as VS Code paints the ✓, and at 10 MB
 * that read held the ✓ back by 100–200 ms (issue 17). The journal keeps the run meanwhile.
 */
export function cellStarted(nb: vscode.NotebookDocument): void {
  // Only where a save follows the run: otherwise nothing would ever read (and drop) the hold.
  if (autosaves(nb)) saves.holdUntil(nb, Date.now() + VSCODE_MIN_SPINNER_MS + CHECK_MARK_PAINT_MS);
}

/** Incident records are saved after every change the kernel makes (setting runbook.incidents.saveAfterRun). */
export function autosaves(nb: vscode.NotebookDocument): boolean {
  if (nb.isClosed || nb.notebookType !== NOTEBOOK_TYPE) return false;
  const save = vscode.workspace.getConfiguration('runbook').get<boolean>('incidents.saveAfterRun', true);
  // The parsed `incident:` key (core/runbook/record.ts), read once per front matter text: this is asked per step.
  const raw = frontMatterRaw(nb);
  return save && !!raw && isRecord(frontMatterOf(raw).data);
}

/** What a finished step changes in the notebook; `apply` makes those edits. */
export interface Step {
  cell?: JournalCell;
  rows: LogRow[];
}

/**
 * Journals a step of an autosaved record (on disk before this resolves), then lets the caller apply its
 * edits to the notebook; call `applied()` once they are in the model, then `save(nb)`.
 */
export async function journalStep(nb: vscode.NotebookDocument, step: Step): Promise<{ applied(): void }> {
  const journal = autosaves(nb) ? await journals.of(nb) : undefined;
  if (!journal) return { applied: () => undefined };
  const t = performance.now();
  const seq = journal.append(step);
  perfLog('journal.append', performance.now() - t);
  return { applied: () => journal.applied(seq) };
}

/** Asks for a background save of an autosaved record (never awaited by a cell). */
export function requestSave(nb: vscode.NotebookDocument): Promise<boolean> {
  return autosaves(nb) ? saves.request(nb) : Promise.resolve(false);
}

/** Appends log rows (a note, a dry run) to the notebook through the journal; then ask for a save. */
export async function appendRowsKept(nb: vscode.NotebookDocument, rows: NewLogRow[]): Promise<void> {
  if (!rows.length) return;
  const { log, added } = chainLogRows(nb, rows);
  const ticket = await journalStep(nb, { rows: added });
  await applyLog(nb, log);
  ticket.applied();
}

/** Merges journals left by a crash into records as they open, and saves them. */
export function watchRecords(): vscode.Disposable {
  const open = async (nb: vscode.NotebookDocument) => {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    const { found, merged } = await journals.recover(nb);
    if (merged) {
      void vscode.window.showInformationMessage(`${nb.uri.path.split('/').pop()}: ${merged} run(s) kept in its journal after VS Code stopped were put back into the record.`);
    }
    // Also when a restored hot-exit backup already held them: the record on disk does not until it is saved.
    if (found) void requestSave(nb);
  };
  vscode.workspace.notebookDocuments.forEach((nb) => void open(nb));
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenNotebookDocument((nb) => void open(nb)),
    vscode.workspace.onDidCloseNotebookDocument((nb) => journals.forget(nb)),
  );
}
