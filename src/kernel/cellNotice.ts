// What a cell shows when a run did not end normally, or ran as scratch: a notice output first ("✗ Not run:
// declined on this machine"), never an earlier run's output posing as current. Notices are transient: the
// record keeps its real outputs (the ones a notice hides ride along in its metadata and are written back).
import * as vscode from 'vscode';
import type { CellOutput } from '../core/format/index.js';
import type { CellRunOutcome } from '../core/run/cellRunner.js';
import { formatDuration } from '../core/util/duration.js';
import { scratchOutputMetadata } from '../notebook/metadata.js';
import { fromNotebookData, toCellOutputs, transientOf, type TransientOutputMeta } from '../notebook/notebookData.js';

type Notice = NonNullable<TransientOutputMeta['notice']>;

/** The record's outputs of a cell right now (notices and scratch outputs left out, hidden ones put back). */
export function recordedOutputs(cell: vscode.NotebookCell): CellOutput[] {
  const data = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
  data.metadata = cell.metadata;
  data.outputs = [...cell.outputs];
  const doc = fromNotebookData(new vscode.NotebookData([data]));
  const c = doc.cells[0];
  return c?.kind === 'code' ? c.outputs : [];
}

/** A notice as plain text (stderr when something did not run or failed): readable at a glance, no renderer needed. */
function noticeOutput(notice: Notice, replaced?: CellOutput[]): vscode.NotebookCellOutput {
  const meta: TransientOutputMeta = { transient: true, notice };
  if (replaced?.length) meta.replaced = replaced;
  const item = notice.kind === 'scratch' ? vscode.NotebookCellOutputItem.stdout(`${notice.text}\n`) : vscode.NotebookCellOutputItem.stderr(`${notice.text}\n`);
  return new vscode.NotebookCellOutput([item], { runbook: meta });
}

const reasonOf = (message: string | undefined) => (message ?? 'not run').replace(/^not run: /, '');

/**
 * The outputs to show after a run. `scratch`: nothing of this run is written to the runbook. A run that did
 * not start hides the earlier outputs behind a notice (they stay in the record); a run that ended without an
 * exit code (cancelled, timed out, connection lost) leads with one saying so.
 */
export function outputsAfter(outcome: CellRunOutcome, previous: CellOutput[], scratch: boolean): vscode.NotebookCellOutput[] {
  const earlier = previous.length ? ' The earlier run\'s output is hidden here and stays in the record.' : '';
  if (outcome.status !== 'ran' || !outcome.outputs) {
    const reason = reasonOf(outcome.message);
    return [noticeOutput({ kind: 'not-run', reason, text: `✗ Not run — ${reason}.${earlier}` }, previous)];
  }
  const meta = outcome.outputs[0]?.meta ?? {};
  const facts = { exit: outcome.exitCode, ...(typeof meta.ms === 'number' ? { ms: meta.ms } : {}), ...(meta.host ? { target: String(meta.host) } : {}) };
  const shown = outcome.outputs.flatMap((o) => toCellOutputs(vscode, o));
  if (scratch) {
    const status = outcome.ok ? '✓' : '✗';
    const notice = noticeOutput({ kind: 'scratch', reason: 'scratch run', text: `${status} Scratch run — shown here only, not written to the runbook (start an incident record to keep outputs).`, ...facts }, previous);
    return [notice, ...shown.map((o) => new vscode.NotebookCellOutput(o.items, scratchOutputMetadata(o)))];
  }
  // Cancelled, timed out, connection lost: the executor explains (a normal non-zero exit has no message).
  if (!outcome.ok && (outcome.exitCode === null || outcome.message)) {
    const took = typeof meta.ms === 'number' ? ` after ${formatDuration(meta.ms)}` : '';
    const reason = outcome.message ? reasonOf(outcome.message) : `ended without an exit code${took}`;
    return [noticeOutput({ kind: 'failed', reason, text: `✗ ${reason[0]!.toUpperCase()}${reason.slice(1)}` , ...facts }), ...shown];
  }
  return shown;
}

/** The notice a cell leads with, if any. */
export function noticeOf(cell: vscode.NotebookCell): Notice | undefined {
  for (const o of cell.outputs) {
    const t = transientOf(o);
    if (t?.notice) return t.notice;
  }
  return undefined;
}
