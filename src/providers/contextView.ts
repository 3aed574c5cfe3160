// The runbook's context in a side view: where cells run, the hosts, groups, connections, variables (the
// value of a non-secret, only "set"/"not set" for a secret) and the severity targets, with commands to
// re-enter or clear a variable for this session.
import * as vscode from 'vscode';
import type { FrontMatter } from '../core/format/index.js';
import { plannedTargetWords } from '../core/run/cellTarget.js';
import { declaredVariables, type DeclaredVariable } from '../core/run/variables.js';
import { incidentClock } from '../core/incident/index.js';
import type { RunbookController } from '../kernel/runbookController.js';
import type { ActiveRunbookTracker } from './activeRunbookTracker.js';

export const CONTEXT_VIEW = 'runbook.context';

interface Node {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  children?: Node[];
  /** Set on variable rows: the commands to re-enter or clear it apply. */
  variable?: string;
  command?: vscode.Command;
}

export class ContextView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly tracker: ActiveRunbookTracker, private readonly controller: RunbookController) {
    this.view = vscode.window.createTreeView(CONTEXT_VIEW, { treeDataProvider: this });
    this.subscriptions = [
      this.changed, this.view,
      tracker.onDidChange(() => this.refresh()),
      controller.onDidRun(() => this.refresh()),
      controller.onDidChangeTarget(() => this.refresh()),
      vscode.commands.registerCommand('runbook.setVariable', (arg?: unknown) => this.setVariable(arg)),
      vscode.commands.registerCommand('runbook.clearVariable', (arg?: unknown) => this.clearVariable(arg)),
    ];
    this.refresh();
  }

  refresh(): void {
    const nb = this.tracker.notebook;
    this.view.description = nb?.uri.path.split('/').pop() ?? '';
    this.view.message = nb ? undefined : 'Open a runbook to see its hosts, connections and variables.';
    this.changed.fire();
  }

  getTreeItem(n: Node): vscode.TreeItem {
    const item = new vscode.TreeItem(n.label, n.children ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = n.id;
    if (n.description !== undefined) item.description = n.description;
    if (n.tooltip) item.tooltip = n.tooltip;
    if (n.icon) item.iconPath = new vscode.ThemeIcon(n.icon);
    if (n.variable) item.contextValue = 'variable';
    if (n.command) item.command = n.command;
    return item;
  }

  getChildren(n?: Node): Node[] {
    if (n) return n.children ?? [];
    const nb = this.tracker.notebook;
    return nb ? this.sections(nb, this.tracker.frontMatter()) : [];
  }

  private sections(nb: vscode.NotebookDocument, fm: FrontMatter | undefined): Node[] {
    const out: Node[] = [];
    const target = this.controller.defaultTarget(nb);
    out.push({ id: 'target', label: 'Cells without host= run on', description: plannedTargetWords(target, fm), icon: target === 'local' ? 'vm' : 'remote',
      tooltip: 'The notebook\'s default target. Click to change it.', command: { title: 'Select Default Target', command: 'runbook.selectTarget' } });
    const clock = incidentClock(fm, new Date());
    if (clock) out.push({ id: 'incident', label: clock.drill ? 'Drill' : 'Incident', description: `${clock.id} · ${clock.status}${clock.severity ? ` · ${clock.severity}` : ''}`, icon: clock.drill ? 'beaker' : 'flame' });
    else if (fm) out.push({ id: 'incident', label: 'Runbook (not an incident record)', description: 'runs ask first', icon: 'book' });
    const hosts = Object.entries(fm?.hosts ?? {});
    out.push(section('hosts', 'Hosts', 'server', hosts.map(([name, h]) => {
      const jump = h.jump === undefined ? [] : [h.jump].flat();
      return { id: `host:${name}`, label: name, icon: h.production ? 'warning' : 'remote',
        description: `${h.ssh}${h.port ? `:${h.port}` : ''}${jump.length ? ` via ${jump.join(', ')}` : ''}${h.production ? ' · production' : ''}`,
        tooltip: h.description ?? plannedTargetWords(name, fm) };
    })));
    const groups = Object.entries(((fm as Record<string, unknown> | undefined)?.groups ?? {}) as Record<string, unknown>);
    if (groups.length) {
      out.push(section('groups', 'Groups', 'server-environment', groups.map(([name, members]) => ({
        id: `group:${name}`, label: name, icon: 'server-environment', description: Array.isArray(members) ? members.map(String).join(', ') : String(members),
      }))));
    }
    const connections = Object.entries(fm?.connections ?? {});
    out.push(section('connections', 'Connections', 'database', connections.map(([name, c]) => ({
      id: `conn:${name}`, label: name, icon: 'database',
      description: `${c.driver}${c.url ? ` ${c.url}` : c.path ? ` ${c.path}` : ''}${c.host ? ` via ${c.host}` : ''}`, tooltip: c.description ?? '',
    }))));
    const state = this.controller.existingState(nb);
    out.push(section('variables', 'Variables', 'symbol-variable', declaredVariables(fm).map((v) => variableNode(v, state?.runner.sessionValue(v.name)))));
    const severity = Object.entries(fm?.severity ?? {});
    out.push(section('severity', 'Severity targets', 'watch', severity.map(([level, d]) => ({
      id: `sev:${level}`, label: level, description: `respond within ${d}`, icon: clock?.severity === level ? 'flame' : 'watch',
    }))));
    return out;
  }

  private notebookAndName(arg: unknown): { nb: vscode.NotebookDocument; name: string; value?: string } | undefined {
    const nb = this.tracker.notebook;
    const a = (arg ?? {}) as { variable?: string; name?: string; value?: string };
    const name = a.variable ?? a.name;
    if (!nb || !name) {
      void vscode.window.showErrorMessage('Choose a variable in the Runbook Context view.');
      return undefined;
    }
    return { nb, name, ...(a.value === undefined ? {} : { value: a.value }) };
  }

  private async setVariable(arg: unknown): Promise<void> {
    const t = this.notebookAndName(arg);
    if (!t) return;
    const v = declaredVariables(this.tracker.frontMatter()).find((d) => d.name === t.name);
    const state = this.controller.stateFor(t.nb);
    const value = t.value ?? await vscode.window.showInputBox({
      title: `Re-enter ${t.name}`,
      prompt: `${v?.prompt ?? t.name}${v?.secret ? ' — secret: used in this session only, never written to the record' : ''}`,
      value: v?.secret ? '' : state.runner.sessionValue(t.name) ?? v?.default ?? '',
      password: v?.secret === true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return;
    state.runner.setVariable(t.name, value);
    this.refresh();
  }

  private clearVariable(arg: unknown): void {
    const t = this.notebookAndName(arg);
    if (!t) return;
    this.controller.existingState(t.nb)?.runner.clearVariable(t.name);
    this.refresh();
    void vscode.window.showInformationMessage(`${t.name} cleared: the next step that uses it asks again${declaredVariables(this.tracker.frontMatter()).find((d) => d.name === t.name)?.default !== undefined ? ' (or takes its default)' : ''}.`);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

function section(id: string, label: string, icon: string, children: Node[]): Node {
  return { id, label, icon, description: children.length ? String(children.length) : 'none', children };
}

/** A variable row: the value of a non-secret (session value, else default), "set"/"not set" for a secret. */
export function variableNode(v: DeclaredVariable, session: string | undefined): Node {
  let description: string;
  if (v.secret) description = session !== undefined ? 'secret · set' : 'secret · not set';
  else if (session !== undefined) description = session === '' ? '(empty)' : session;
  else if (v.default !== undefined) description = `${v.default} (default)`;
  else description = 'not set';
  return {
    id: `var:${v.name}`, label: v.name, description, variable: v.name, icon: v.secret ? 'lock' : 'symbol-variable',
    tooltip: `${v.prompt}${v.description && v.description !== v.prompt ? `\n${v.description}` : ''}\nRe-enter or clear it with the buttons on this row.`,
  };
}
