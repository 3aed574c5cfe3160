// The live notebook as a core RunbookDocument, and a core document applied back to the live notebook with
// the smallest edit (unchanged leading cells are left alone, so their outputs and run state stay).
import * as vscode from 'vscode';
import type { RunbookDocument } from '../core/format/index.js';
import { fromNotebookData, toNotebookData } from './notebookData.js';

export function documentOf(notebook: vscode.NotebookDocument): RunbookDocument {
  const data = new vscode.NotebookData(notebook.getCells().map((cell) => {
    const d = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
    d.metadata = cell.metadata;
    d.outputs = [...cell.outputs];
    return d;
  }));
  data.metadata = notebook.metadata;
  return fromNotebookData(data);
}

export async function applyDocument(notebook: vscode.NotebookDocument, doc: RunbookDocument): Promise<boolean> {
  const next = toNotebookData(vscode, doc);
  const cells = notebook.getCells();
  let same = 0;
  while (same < cells.length && same < next.cells.length && sameCell(cells[same]!, next.cells[same]!)) same++;
  const edits: vscode.NotebookEdit[] = [vscode.NotebookEdit.updateNotebookMetadata(next.metadata ?? {})];
  if (same < cells.length || same < next.cells.length) {
    edits.push(vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(same, cells.length), next.cells.slice(same)));
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, edits);
  return vscode.workspace.applyEdit(edit);
}

function sameCell(cell: vscode.NotebookCell, data: vscode.NotebookCellData): boolean {
  return cell.kind === data.kind && cell.document.languageId === data.languageId && cell.document.getText() === data.value
    && cell.outputs.length === (data.outputs?.length ?? 0);
}
