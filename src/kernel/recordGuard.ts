// Runbook vs record (issue 13 §2): a run writes its outputs and log rows into the file it runs from, so
// running a step of a plain runbook first asks where the run belongs: a new incident record, a drill, or a
// scratch run whose outputs are shown but never written to the runbook. Setting `runbook.run.plainRunbooks`
// chooses without asking ("record" keeps the old behaviour: write into the runbook).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { scenariosForRunbook } from '../core/drill/index.js';
import { isRecord as isRecordFm } from '../core/runbook/record.js';
import { frontMatterData } from '../notebook/metadata.js';

export type RunMode = 'record' | 'scratch';

/** Whether a notebook is an incident or drill record (front matter `incident:`). */
export function isRecord(notebook: vscode.NotebookDocument): boolean {
  return isRecordFm(frontMatterData(notebook));
}

/** Whether the runbook has drill scenarios (its front matter `drills:`, else drills/<name>/ next to it). */
function hasScenarios(notebook: vscode.NotebookDocument): boolean {
  try {
    return scenariosForRunbook(notebook.uri.fsPath, frontMatterData(notebook)?.drills).scenarios.length > 0;
  } catch {
    return false; // a broken scenario is reported when the drill starts, not here
  }
}

export type PlainRunbookSetting = 'ask' | 'scratch' | 'record';

export function plainRunbookSetting(): PlainRunbookSetting {
  const v = vscode.workspace.getConfiguration('runbook').get<string>('run.plainRunbooks', 'ask');
  return v === 'scratch' || v === 'record' ? v : 'ask';
}

export const GUARD_TITLE = 'is a runbook, not an incident record';

type Choice = 'incident' | 'drill' | 'scratch';

/**
 * How to run cells of `notebook`: in the record (incident/drill records, or the setting says so), as scratch,
 * or not here at all (undefined: the operator chose a new record, or cancelled).
 */
export async function runModeFor(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[],
  scratchNotebooks: Set<string>): Promise<RunMode | undefined> {
  if (isRecord(notebook)) return 'record';
  // Untrusted: nothing runs, and the refusal is shown without writing into the runbook.
  if (!vscode.workspace.isTrusted) return 'scratch';
  const setting = plainRunbookSetting();
  if (setting !== 'ask') return setting;
  if (scratchNotebooks.has(notebook.uri.toString())) return 'scratch';
  const name = basename(notebook.uri.path);
  const hasDrill = notebook.uri.scheme === 'file' && hasScenarios(notebook);
  const items: (vscode.QuickPickItem & { choice?: Choice })[] = [
    { label: '$(flame) Start an incident record', choice: 'incident',
      detail: 'A copy of this runbook in the incidents folder, with the incident clock: this step runs there and its output and log are kept.' },
    ...(hasDrill ? [{ label: '$(beaker) Start a drill', choice: 'drill' as const,
      detail: 'A tabletop drill of this runbook: a drill record against a local scenario, nothing real is touched.' }] : []),
    { label: '$(eye) Run as scratch', choice: 'scratch',
      detail: 'Run here; outputs are shown but not written to the runbook, and nothing goes into its log (until you reopen it).' },
    { label: '$(close) Cancel', detail: 'Run nothing.' },
  ];
  const what = cells.length === 1 ? 'this step' : `${cells.length} steps`;
  const pick = await vscode.window.showQuickPick(items, {
    title: `"${name}" ${GUARD_TITLE}: where should ${what} run?`,
    placeHolder: 'Outputs and the execution log are written into the file a step runs from.',
    ignoreFocusOut: true,
  });
  switch (pick?.choice) {
    case 'scratch':
      scratchNotebooks.add(notebook.uri.toString());
      return 'scratch';
    case 'incident':
    case 'drill':
      await runInNewRecord(notebook, cells, pick.choice);
      return undefined;
    default:
      return undefined;
  }
}

/** Starts the record and runs the same steps there (matched by their position among the code cells). */
async function runInNewRecord(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], choice: 'incident' | 'drill'): Promise<void> {
  const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(choice === 'incident' ? 'runbook.startIncident' : 'runbook.startDrill', { uri: notebook.uri });
  if (!(uri instanceof vscode.Uri)) return;
  const record = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!record) return;
  const code = (nb: vscode.NotebookDocument) => nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
  const positions = cells.map((c) => code(notebook).indexOf(c)).filter((i) => i >= 0);
  const targets = positions.map((i) => code(record)[i]).filter((c): c is vscode.NotebookCell => !!c);
  if (!targets.length) return;
  await vscode.window.showNotebookDocument(record, { selections: [new vscode.NotebookRange(targets[0]!.index, targets[0]!.index + 1)] });
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: targets.map((c) => ({ start: c.index, end: c.index + 1 })), document: record.uri,
  });
}
