// The URI handler behind an alert's `runbook_url` (`runbook alert-url` prints it):
// `vscode://<publisher>.<name>/incident?runbook=PATH&severity=LEVEL&<label>=<value>…`. It opens the runbook
// of the workspace and, once the person confirms in a modal that shows which labels fill which variables,
// starts the incident with them, exactly as `runbook incident start --alert` does (core: alertStart). A
// link never runs a cell, works only in a trusted workspace, and opens only runbooks inside it.
import * as vscode from 'vscode';
import {
  alertOfLink, alertStart, confirmDetailText, findRunbookInWorkspace, IncidentLinkError, parseIncidentLink, severityLevels, startIncident,
  type IncidentLinkPlan,
} from '../core/incident/index.js';
import { isRecord } from '../core/runbook/record.js';
import { settings } from '../kernel/settings.js';
import { documentOf } from '../notebook/notebookDocument.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { incidentsFolder } from './activeRunbook.js';
import { writeAndOpen } from './incidentCommands.js';

export const START_BUTTON = 'Start Incident';

export function registerAlertLinkHandler(): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri: (uri) => {
      openIncidentLink(uri).catch((e: unknown) => {
        void vscode.window.showErrorMessage(`Runbook link: ${e instanceof Error ? e.message : String(e)}`);
      });
    },
  });
}

/** Follows a link; resolves with the new record's Uri, or undefined when refused or not confirmed. */
export async function openIncidentLink(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
  let plan: IncidentLinkPlan;
  let file: string;
  try {
    plan = parseIncidentLink(uri.path, uri.query);
    if (!vscode.workspace.isTrusted) {
      // Checked before touching any file: an untrusted folder's runbooks are not opened from outside.
      const manage = 'Manage Workspace Trust';
      void vscode.window.showErrorMessage(`Runbook links work only in a trusted workspace: this link would start an incident from ${plan.runbook}. `
        + 'Trust the workspace, then open the link again.', manage).then((pick) => pick && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
    file = findRunbookInWorkspace(folders, plan.runbook);
  } catch (e) {
    if (!(e instanceof IncidentLinkError)) throw e;
    void vscode.window.showErrorMessage(`Runbook link refused: ${e.message}`);
    return undefined;
  }
  const runbookUri = vscode.Uri.file(file);
  await vscode.commands.executeCommand('vscode.openWith', runbookUri, NOTEBOOK_TYPE);
  const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.fsPath === runbookUri.fsPath && d.notebookType === NOTEBOOK_TYPE)
    ?? await vscode.workspace.openNotebookDocument(runbookUri);
  const doc = documentOf(nb);
  if (isRecord(doc.frontMatter?.data)) {
    void vscode.window.showWarningMessage(`${plan.runbook} is already an incident record: links start incidents from runbooks.`);
    return undefined;
  }
  const start = alertStart(doc, alertOfLink(plan));
  const levels = severityLevels(doc);
  const pick = await vscode.window.showWarningMessage(`Start an incident from ${plan.runbook}?`,
    { modal: true, detail: confirmDetailText(plan, start, levels) }, START_BUTTON);
  if (pick !== START_BUTTON) return undefined;
  const title = `Start incident from ${start.name}: severity`;
  const severity = start.severity ?? (levels.length
    ? await vscode.window.showQuickPick(levels, { title, placeHolder: 'The link names none of the runbook\'s levels' })
    : await vscode.window.showInputBox({ title, value: start.label ?? 'P1', prompt: 'This runbook defines no severity levels' }));
  if (!severity) return undefined;
  const started = startIncident(doc, {
    severity, operator: settings.operator(), now: new Date(), extra: start.incident, edits: start.edits,
  });
  const record = await writeAndOpen(incidentsFolder(nb.uri), started.fileName, started.text);
  void vscode.window.showInformationMessage(`Incident ${started.id} (${severity}) started from the alert link: ${vscode.workspace.asRelativePath(record)}. No cell has run.`);
  return record;
}
