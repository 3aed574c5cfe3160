// The runbook a command acts on: the active runbook notebook (or the one passed by a menu).
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

/**
 * Arguments a command accepts besides a Uri (menus pass one): `{ uri, ... }` with answers to its questions,
 * so keyboard macros, tasks and tests can run it without the pickers.
 */
export interface CommandArgs {
  uri?: vscode.Uri | string;
  severity?: string;
  status?: string;
  kind?: string;
  text?: string;
  target?: vscode.Uri | string;
  scenario?: string;
  /** Resolve's summary questions (given: not asked). */
  summary?: string;
  impact?: string;
  rootCause?: string;
  /** Dry Run: also append the dry-run rows to the record's execution log. */
  record?: boolean;
}

export function argsOf(arg: unknown): CommandArgs {
  if (arg instanceof vscode.Uri) return { uri: arg };
  return arg && typeof arg === 'object' ? (arg as CommandArgs) : {};
}

export function toUri(u: vscode.Uri | string | undefined): vscode.Uri | undefined {
  if (u === undefined) return undefined;
  return typeof u === 'string' ? (u.includes('://') ? vscode.Uri.parse(u) : vscode.Uri.file(u)) : u;
}

export function activeRunbook(arg?: unknown): vscode.NotebookDocument | undefined {
  const uri = toUri(argsOf(arg).uri);
  if (uri) {
    const open = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString());
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
