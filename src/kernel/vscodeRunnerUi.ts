// The questions a run asks, as VS Code dialogs: variables (password box for secrets), confirmations
// (modal, naming the target) and input a running cell waits for (promptUi.ts).
import * as vscode from 'vscode';
import type { RunnerUi } from '../core/run/cellRunner.js';
import type { DeclaredVariable } from '../core/run/variables.js';
import { askForCellInput } from './promptUi.js';

export function vscodeRunnerUi(notebookName: string, notebook?: vscode.NotebookDocument): RunnerUi {
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
    answerPrompt: (prompt, context, signal) => askForCellInput(notebookName, prompt, context, signal, notebook),
  };
}
