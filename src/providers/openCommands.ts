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
    vscode.commands.registerCommand('runbook.openSample', openSample),
  );
}

/** The walkthrough's first step: open one of the workspace's runbooks (records in incidents/ left out). */
async function openSample(): Promise<void> {
  const found = (await vscode.workspace.findFiles('**/*.runbook.md', '{**/node_modules/**,**/incidents/**}', 50))
    .sort((a, b) => a.path.localeCompare(b.path));
  if (!found.length) {
    const bring = await vscode.window.showInformationMessage('No *.runbook.md in this workspace yet: copy the sample runbooks and their drills into a folder of yours?', 'Open Sample Runbooks');
    if (bring) await vscode.commands.executeCommand('runbook.openSamples');
    return;
  }
  const uri = found.length === 1 ? found[0] : await vscode.window.showQuickPick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), uri: u })), { title: 'Open a sample runbook' }).then((p) => p?.uri);
  if (uri) await vscode.commands.executeCommand('vscode.openWith', uri, NOTEBOOK_TYPE);
}
