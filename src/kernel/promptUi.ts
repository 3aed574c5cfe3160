// A running cell waits for input (sudo's password, `read`, a y/N question): the cell is scrolled into view
// (its output shows the prompt) and an input box names the cell and the target and shows the prompt; a
// password box when the terminal's echo is off or the prompt asks for a password. Enter sends the answer to
// the command, Escape sends end-of-input. The box closes by itself when the cell ends first (cancel,
// timeout). The answer goes to the command only: never to the notebook or the log.
import * as vscode from 'vscode';
import type { InputPrompt, PromptAnswer } from '../core/contract/prompt.js';
import { cellNameOf } from '../core/contract/cellName.js';
import { cellAttributes } from '../notebook/metadata.js';

export async function askForCellInput(
  notebookName: string,
  prompt: InputPrompt,
  context: { cellName: string; target: string },
  signal: AbortSignal,
  notebook?: vscode.NotebookDocument,
): Promise<PromptAnswer> {
  if (notebook) revealCell(notebook, context.cellName);
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = await vscode.window.showInputBox(
      {
        title: `${notebookName}: ${context.cellName} on ${context.target} is waiting for input`,
        prompt: `${prompt.text || 'The command is waiting for input (it printed no prompt)'} — Enter sends it to the command, `
          + 'Escape sends end-of-input. The answer is never recorded.',
        placeHolder: prompt.hidden ? 'password (hidden)' : 'answer',
        password: prompt.hidden,
        ignoreFocusOut: true,
      },
      cts.token,
    );
    return answer === undefined ? { kind: 'eof' } : { kind: 'answer', text: answer };
  } finally {
    signal.removeEventListener('abort', onAbort);
    cts.dispose();
  }
}

/** Scrolls the asking cell into view (its output shows the prompt) in the editor showing its notebook. */
function revealCell(notebook: vscode.NotebookDocument, cellName: string): void {
  const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook);
  if (!editor) return;
  let code = 0;
  for (const cell of notebook.getCells()) {
    if (cell.kind !== vscode.NotebookCellKind.Code) continue;
    const attributes = cellAttributes(cell);
    if (cellNameOf(attributes, code++) !== cellName) continue;
    editor.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    return;
  }
}
