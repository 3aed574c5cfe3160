// The notebook controller of `runbook` notebooks, created at activation beside the serializer (extension.ts):
// a record's cells can be run from the moment it shows, while the rest of the extension loads only after the
// record's open (issue 17). Until then its execute handler is a stand-in that loads the rest, whose
// RunbookController sets the real handler, and hands the run over to it.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

const KERNEL_ID = 'runbook-kernel';

/** The controller and its listener go into `subscriptions`; `loadRest` loads the rest of the extension. */
export function createRunbookKernel(loadRest: () => void, subscriptions: vscode.Disposable[]): vscode.NotebookController {
  const controller = vscode.notebooks.createNotebookController(KERNEL_ID, NOTEBOOK_TYPE, 'Runbook');
  controller.description = 'Runs shell, SQL and HTTP cells locally or over SSH, one at a time';
  controller.detail = 'In an incident or drill record, outputs and the execution log are written into the record.';
  controller.supportsExecutionOrder = true;
  const standIn: typeof controller.executeHandler = (cells, notebook, self) => {
    try {
      loadRest();
    } catch (e) {
      void vscode.window.showErrorMessage(`Runbook: the extension did not load (${e instanceof Error ? e.message : String(e)}), so no cell ran.`);
      return;
    }
    const handler = controller.executeHandler;
    // Loading the rest sets the real handler; if it did not, nothing runs (and nothing loops).
    if (handler === standIn) {
      void vscode.window.showErrorMessage('Runbook: the extension did not take over its cells, so no cell ran.');
      return;
    }
    return handler(cells, notebook, self);
  };
  controller.executeHandler = standIn;
  // Preferred for every runbook notebook, so a run never asks which kernel to use.
  const prefer = (nb: vscode.NotebookDocument) => {
    if (nb.notebookType === NOTEBOOK_TYPE) controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  };
  vscode.workspace.notebookDocuments.forEach(prefer);
  subscriptions.push(controller, vscode.workspace.onDidOpenNotebookDocument(prefer));
  return controller;
}
