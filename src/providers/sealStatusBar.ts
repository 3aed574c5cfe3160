// Shows whether the active record is sealed and by whom (DESIGN §1 "Seal"); any edit after sealing shows
// as "Seal broken" at once, because the check runs on the notebook as it would be saved.
import * as vscode from 'vscode';
import { serializeRunbook } from '../core/format/index.js';
import { SEAL_OPEN, sealState } from '../core/seal/index.js';
import { documentTail } from '../notebook/metadata.js';
import { documentOf } from '../notebook/notebookDocument.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

/**
 * Whether the end of the notebook may hold a seal: a seal block ends the file, so its opening line is in the
 * text after the log or in the last cells (it reads as three: opening prose, the armor, the closing line).
 */
function maySealed(nb: vscode.NotebookDocument): boolean {
  if (documentTail(nb).includes(SEAL_OPEN)) return true;
  const cells = nb.getCells(new vscode.NotebookRange(Math.max(0, nb.cellCount - 8), nb.cellCount));
  return cells.some((c) => c.document.getText().includes(SEAL_OPEN));
}

export class SealStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('runbook.seal', vscode.StatusBarAlignment.Left, 89);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = 'Runbook Seal';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === vscode.window.activeNotebookEditor?.notebook) this.schedule();
      }),
      vscode.workspace.onDidSaveNotebookDocument(() => this.update()),
    );
    this.update();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 300);
  }

  /** The state shown for the active notebook (also read by tests). */
  update(): ReturnType<typeof sealState> | undefined {
    this.timer = undefined;
    const nb = vscode.window.activeNotebookEditor?.notebook;
    // Serializing a big record takes a while: only when it may hold a seal (the seal block ends the file).
    const text = nb?.notebookType === NOTEBOOK_TYPE && maySealed(nb) ? serializeRunbook(documentOf(nb)) : '';
    const state = text.includes(SEAL_OPEN) ? sealState(text) : undefined;
    if (!state || state.state === 'unsealed') {
      this.item.hide();
      return state;
    }
    if (state.state === 'intact') {
      this.item.text = `$(verified) Sealed by ${state.principal}`;
      this.item.tooltip = `Signed with ${state.fingerprint}. Check the signer with: runbook verify FILE --allowed-signers FILE`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = `$(unverified) Seal broken${state.principal ? ` (${state.principal})` : ''}`;
      this.item.tooltip = `${state.reason}. Seal the record again (Runbook: Seal Record) if the change is intended.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    this.item.show();
    return state;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
