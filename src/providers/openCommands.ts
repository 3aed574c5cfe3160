// Commands to switch a markdown file between the runbook notebook and the text editor.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri;
}

export function registerOpenCommands(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('runbook.openAsRunbook', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (!uri) {
        void vscode.window.showErrorMessage('Open a markdown file first, then run "Runbook: Open as Runbook Notebook".');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', uri, NOTEBOOK_TYPE);
    }),
    vscode.commands.registerCommand('runbook.openAsText', async (arg?: unknown) => {
      const uri = targetUri(arg);
      if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, 'default');
    }),
  );
}
