// Incident records in VS Code: start one from a runbook, add timeline notes, resolve it with a report,
// export it, and dry-run the runbook. The work itself is in the pure core (src/core/incident).
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeRunbook, parseRunbook } from '../core/format/index.js';
import {
  dryRun, exportHtml, exportPdf, findChromium, formatDryRun, NOTE_KINDS, noteRow, resolveIncident, severityLevels, startIncident,
  SUMMARY_QUESTIONS, type NoteKind, type SummaryAnswers,
} from '../core/incident/index.js';
import { drillReport } from '../core/drill/index.js';
import { isRecord } from '../core/runbook/record.js';
import { appendRowsKept, requestSave, saves } from '../kernel/recordKeeper.js';
import type { DrillSessions } from '../kernel/drillSessions.js';
import { settings } from '../kernel/settings.js';
import { applyDocument, documentOf } from '../notebook/notebookDocument.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import type { TimelineView } from '../providers/timelineView.js';
import { activeRunbook, argsOf, freshUri, incidentsFolder, toUri } from './activeRunbook.js';

const operator = settings.operator;

export async function writeAndOpen(folder: vscode.Uri, fileName: string, text: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.createDirectory(folder);
  const uri = await freshUri(folder, fileName);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await vscode.commands.executeCommand('vscode.openWith', uri, NOTEBOOK_TYPE);
  return uri;
}

/** Returns the new record's Uri (for tasks and tests). */
async function startIncidentCommand(arg?: unknown): Promise<vscode.Uri | undefined> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const doc = documentOf(nb);
  if (isRecord(doc.frontMatter?.data)) {
    void vscode.window.showWarningMessage('This is already an incident record. Start incidents from the runbook itself.');
    return;
  }
  const levels = severityLevels(doc);
  const severity = argsOf(arg).severity ?? (levels.length
    ? await vscode.window.showQuickPick(levels.map((l) => ({ label: l, description: `respond within ${doc.frontMatter?.data?.severity?.[l]}` })),
      { title: 'Start incident: severity', placeHolder: 'How bad is it?' }).then((p) => p?.label)
    : await vscode.window.showInputBox({ title: 'Start incident: severity', value: 'P1', prompt: 'This runbook defines no severity levels' }));
  if (!severity) return;
  const started = startIncident(doc, { severity, operator: operator(), now: new Date() });
  const uri = await writeAndOpen(incidentsFolder(nb.uri), started.fileName, started.text);
  void vscode.window.showInformationMessage(`Incident ${started.id} (${severity}) started: ${vscode.workspace.asRelativePath(uri)}. The runbook itself stays clean.`);
  return uri;
}

async function addNoteCommand(timeline: TimelineView, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const a = argsOf(arg);
  const kind = a.kind ?? (await vscode.window.showQuickPick(NOTE_KINDS.map((k) => ({ label: k })), { title: 'Timeline note: kind' }))?.label;
  if (!kind || !(NOTE_KINDS as readonly string[]).includes(kind)) return;
  const text = a.text ?? await vscode.window.showInputBox({ title: `Timeline note (${kind})`, prompt: 'What was decided, who was told, who was paged…', ignoreFocusOut: true });
  if (!text?.trim()) return;
  await appendRowsKept(nb, [noteRow(kind as NoteKind, text.trim(), operator())]);
  // Feedback at once: the note appears in the Timeline & Log view (and the status bar says so).
  await timeline.revealLast().catch(() => undefined);
  vscode.window.setStatusBarMessage(`$(note) ${kind} note added to the timeline`, 5000);
  await saveIfIncident(nb);
}

/**
 * Resolve's questions: summary, impact and root cause, each skippable (Escape or empty). Answers passed as
 * arguments are not asked; a call that passes the status (tasks, tests) asks nothing else.
 */
async function summaryAnswers(arg: unknown): Promise<SummaryAnswers> {
  const a = argsOf(arg);
  const answers: SummaryAnswers = {};
  for (const q of SUMMARY_QUESTIONS) {
    const given = a[q.key];
    if (given !== undefined) {
      answers[q.key] = given;
      continue;
    }
    if (a.status !== undefined) continue;
    const answer = await vscode.window.showInputBox({
      title: `Resolve incident: ${q.title} (${SUMMARY_QUESTIONS.indexOf(q) + 1}/${SUMMARY_QUESTIONS.length})`,
      prompt: `${q.prompt}. Leave empty or press Escape to skip: the report keeps a field to fill in later.`,
      ignoreFocusOut: true,
    });
    if (answer?.trim()) answers[q.key] = answer.trim();
  }
  return answers;
}

async function resolveCommand(drills: DrillSessions, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const doc = documentOf(nb);
  if (!isRecord(doc.frontMatter?.data)) {
    void vscode.window.showErrorMessage('This runbook is not an incident record: run "Runbook: Start Incident from Runbook" first.');
    return;
  }
  const status = argsOf(arg).status ?? await vscode.window.showQuickPick(['resolved', 'mitigated', 'closed'], { title: 'Resolve incident: status' });
  if (!status) return;
  const answers = await summaryAnswers(arg);
  const drill = drills.get(nb.uri);
  const resolved = resolveIncident(doc, {
    now: new Date(), status, operator: operator(), answers,
    ...(drill ? { sections: (d: typeof doc) => [drillReport(d, drill.scenario.manifest).markdown] } : {}),
  });
  await applyDocument(nb, parseRunbook(serializeRunbook(doc)));
  // Through the scheduler (and the disk guard), so it never races a background save of the same record.
  await saves.request(nb, { hurry: true });
  if (drill) {
    void vscode.window.showInformationMessage('Drill resolved. End the drill scenario now?', 'End Drill').then(async (pick) => {
      if (pick === 'End Drill') await vscode.commands.executeCommand('runbook.endDrill', { uri: nb.uri });
    });
  }
  // Offer to seal the finished record with the operator's SSH key (DESIGN §1 "Seal").
  void vscode.window.showInformationMessage(`Incident ${status} after ${Math.round(resolved.durationMs / 60000)} min; the report is at the end of the record, and "Export Record" puts it first.`,
    'Seal Record').then((pick) => pick && vscode.commands.executeCommand('runbook.sealRecord', nb.uri));
}

async function exportCommand(pdf: boolean, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const doc = documentOf(nb);
  const html = exportHtml(doc, { source: vscode.workspace.asRelativePath(nb.uri) });
  const base = nb.uri.path.replace(/\.runbook\.md$|\.md$/, '');
  const target = toUri(argsOf(arg).target) ?? await vscode.window.showSaveDialog({
    defaultUri: nb.uri.with({ path: `${base}.${pdf ? 'pdf' : 'html'}` }),
    filters: pdf ? { PDF: ['pdf'] } : { HTML: ['html'] },
    title: pdf ? 'Export incident record as PDF' : 'Export incident record as HTML',
  });
  if (!target) return;
  if (!pdf) {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(html));
  } else {
    if (!findChromium()) {
      void vscode.window.showErrorMessage('PDF export needs Chromium (/usr/bin/chromium); export as HTML instead.');
      return;
    }
    const tmp = join(tmpdir(), `runbook-export-${Date.now()}.html`);
    writeFileSync(tmp, html);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Printing the record to PDF…' },
      () => exportPdf(tmp, target.fsPath));
  }
  void vscode.window.showInformationMessage(`Exported ${vscode.workspace.asRelativePath(target)}`, 'Reveal').then((open) =>
    open && vscode.commands.executeCommand('revealFileInOS', target));
}

async function dryRunCommand(channel: vscode.OutputChannel, arg?: unknown): Promise<void> {
  const nb = activeRunbook(arg);
  if (!nb) return;
  const result = dryRun(documentOf(nb), 'all', { operator: operator(), now: new Date() });
  channel.clear();
  channel.appendLine(formatDryRun(result));
  channel.show(true);
  // A dry run writes nothing unless asked to record it (and only a record has a log worth writing to).
  const record = isRecord(documentOf(nb).frontMatter?.data);
  const recordRows = async () => {
    await appendRowsKept(nb, result.rows);
    await saveIfIncident(nb);
  };
  const said = `Dry run: ${result.cells.length} cells shown in the "Runbook Dry Run" output; nothing ran and nothing was written`;
  if (!record) {
    void vscode.window.showInformationMessage(`${said} to the runbook.`);
  } else if (argsOf(arg).record !== undefined) {
    if (argsOf(arg).record) await recordRows();
  } else {
    void vscode.window.showInformationMessage(`${said}.`, 'Record in Execution Log').then((pick) => pick && recordRows());
  }
}

/**
 * Incident records are saved after every change the kernel makes (setting runbook.incidents.saveAfterRun),
 * in the background: saves are coalesced (src/kernel/recordKeeper.ts). Resolves when that save has finished;
 * a cell never awaits it.
 */
export function saveIfIncident(nb: vscode.NotebookDocument): Promise<boolean> {
  return requestSave(nb);
}

export function registerIncidentCommands(drills: DrillSessions, timeline: TimelineView): vscode.Disposable {
  const channel = vscode.window.createOutputChannel('Runbook Dry Run');
  return vscode.Disposable.from(
    channel,
    vscode.commands.registerCommand('runbook.startIncident', startIncidentCommand),
    vscode.commands.registerCommand('runbook.addNote', (arg?: unknown) => addNoteCommand(timeline, arg)),
    vscode.commands.registerCommand('runbook.showTimeline', () => timeline.revealLast()),
    vscode.commands.registerCommand('runbook.resolveIncident', (arg?: unknown) => resolveCommand(drills, arg)),
    vscode.commands.registerCommand('runbook.exportHtml', (arg?: unknown) => exportCommand(false, arg)),
    vscode.commands.registerCommand('runbook.exportPdf', (arg?: unknown) => exportCommand(true, arg)),
    vscode.commands.registerCommand('runbook.dryRun', (arg?: unknown) => dryRunCommand(channel, arg)),
  );
}
