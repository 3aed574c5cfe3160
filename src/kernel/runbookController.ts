// The notebook controller for `runbook` notebooks: runs cells one at a time per notebook through the pure
// core (CellRunner), streams their output, writes stamped outputs and log rows into the notebook, and
// ends every execution exactly once.
import * as vscode from 'vscode';
import type { FrontMatter } from '../core/format/frontMatter.js';
import { readFrontMatter, runnerOf } from '../core/format/index.js';
import { codeCellNames, type NameSource } from '../core/contract/cellName.js';
import type { CellRunOutcome } from '../core/run/cellRunner.js';
import type { CodeCellMeta, NotebookMeta } from '../notebook/notebookData.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { outputsAfter, recordedOutputs } from './cellNotice.js';
import { applyLog, chainLogRows } from './logWriter.js';
import { journalCellOf } from './journalCell.js';
import { journalStep, requestSave } from './recordKeeper.js';
import { runModeFor, type RunMode } from './recordGuard.js';
import type { DrillSessions } from './drillSessions.js';
import { NotebookRunState, type RunStateOptions } from './notebookRunState.js';
import { OutputStreamer } from './outputStreamer.js';
import { settings } from './settings.js';

export class RunbookController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly states = new Map<string, NotebookRunState>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Plain runbooks whose operator chose "Run as scratch" (for this session). */
  private readonly scratch = new Set<string>();
  private readonly targetChanged = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires when a notebook's default target changes (cells show where they will run). */
  readonly onDidChangeTarget = this.targetChanged.event;
  private readonly ran = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires after a cell of a notebook ran (session variables may have changed). */
  readonly onDidRun = this.ran.event;

  constructor(private readonly drills: DrillSessions) {
    this.controller = vscode.notebooks.createNotebookController('runbook-kernel', NOTEBOOK_TYPE, 'Runbook');
    this.controller.description = 'Runs shell, SQL and HTTP cells locally or over SSH, one at a time';
    this.controller.detail = 'In an incident or drill record, outputs and the execution log are written into the record.';
    this.controller.supportsExecutionOrder = true;
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.subscriptions.push(
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.dropState(nb);
        this.scratch.delete(nb.uri.toString());
      }),
      this.targetChanged, this.ran,
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.preferFor(nb)),
      // A drill that starts or ends changes where this notebook's cells run: start over with new sessions.
      drills.onDidChange((uri) => this.dropState(uri)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.preferFor(nb));
  }

  /** The run state of a notebook (created on first use). */
  stateFor(notebook: vscode.NotebookDocument): NotebookRunState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      const drill = this.drills.get(notebook.uri);
      const options: RunStateOptions = drill ? { drill } : {};
      state = new NotebookRunState(notebook, options);
      this.states.set(key, state);
    }
    return state;
  }

  existingState(notebook: vscode.NotebookDocument): NotebookRunState | undefined {
    return this.states.get(notebook.uri.toString());
  }

  /** The target cells without `host=` run on. */
  defaultTarget(notebook: vscode.NotebookDocument): string {
    return this.existingState(notebook)?.defaultTarget ?? 'local';
  }

  setDefaultTarget(notebook: vscode.NotebookDocument, target: string): void {
    this.stateFor(notebook).defaultTarget = target;
    this.targetChanged.fire(notebook);
  }

  /** Whether runs of this notebook are scratch (shown, not written). */
  isScratch(notebook: vscode.NotebookDocument): boolean {
    return this.scratch.has(notebook.uri.toString());
  }

  private preferFor(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private dropState(notebookOrUri: vscode.NotebookDocument | vscode.Uri): void {
    const key = (notebookOrUri instanceof vscode.Uri ? notebookOrUri : notebookOrUri.uri).toString();
    this.states.get(key)?.dispose();
    this.states.delete(key);
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const runnable = cells.filter((c) => c.kind === vscode.NotebookCellKind.Code && runnerOf(c.document.languageId));
    // A plain runbook asks first where the run belongs (a record, a drill, or scratch).
    const mode = runnable.length ? await runModeFor(notebook, runnable, this.scratch) : 'record';
    if (!mode) return;
    const state = this.stateFor(notebook);
    const many = cells.length > 1;
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      if (!runnerOf(cell.document.languageId)) {
        // Run All passes over documentation blocks quietly; running one on its own says why nothing happens.
        if (!many) void vscode.window.showInformationMessage(`"${cell.document.languageId}" cells are not run: Runbook runs bash/sh/shell/zsh, sql and http cells.`);
        continue;
      }
      const outcome = await state.enqueue(() => this.runCell(cell, state, mode));
      if (many && outcome && !outcome.ok && (outcome.status !== 'ran' || settings.stopOnError())) break;
    }
  }

  private async runCell(cell: vscode.NotebookCell, state: NotebookRunState, mode: RunMode): Promise<CellRunOutcome | undefined> {
    const previous = recordedOutputs(cell);
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++state.order;
    // The clock starts when the cell really starts, after its questions were answered.
    let started = false;
    const start = () => {
      if (!started) execution.start(Date.now());
      started = true;
    };
    const abort = new AbortController();
    const cancel = execution.token.onCancellationRequested(() => abort.abort());
    if (execution.token.isCancellationRequested) abort.abort();
    const streamer = new OutputStreamer(execution);
    let ended = false;
    const end = (ok: boolean | undefined) => {
      if (ended) return;
      ended = true;
      start();
      execution.end(ok, Date.now());
    };
    try {
      const outcome = await state.runner.run(
        { source: cell.document.getText(), language: cell.document.languageId, attributes: attributesOf(cell), cellName: cellNameFor(cell),
          frontMatterProblems: frontMatterProblemsOf(cell.notebook) },
        frontMatterOf(cell.notebook),
        {
          signal: abort.signal,
          onStart: () => {
            start();
            streamer.clear();
          },
          onStdout: streamer.stdout,
          onStderr: streamer.stderr,
        },
      );
      await streamer.finish();
      // Honest state: a run that did not start, or ended without an exit code, says so on the cell (✗ and the
      // reason) and never leaves an earlier run's output looking current.
      start(); // a run that never started still ends as an execution (its ✗ and notice need a started one)
      // A record's run is written to its journal first; its log rows are in the notebook when the cell ends (the
      // outputs queued before end() are sent ahead of it). Saving is background work, never awaited here.
      const record = mode === 'record';
      const { log, added } = chainLogRows(cell.notebook, record ? outcome.rows : []);
      const kept = record ? await journalStep(cell.notebook, { cell: journalCellOf(cell, outcome), rows: added }) : undefined;
      const shown = execution.replaceOutput(outputsAfter(outcome, previous, !record));
      if (added.length) await applyLog(cell.notebook, log);
      if (outcome.status !== 'ran' && outcome.message) void vscode.window.showWarningMessage(outcome.message);
      end(outcome.ok);
      this.ran.fire(cell.notebook);
      await shown;
      kept?.applied();
      if (record) void requestSave(cell.notebook);
      return outcome;
    } catch (e) {
      await streamer.finish();
      start();
      await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e as Error)]));
      end(false);
      return undefined;
    } finally {
      streamer.dispose();
      cancel.dispose();
      end(undefined);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.states.forEach((s) => s.dispose());
    this.states.clear();
    this.controller.dispose();
  }
}

function attributesOf(cell: vscode.NotebookCell): CodeCellMeta['attributes'] {
  return ((cell.metadata.runbook ?? {}) as Partial<CodeCellMeta>).attributes ?? {};
}

/** The cell's name: its `name=` attribute, else the heading it sits under, else `cell-N` (see codeCellNames). */
export function cellNameFor(cell: vscode.NotebookCell): string {
  const cells = cell.notebook.getCells().slice(0, cell.index + 1);
  const sources: NameSource[] = cell.notebook.getCells().map((c) => (c.kind === vscode.NotebookCellKind.Code
    ? { kind: 'code', attributes: attributesOf(c) } : { kind: 'markdown', source: c.document.getText() }));
  const names = codeCellNames(sources);
  return names[cells.filter((c) => c.kind === vscode.NotebookCellKind.Code).length - 1] ?? `cell-${cell.index + 1}`;
}

function frontMatterOf(notebook: vscode.NotebookDocument): FrontMatter | undefined {
  const raw = (notebook.metadata.runbook as NotebookMeta | undefined)?.frontMatter?.raw;
  return raw ? readFrontMatter(raw).data : undefined;
}

/** A front matter that does not parse or validate blocks running (DESIGN §3). */
function frontMatterProblemsOf(notebook: vscode.NotebookDocument): string[] {
  const raw = (notebook.metadata.runbook as NotebookMeta | undefined)?.frontMatter?.raw;
  return raw ? readFrontMatter(raw).errors.map((e) => e.message) : [];
}
