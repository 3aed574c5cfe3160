// Appends execution-log rows to the notebook's metadata; the serializer writes them into the record.
import * as vscode from 'vscode';
import type { ExecutionLogSection, LogRow } from '../core/format/index.js';
import { appendRow, type NewLogRow } from '../core/log/chain.js';
import type { NotebookMeta } from '../notebook/notebookData.js';

export async function appendLogRows(notebook: vscode.NotebookDocument, rows: NewLogRow[]): Promise<LogRow[]> {
  if (!rows.length) return [];
  const next = chainLogRows(notebook, rows);
  await applyLog(notebook, next.log);
  return next.added;
}

/** The notebook's log with `rows` numbered and chained after it (the notebook is not changed yet). */
export function chainLogRows(notebook: vscode.NotebookDocument, rows: NewLogRow[]): { log: ExecutionLogSection; added: LogRow[] } {
  const meta = (notebook.metadata.runbook ?? {}) as NotebookMeta;
  const log: ExecutionLogSection = meta.log
    ? { ...meta.log, rows: [...meta.log.rows] }
    : { raw: '', rows: [], parsedCount: 0 };
  const added = rows.map((row) => appendRow(log.rows, row));
  return { log, added };
}

export async function applyLog(notebook: vscode.NotebookDocument, log: ExecutionLogSection): Promise<void> {
  const meta = (notebook.metadata.runbook ?? {}) as NotebookMeta;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...notebook.metadata, runbook: { ...meta, log } })]);
  await vscode.workspace.applyEdit(edit);
}
