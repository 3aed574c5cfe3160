// Tabletop drills in VS Code: "Start Tabletop Drill" on a sample asks which scenario, starts it (throw-away
// state, stand-ins, a local service), writes a drill record with the briefing as a banner at the top and
// opens it; "End Drill" stops the clock, closes the record with the drill report and tears the scenario down.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { endDrillRecord, scenariosForRunbook, startDrill } from '../core/drill/index.js';
import { parseRunbook, serializeRunbook } from '../core/format/index.js';
import { isDrillRecord } from '../core/runbook/record.js';
import type { DrillSessions } from '../kernel/drillSessions.js';
import { settings } from '../kernel/settings.js';
import { applyDocument, documentOf } from '../notebook/notebookDocument.js';
import { activeRunbook, argsOf, incidentsFolder } from './activeRunbook.js';
import { writeAndOpen } from './incidentCommands.js';
import { refuseWhenUntrusted } from '../providers/workspaceTrust.js';

/** Returns the drill record's Uri (for tasks and tests). */
async function startDrillCommand(drills: DrillSessions, arg?: unknown): Promise<vscode.Uri | undefined> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  // A drill runs its scenario's setup script and starts a local service: code from the workspace, so like
  // every cell run it waits until the workspace is trusted (cellRunner refuses the same way).
  if (refuseWhenUntrusted('Start Tabletop Drill', 'a drill runs its scenario\'s setup scripts')) return;
  const runbookName = basename(nb.uri.fsPath).replace(/\.runbook\.md$/, '');
  const { scenarios, searched } = scenariosForRunbook(nb.uri.fsPath, documentOf(nb).frontMatter?.data?.drills);
  if (!scenarios.length) {
    void vscode.window.showErrorMessage(`No drill scenario for ${runbookName} in ${searched.join(', ')}: name them in the front matter (drills: [drills/FOLDER]) or bring the samples with "Runbook: Open Sample Runbooks".`);
    return;
  }
  const wanted = argsOf(arg).scenario;
  // Always a choice, even of one: the operator sees what the drill is before it starts. The summary (what
  // is broken) is for the facilitator and stays hidden.
  const pick = wanted ? scenarios.find((s) => s.manifest.id === wanted || basename(s.dir) === wanted)
    : await vscode.window.showQuickPick(
      scenarios.map((s) => ({ label: `$(beaker) ${s.manifest.title}`, description: `${s.manifest.severity} · ${s.manifest.id}`, detail: s.manifest.briefing, scenario: s })),
      { title: `Start tabletop drill of ${runbookName}: choose a scenario`, placeHolder: 'Runs against a local stand-in: nothing real is touched.', ignoreFocusOut: true },
    ).then((p) => p?.scenario);
  if (!pick) return;
  const session = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Setting up drill "${pick.manifest.title}"…` },
    () => startDrill(documentOf(nb), pick.dir, { operator: settings.operator(), now: new Date() }),
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
  void vscode.window.showInformationMessage(`Drill ${session.id} started: the briefing is in the banner at the top of the record. End it with "Runbook: End Drill".`);
  return uri;
}

/** End Drill: a drill-end row, the clock stopped, the record closed with the drill report; then teardown. */
async function endDrillCommand(drills: DrillSessions, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const doc = documentOf(nb);
  const session = drills.get(nb.uri);
  if (!isDrillRecord(doc.frontMatter?.data)) {
    void vscode.window.showErrorMessage('This is not a drill record: "Runbook: End Drill" ends a drill started with "Runbook: Start Tabletop Drill".');
    return;
  }
  const alreadyEnded = (doc.log?.rows ?? []).some((r) => r.event === 'drill-end');
  let closed = false;
  if (!alreadyEnded) {
    const end = endDrillRecord(doc, session?.scenario.manifest, settings.operator(), new Date());
    closed = end.closed;
    await applyDocument(nb, parseRunbook(serializeRunbook(doc)));
    await nb.save();
  }
  const torn = await drills.end(nb.uri);
  const what = alreadyEnded ? 'This drill had already ended.' : closed ? 'Drill ended: the clock stopped, the record is closed and the drill report appended.'
    : 'Drill ended: the drill report was added to the resolved record.';
  void vscode.window.showInformationMessage(`${what}${torn ? ' Its scenario was torn down.' : ''}`);
}

export function registerDrillCommands(drills: DrillSessions): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('runbook.startDrill', (arg?: unknown) => startDrillCommand(drills, arg)),
    vscode.commands.registerCommand('runbook.endDrill', (arg?: unknown) => endDrillCommand(drills, arg)),
  );
}
