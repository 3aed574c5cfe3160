// Tabletop drills in VS Code: "Start Drill" on a sample starts its scenario (throw-away state, stand-ins,
// a local service), writes a drill record and opens it; "End Drill" tears the scenario down.
import * as vscode from 'vscode';
import { dirname, join, basename } from 'node:path';
import { listScenarios, startDrill } from '../core/drill/index.js';
import { serializeRunbook } from '../core/format/index.js';
import { operatorName } from '../core/run/localTarget.js';
import type { DrillSessions } from '../kernel/drillSessions.js';
import { settings } from '../kernel/settings.js';
import { documentOf } from '../notebook/notebookDocument.js';
import { activeRunbook, argsOf, incidentsFolder } from './activeRunbook.js';
import { writeAndOpen } from './incidentCommands.js';

/** Returns the drill record's Uri (for tasks and tests). */
async function startDrillCommand(drills: DrillSessions, arg?: unknown): Promise<vscode.Uri | undefined> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const runbookName = basename(nb.uri.fsPath).replace(/\.runbook\.md$/, '');
  const scenarios = listScenarios(join(dirname(nb.uri.fsPath), 'drills'), runbookName);
  if (!scenarios.length) {
    void vscode.window.showErrorMessage(`No drill scenario ships with ${runbookName}: scenarios live in drills/${runbookName}/ next to the runbook.`);
    return;
  }
  const wanted = argsOf(arg).scenario;
  const pick = wanted ? scenarios.find((s) => s.manifest.id === wanted || basename(s.dir) === wanted)
    : scenarios.length === 1 ? scenarios[0] : await vscode.window.showQuickPick(
    scenarios.map((s) => ({ label: s.manifest.title, detail: s.manifest.summary, scenario: s })),
    { title: 'Start drill: scenario' }).then((p) => p?.scenario);
  if (!pick) return;
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Setting up drill "${pick.manifest.title}"…` },
    () => startDrill(serializeRunbook(documentOf(nb)), pick.dir, { operator: settings.operator() ?? operatorName(), now: new Date() }),
  );
  const folder = incidentsFolder(nb.uri);
  const target = vscode.Uri.joinPath(folder, session.fileName);
  drills.add(target, session);
  let uri: vscode.Uri;
  try {
    uri = await writeAndOpen(folder, session.fileName, session.text);
    if (uri.toString() !== target.toString()) {
      drills.forget(target);
      drills.add(uri, session);
    }
  } catch (e) {
    await drills.end(target);
    throw e;
  }
  void vscode.window.showInformationMessage(`Drill ${session.id} started. ${session.briefing}`);
  return uri;
}

async function endDrillCommand(drills: DrillSessions, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const ended = await drills.end(nb.uri);
  void vscode.window.showInformationMessage(ended ? 'Drill ended: its scenario was torn down. The record stays.' : 'No drill is running for this record.');
}

export function registerDrillCommands(drills: DrillSessions): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('runbook.startDrill', (arg?: unknown) => startDrillCommand(drills, arg)),
    vscode.commands.registerCommand('runbook.endDrill', (arg?: unknown) => endDrillCommand(drills, arg)),
  );
}
