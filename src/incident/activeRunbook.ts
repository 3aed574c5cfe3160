// The runbook a command acts on: the active runbook notebook (or the one passed by a menu).
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

export function activeRunbook(arg?: unknown): vscode.NotebookDocument | undefined {
  if (arg instanceof vscode.Uri) {
    const open = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === arg.toString());
    if (open?.notebookType === NOTEBOOK_TYPE) return open;
  }
  const nb = vscode.window.activeNotebookEditor?.notebook;
  if (nb?.notebookType === NOTEBOOK_TYPE) return nb;
  void vscode.window.showErrorMessage('Open a runbook notebook (*.runbook.md) first.');
  return undefined;
}

/** The folder incident and drill records go to (setting runbook.incidents.folder, relative to the workspace). */
export function incidentsFolder(source: vscode.Uri): vscode.Uri {
  const setting = vscode.workspace.getConfiguration('runbook').get<string>('incidents.folder', 'incidents') || 'incidents';
  if (setting.startsWith('/')) return vscode.Uri.file(setting);
  const root = vscode.workspace.getWorkspaceFolder(source)?.uri ?? vscode.Uri.joinPath(source, '..');
  return vscode.Uri.joinPath(root, setting);
}

/** A file name in `folder` that does not exist yet (adds -2, -3, ... before the extension). */
export async function freshUri(folder: vscode.Uri, fileName: string): Promise<vscode.Uri> {
  const [stem, ext] = fileName.endsWith('.runbook.md') ? [fileName.slice(0, -'.runbook.md'.length), '.runbook.md'] : [fileName, ''];
  for (let i = 1; ; i++) {
    const uri = vscode.Uri.joinPath(folder, i === 1 ? fileName : `${stem}-${i}${ext}`);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return uri;
    }
  }
}
