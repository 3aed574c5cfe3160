// The timeline and execution log of the active runbook, live, in a side view: every run, refusal,
// confirmation and note as it is appended; a new note is revealed at once.
import * as vscode from 'vscode';
import type { LogRow } from '../core/format/index.js';
import { timelineEntries, type EntryKind, type TimelineEntry } from '../core/incident/index.js';
import type { ActiveRunbookTracker } from './activeRunbookTracker.js';
import { logRowsOf } from '../notebook/metadata.js';

const ICONS: Record<EntryKind, [string, string?]> = {
  start: ['flame', 'charts.orange'], ok: ['pass', 'testing.iconPassed'], failed: ['error', 'testing.iconFailed'],
  'not-run': ['circle-slash', 'testing.iconFailed'], confirm: ['shield'], note: ['note', 'charts.blue'], event: ['circle-small'],
  end: ['check-all', 'testing.iconPassed'],
};

export const TIMELINE_VIEW = 'runbook.timeline';

export class TimelineView implements vscode.TreeDataProvider<TimelineEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<TimelineEntry>;
  private readonly subscriptions: vscode.Disposable[];
  private entries: TimelineEntry[] = [];

  constructor(private readonly tracker: ActiveRunbookTracker) {
    this.view = vscode.window.createTreeView(TIMELINE_VIEW, { treeDataProvider: this, showCollapseAll: false });
    this.subscriptions = [this.changed, this.view, tracker.onDidChange(() => this.refresh())];
    this.refresh();
  }

  private refresh(): void {
    const nb = this.tracker.notebook;
    const rows: LogRow[] = logRowsOf(nb);
    this.entries = nb ? timelineEntries(this.tracker.frontMatter(), rows) : [];
    const name = nb?.uri.path.split('/').pop();
    this.view.description = name ?? '';
    this.view.message = !nb ? 'Open a runbook to see its timeline and execution log.'
      : this.entries.length ? undefined : 'Nothing yet: runs, refusals, confirmations and notes appear here as they happen.';
    this.changed.fire();
  }

  /** Shows the newest entry (after a note is added) without taking the focus from the notebook. */
  async revealLast(): Promise<void> {
    this.refresh();
    const last = this.entries[this.entries.length - 1];
    if (last) await this.view.reveal(last, { select: true, focus: false });
  }

  getTreeItem(e: TimelineEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(`${e.since || e.time}  ${e.text}`);
    item.id = `${e.n}`;
    item.description = [e.facts, e.who].filter(Boolean).join(' · ');
    const [icon, color] = ICONS[e.kind];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = new vscode.MarkdownString().appendText(`${e.n ? `#${e.n} ` : ''}${e.time} UTC${e.since ? ` (${e.since})` : ''} · ${e.who}\n\n${e.text}${e.facts ? `\n\n${e.facts}` : ''}`);
    return item;
  }

  getChildren(e?: TimelineEntry): TimelineEntry[] {
    return e ? [] : this.entries;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
