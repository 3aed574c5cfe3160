// Palette commands about the running sessions of the active runbook.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import type { RunbookController } from './runbookController.js';

export function registerSessionCommands(controller: RunbookController): vscode.Disposable {
  return vscode.commands.registerCommand('runbook.restartSession', async () => {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) {
      void vscode.window.showErrorMessage('Open a runbook notebook to restart its shell session.');
      return;
    }
    const state = controller.existingState(notebook);
    if (!state) {
      void vscode.window.showInformationMessage('No shell session is running for this runbook yet.');
      return;
    }
    state.restart();
    void vscode.window.showInformationMessage('Shell session restarted: the next cell starts a fresh shell (cd, exports and functions are gone).');
  });
}
