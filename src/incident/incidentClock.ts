// The incident clock in the status bar: "$(clock) CVD-20261123-0512 P0 · 12:04 / 15:00", turning to the
// warning colour once the severity's response target has passed.
import * as vscode from 'vscode';
import { readFrontMatter } from '../core/format/index.js';
import { incidentClock } from '../core/incident/index.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { frontMatterRaw } from '../notebook/metadata.js';

export class IncidentClockStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('runbook.incidentClock', vscode.StatusBarAlignment.Left, 100);
  private readonly timer: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The front matter last read, so the once-a-second tick does not parse YAML again. */
  private parsed: { raw: string; data: ReturnType<typeof readFrontMatter>['data'] } | undefined;

  constructor() {
    this.item.name = 'Runbook Incident Clock';
    this.item.command = 'runbook.addNote';
    this.timer = setInterval(() => this.update(), 1000);
    this.subscriptions.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.workspace.onDidChangeNotebookDocument(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    const raw = nb?.notebookType === NOTEBOOK_TYPE ? frontMatterRaw(nb) : undefined;
    if (raw && raw !== this.parsed?.raw) this.parsed = { raw, data: readFrontMatter(raw).data };
    const clock = raw ? incidentClock(this.parsed?.data, new Date()) : undefined;
    if (!clock) {
      this.item.hide();
      return;
    }
    this.item.text = `$(${clock.stopped ? 'check' : clock.drill ? 'beaker' : 'clock'}) ${clock.label}`;
    this.item.tooltip = `${clock.drill ? 'Drill' : 'Incident'} ${clock.id}: ${clock.status}. ${clock.overdue ? 'Response target passed. ' : ''}Click to add a timeline note.`;
    this.item.backgroundColor = clock.overdue && !clock.stopped ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}
