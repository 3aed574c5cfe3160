// The questions a run asks, as VS Code dialogs: variables (password box for secrets) and confirmations
// (modal, naming the target).
import * as vscode from 'vscode';
import type { RunnerUi } from '../core/run/cellRunner.js';
import type { DeclaredVariable } from '../core/run/variables.js';

export function vscodeRunnerUi(notebookName: string): RunnerUi {
  return {
    trusted: () => vscode.workspace.isTrusted,
    async askVariable(v: DeclaredVariable) {
      return vscode.window.showInputBox({
        title: `${notebookName}: ${v.name}`,
        prompt: `${v.prompt}${v.secret ? ' — secret: used in this session only, never written to the record' : ''}`,
        value: v.default,
        password: v.secret,
        ignoreFocusOut: true,
      });
    },
    async confirm(question: string, detail: string[]) {
      const run = 'Run';
      const pick = await vscode.window.showWarningMessage(question, { modal: true, detail: detail.join('\n') }, run);
      return pick === run;
    },
  };
}
