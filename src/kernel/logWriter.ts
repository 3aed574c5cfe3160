// Appends execution-log rows to the notebook's metadata; the serializer writes them into the record.
import * as vscode from 'vscode';
import type { ExecutionLogSection, LogRow } from '../core/format/index.js';
import { appendRow, type NewLogRow } from '../core/log/chain.js';
import { executionLog, withExecutionLog } from '../notebook/metadata.js';

export async function appendLogRows(notebook: vscode.NotebookDocument, rows: NewLogRow[]): Promise<LogRow[]> {
  if (!rows.length) return [];
  const next = chainLogRows(notebook, rows);
  await applyLog(notebook, next.log);
  return next.added;
}

/** The notebook's log with `rows` numbered and chained after it (the notebook is not changed yet). */
export function chainLogRows(notebook: vscode.NotebookDocument, rows: NewLogRow[]): { log: ExecutionLogSection; added: LogRow[] } {
  const current = executionLog(notebook);
  const log: ExecutionLogSection = current
    ? { ...current, rows: [...current.rows] }
    : { raw: '', rows: [], parsedCount: 0 };
  const added = rows.map((row) => appendRow(log.rows, row));
  return { log, added };
}

export async function applyLog(notebook: vscode.NotebookDocument, log: ExecutionLogSection): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata(withExecutionLog(notebook, log))]);
  await vscode.workspace.applyEdit(edit);
}
