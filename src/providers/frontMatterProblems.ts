// Reports front-matter problems of open runbooks in the Problems panel. A problem never blocks opening.
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { frontMatterMeta } from '../notebook/metadata.js';

export class FrontMatterProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('runbook-front-matter');
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.update(nb, true)),
      vscode.workspace.onDidSaveNotebookDocument((nb) => this.update(nb, false)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.collection.delete(nb.uri)),
    );
    vscode.workspace.notebookDocuments.forEach((nb) => this.update(nb, false));
  }

  private update(nb: vscode.NotebookDocument, announce: boolean): void {
    if (nb.notebookType !== NOTEBOOK_TYPE) return;
    const problems = frontMatterMeta(nb)?.errors ?? [];
    this.collection.set(nb.uri, problems.map((p) => {
      const line = p.line ?? 0;
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 1000), `Front matter: ${p.message}`,
        vscode.DiagnosticSeverity.Error);
      d.source = 'runbook';
      return d;
    }));
    if (announce && problems.length) {
      const name = nb.uri.path.split('/').pop();
      void vscode.window.showWarningMessage(
        `${name}: the front matter has ${problems.length} problem(s) (${problems[0]!.message}). `
        + 'The runbook opened; its front matter is kept as written.', 'Show Problems')
        .then((pick) => pick && vscode.commands.executeCommand('workbench.actions.view.problems'));
    }
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
