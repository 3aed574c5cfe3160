// The notebook's default target in the status bar: "$(server) local" — click to choose `local` or one of the
// runbook's hosts. A cell's own `host=` attribute always wins over this default.
import * as vscode from 'vscode';
import { fleetGroupNames } from '../core/check/fleetGroups.js';
import { knownTargets, userSshHostNames } from '../core/runbook/targets.js';
import type { RunbookController } from '../kernel/runbookController.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { frontMatterData } from '../notebook/metadata.js';

export class TargetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('runbook.target', vscode.StatusBarAlignment.Left, 90);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly controller: RunbookController) {
    this.item.name = 'Runbook Target';
    this.item.command = 'runbook.selectTarget';
    this.subscriptions.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.update()),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.metadata) this.update();
      }),
      vscode.commands.registerCommand('runbook.selectTarget', () => this.pick()),
    );
    this.update();
  }

  private activeRunbook(): vscode.NotebookDocument | undefined {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    return nb?.notebookType === NOTEBOOK_TYPE ? nb : undefined;
  }

  update(): void {
    const nb = this.activeRunbook();
    if (!nb) {
      this.item.hide();
      return;
    }
    const target = this.controller.existingState(nb)?.defaultTarget ?? 'local';
    this.item.text = `$(${target === 'local' ? 'vm' : 'remote'}) ${target}`;
    this.item.tooltip = frontMatterSummary(nb, target);
    this.item.show();
  }

  private async pick(): Promise<void> {
    const nb = this.activeRunbook();
    if (!nb) {
      void vscode.window.showErrorMessage('Open a runbook notebook to choose where its cells run.');
      return;
    }
    const fm = frontMatterData(nb);
    const hosts = fm?.hosts ?? {};
    const aliases = userSshHostNames();
    const groups = fleetGroupNames(fm ?? {}, vscode.Uri.joinPath(nb.uri, '..').fsPath, aliases);
    const state = this.controller.stateFor(nb);
    const items: (vscode.QuickPickItem & { target: string })[] = [
      { label: '$(vm) local', description: 'this machine', target: 'local' },
      ...Object.entries(hosts).map(([name, h]) => ({
        label: `$(remote) ${name}`,
        description: `${h.ssh}${h.port ? `:${h.port}` : ''}${h.jump ? ` via ${[h.jump].flat().join(', ')}` : ''}`,
        detail: h.description,
        target: name,
      })),
      ...[...groups].map((g) => ({
        label: `$(server-environment) ${g}`, description: fm?.groups?.[g] ? `group: ${fm.groups[g].join(', ')}` : `inventory group (${fm?.inventory})`, target: g,
      })),
      ...knownTargets(fm, aliases).sshAliases.map((alias) => ({
        label: `$(terminal) ${alias}`, description: '~/.ssh/config', target: alias,
      })),
    ];
    const chosen = await vscode.window.showQuickPick(items, {
      title: 'Runbook: default target of this notebook',
      placeHolder: `Cells without host= run on ${state.defaultTarget}`,
    });
    if (!chosen) return;
    this.controller.setDefaultTarget(nb, chosen.target);
    this.update();
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.item.dispose();
  }
}

/** The tooltip: where cells run, and what the front matter declares (names only, never a value). */
function frontMatterSummary(nb: vscode.NotebookDocument, target: string): vscode.MarkdownString {
  const fm = frontMatterData(nb);
  const md = new vscode.MarkdownString(`**Runbook target:** cells without \`host=\` run on **${target}**. Click to change.\n\n`);
  const hosts = Object.entries(fm?.hosts ?? {});
  if (hosts.length) md.appendMarkdown(`**Hosts:** ${hosts.map(([n, h]) => `\`${n}\` (${h.ssh}${h.port ? `:${h.port}` : ''})`).join(', ')}\n\n`);
  const connections = Object.entries(fm?.connections ?? {});
  if (connections.length) md.appendMarkdown(`**Connections:** ${connections.map(([n, c]) => `\`${n}\` (${c.driver}${c.host ? ` via ${c.host}` : ''})`).join(', ')}\n\n`);
  const variables = Object.entries(fm?.variables ?? {});
  if (variables.length) md.appendMarkdown(`**Variables:** ${variables.map(([n, v]) => `\`${n}\`${v.secret ? ' (secret)' : ''}`).join(', ')}`);
  return md;
}
