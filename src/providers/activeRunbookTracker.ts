// The runbook notebook the side views describe: the active one, or the last one that was active (focusing
// a view must not empty it).
import * as vscode from 'vscode';
import type { FrontMatter } from '../core/format/index.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { frontMatterData } from '../notebook/metadata.js';

export class ActiveRunbookTracker implements vscode.Disposable {
  private last: vscode.NotebookDocument | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the runbook changes or its metadata (front matter, log) changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.pick();
    this.subscriptions = [
      this.changed,
      vscode.window.onDidChangeActiveNotebookEditor(() => {
        if (this.pick()) this.changed.fire();
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === this.last && e.metadata) this.changed.fire();
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        if (nb === this.last) {
          this.last = undefined;
          this.changed.fire();
        }
      }),
    ];
  }

  /** Takes the active runbook; true when it changed. */
  private pick(): boolean {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (nb?.notebookType !== NOTEBOOK_TYPE || nb === this.last) return false;
    this.last = nb;
    return true;
  }

  get notebook(): vscode.NotebookDocument | undefined {
    return this.last && !this.last.isClosed ? this.last : undefined;
  }

  frontMatter(): FrontMatter | undefined {
    return frontMatterData(this.notebook);
  }

  fire(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
