// The notebook controller for `runbook` notebooks: runs cells one at a time per notebook through the pure
// core (CellRunner), streams their output, writes stamped outputs and log rows into the notebook, and
// ends every execution exactly once.
import * as vscode from 'vscode';
import { runnerOf } from '../core/format/index.js';
import type { CellRunOutcome } from '../core/run/cellRunner.js';
import { cellAttributes, cellFence, frontMatterData, frontMatterProblemMessages } from '../notebook/metadata.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { outputsAfter, recordedOutputs } from './cellNotice.js';
import { applyLog, chainLogRows } from './logWriter.js';
import { journalCellOf } from './journalCell.js';
import { cellNameFor, codeCellNamesOf, forgetNamesOn, forgetNamesOnText } from './cellNames.js';
import { finishRun, keepFailureText, type KeepStep } from './keepRun.js';
import { cellStarted, journalStep, requestSave, waitWhileBusy } from './recordKeeper.js';
import { runModeFor, type RunMode } from './recordGuard.js';
import type { DrillSessions } from './drillSessions.js';
import { NotebookRunState, type RunStateOptions } from './notebookRunState.js';
import { OutputStreamer } from './outputStreamer.js';
import { replaceOutputs } from './replaceOutputs.js';
import { perfLog } from '../core/util/perfLog.js';
import { probeUtilLinuxScript } from '../core/prompt/ttyShell.js';
import { RunQueue, type NotRun, type QueueItem } from './runQueue.js';
import { settings } from './settings.js';

/** How long after a notebook opens what its first run needs is read ahead (see warmSoon). */
const WARM_AFTER_MS = 1500;

export class RunbookController implements vscode.Disposable {
  private readonly states = new Map<string, NotebookRunState>();
  /** Per notebook: the cells waiting for their turn, and the one running. */
  private readonly queues = new Map<string, RunQueue<PendingCell>>();
  /** Where problems keeping a run (journal, log, save) are written down. */
  private readonly output = vscode.window.createOutputChannel('Runbook', { log: true });
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Timers of warmSoon not yet fired. */
  private readonly warming = new Set<NodeJS.Timeout>();
  /** Plain runbooks whose operator chose "Run as scratch" (for this session). */
  private readonly scratch = new Set<string>();
  private readonly targetChanged = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires when a notebook's default target changes (cells show where they will run). */
  readonly onDidChangeTarget = this.targetChanged.event;
  private readonly ran = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires after a cell of a notebook ran (session variables may have changed). */
  readonly onDidRun = this.ran.event;

  /** `controller` comes from activation (runbookKernel.ts), which owns it: this takes its runs over. */
  constructor(private readonly drills: DrillSessions, private readonly controller: vscode.NotebookController) {
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    this.subscriptions.push(
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        this.dropState(nb);
        this.queues.get(nb.uri.toString())?.dispose();
        this.queues.delete(nb.uri.toString());
        this.scratch.delete(nb.uri.toString());
      }),
      this.targetChanged, this.ran, this.output,
      // A save after a run waits until the notebook's Run All is over (the journal holds the runs meanwhile).
      waitWhileBusy((nb) => this.busy(nb)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.warmSoon(nb)),
      // A drill that starts or ends changes where this notebook's cells run: start over with new sessions.
      drills.onDidChange((uri) => this.dropState(uri)),
      // The code cells' names are kept until a cell they come from changes (cellNames.ts).
      vscode.workspace.onDidChangeNotebookDocument(forgetNamesOn),
      vscode.workspace.onDidChangeTextDocument((e) => forgetNamesOnText(e.document)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.warmSoon(nb));
  }

  /**
   * Reads what a run asks first (the code cells' names, the front matter's YAML, whether a local shell can
   * have a terminal) while the notebook sits idle after it opened, so the first run of a big record does not
   * wait for it: that took 90 ms in a 4,200-cell record before its command started, and VS Code's minimum
   * spinner time counts from the start (issue 17).
   */
  private warmSoon(nb: vscode.NotebookDocument): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    const timer = setTimeout(() => {
      this.warming.delete(timer);
      if (nb.isClosed) return;
      codeCellNamesOf(nb);
      frontMatterData(nb);
      void probeUtilLinuxScript();
    }, WARM_AFTER_MS);
    timer.unref?.();
    this.warming.add(timer);
  }

  /** Whether the notebook has cells running or queued. */
  busy(notebook: vscode.NotebookDocument): boolean {
    return this.queues.get(notebook.uri.toString())?.busy ?? false;
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

  private dropState(notebookOrUri: vscode.NotebookDocument | vscode.Uri): void {
    const key = (notebookOrUri instanceof vscode.Uri ? notebookOrUri : notebookOrUri.uri).toString();
    this.states.get(key)?.dispose();
    this.states.delete(key);
  }

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const code = cells.filter((c) => c.kind === vscode.NotebookCellKind.Code);
    const runnable = code.filter((c) => runnerOf(c.document.languageId));
    for (const cell of code.filter((c) => !runnerOf(c.document.languageId))) {
      // Run All passes over documentation blocks quietly; running one on its own says why nothing happens.
      if (cells.length === 1) void vscode.window.showInformationMessage(`"${cell.document.languageId}" cells are not run: Runbook runs bash/sh/shell/zsh, sql and http cells.`);
    }
    // Every cell gets its execution now, before anything runs: VS Code shows it pending, and its stop
    // button cancels it while it waits (VS Code cancels only executions that exist).
    const batch: { mode: RunMode } = { mode: 'record' };
    const items = runnable.flatMap((cell) => this.pending(cell, batch));
    if (!items.length) return;
    // A plain runbook asks first where the run belongs (a record, a drill, or scratch).
    const ready = async () => {
      const mode = await runModeFor(notebook, runnable, this.scratch);
      if (mode) batch.mode = mode;
      return !!mode;
    };
    try {
      await this.queueFor(notebook).submit(items, ready);
    } finally {
      items.forEach((i) => i.dispose());
    }
  }

  /** A queued cell: its execution (pending until it starts) and the signal its cancel aborts. */
  private pending(cell: vscode.NotebookCell, batch: { mode: RunMode }): PendingCell[] {
    let execution: vscode.NotebookCellExecution;
    try {
      execution = this.controller.createNotebookCellExecution(cell);
    } catch {
      return []; // already queued or running (VS Code allows one execution per cell)
    }
    const abort = new AbortController();
    const cancel = execution.token.onCancellationRequested(() => abort.abort());
    if (execution.token.isCancellationRequested) abort.abort();
    return [{ cell, execution, batch, signal: abort.signal, dispose: () => cancel.dispose() }];
  }

  private queueFor(notebook: vscode.NotebookDocument): RunQueue<PendingCell> {
    const key = notebook.uri.toString();
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new RunQueue<PendingCell>({
        run: (item) => this.runCell(item, this.stateFor(notebook)),
        settle: (item, why) => settleNotRun(item.execution, why),
        stopOnError: () => settings.stopOnError(),
        gone: (item) => item.cell.index < 0 || item.cell.notebook.isClosed,
      });
      this.queues.set(key, queue);
    }
    return queue;
  }

  private async runCell(item: PendingCell, state: NotebookRunState): Promise<CellRunOutcome | undefined> {
    const { cell, execution, signal } = item;
    const record = item.batch.mode === 'record';
    // Where a run's time goes (RUNBOOK_PERF_LOG, npm run bench:vscode): before the command, the command, and
    // from its end to the cell's end.
    const marks = { queued: performance.now(), started: 0, ran: 0 };
    const previous = recordedOutputs(cell);
    execution.executionOrder = ++state.order;
    // The clock starts when the cell really starts, after its questions were answered.
    let started = false;
    const start = () => {
      if (!started) {
        execution.start(Date.now());
        if (record) cellStarted(cell.notebook);
      }
      started = true;
    };
    const streamer = new OutputStreamer(execution, vscode);
    let ended = false;
    const end = (ok: boolean | undefined) => {
      if (ended) return;
      ended = true;
      start();
      execution.end(ok, Date.now());
    };
    try {
      let outcome: CellRunOutcome;
      try {
        outcome = await state.runner.run(
          { source: cell.document.getText(), language: cell.document.languageId, attributes: cellAttributes(cell), cellName: cellNameFor(cell),
            fenceLanguage: cellFence(cell)?.lang,
            frontMatterProblems: frontMatterProblemMessages(cell.notebook) },
          frontMatterData(cell.notebook),
          {
            signal,
            onStart: () => {
              marks.started = performance.now();
              perfLog('run.beforeCommand', marks.started - marks.queued);
              start();
              streamer.clear();
            },
            onStdout: streamer.stdout,
            onStderr: streamer.stderr,
          },
        );
      } catch (e) {
        // The run itself failed (no outcome to show): the error is what this run produced.
        await streamer.finish();
        start();
        await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e instanceof Error ? e : new Error(String(e)))]));
        end(false);
        return undefined;
      }
      marks.ran = performance.now();
      if (marks.started) perfLog('run.command', marks.ran - marks.started);
      // The last streamed output's round trip to the window overlaps the journal write and the log edit's.
      const streamed = streamer.finish();
      // Honest state: a run that did not start, or ended without an exit code, says so on the cell (✗ and the
      // reason) and never leaves an earlier run's output looking current.
      start(); // a run that never started still ends as an execution (its ✗ and notice need a started one)
      // A record's run is written to its journal first; its log edit, final outputs and end are sent together,
      // and the edit lands before the next queued cell starts (keepRun.ts). Saving is background work, never
      // awaited here.
      // Keeping the run may fail on its own: that is reported, and the outputs shown stay the run's.
      await finishRun({
        journal: async () => {
          const chained = chainLogRows(cell.notebook, record ? outcome.rows : []);
          return record ? journalStep(cell.notebook, { cell: journalCellOf(cell, outcome), rows: chained.added }) : undefined;
        },
        show: () => replaceOutputs(execution, outputsAfter(outcome, previous, !record)),
        log: async () => {
          // Chained on the log as it is now: a note added since the journal step keeps its row (the journal's
          // merge matches a run's rows whatever their number).
          const rows = chainLogRows(cell.notebook, record ? outcome.rows : []);
          const [, logged] = await Promise.allSettled([streamed, rows.added.length ? applyLog(cell.notebook, rows.log) : undefined]);
          if (logged.status === 'rejected') throw logged.reason;
        },
        end: () => {
          perfLog('run.commandToEnd', performance.now() - marks.ran);
          if (outcome.status !== 'ran' && outcome.message) void vscode.window.showWarningMessage(outcome.message);
          end(outcome.ok);
          this.ran.fire(cell.notebook);
        },
        save: () => (record ? requestSave(cell.notebook) : Promise.resolve(false)),
      }, (step, error) => this.reportKeepFailure(cell, step, error));
      return outcome;
    } catch (e) {
      // After the run (the cell or its notebook went away meanwhile): its outputs are not touched.
      this.reportKeepFailure(cell, 'show', e);
      return undefined;
    } finally {
      streamer.dispose();
      end(undefined);
    }
  }

  /** Keeping a run failed: a notification and a line in the Runbook output channel; the cell's outputs stay. */
  private reportKeepFailure(cell: vscode.NotebookCell, step: KeepStep, error: unknown): void {
    const text = keepFailureText(cell.notebook.uri.path.split('/').pop() ?? 'runbook', cellNameFor(cell), step, error);
    this.output.error(text);
    void vscode.window.showErrorMessage(text, 'Show Output').then((pick) => pick && this.output.show(true));
  }

  dispose(): void {
    this.queues.forEach((q) => q.dispose());
    this.queues.clear();
    this.subscriptions.forEach((s) => s.dispose());
    this.warming.forEach((t) => clearTimeout(t));
    this.warming.clear();
    this.states.forEach((s) => s.dispose());
    this.states.clear();
  }
}

/** A cell waiting for its turn (see RunQueue). */
interface PendingCell extends QueueItem {
  cell: vscode.NotebookCell;
  execution: vscode.NotebookCellExecution;
  /** Where its request's runs belong (decided once per request). */
  batch: { mode: RunMode };
  dispose(): void;
}

/** Ends the execution of a cell that will never run: cancelled while queued says so; skipped ones stay as they were. */
function settleNotRun(execution: vscode.NotebookCellExecution, why: NotRun): void {
  if (why === 'skipped') {
    execution.end(undefined);
    return;
  }
  const previous = recordedOutputs(execution.cell);
  execution.start(Date.now());
  const notRun: CellRunOutcome = { status: 'declined', ok: false, exitCode: null, rows: [], message: 'not run: cancelled while queued' };
  void replaceOutputs(execution, outputsAfter(notRun, previous, false)).then(undefined, () => undefined);
  execution.end(false, Date.now());
}
