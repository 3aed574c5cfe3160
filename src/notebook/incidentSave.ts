// Incident records are saved after every change the kernel makes (setting runbook.incidents.saveAfterRun).
// Lives here, below the kernel and the incident commands, which both use it.
import * as vscode from 'vscode';
import { guardedSave } from './diskGuard.js';

export async function saveIfIncident(nb: vscode.NotebookDocument): Promise<void> {
  const save = vscode.workspace.getConfiguration('runbook').get<boolean>('incidents.saveAfterRun', true);
  const isIncident = /(^|\n)incident:/.test(String((nb.metadata.runbook as { frontMatter?: { raw?: string } } | undefined)?.frontMatter?.raw ?? ''));
  if (save && isIncident && !nb.isClosed) await guardedSave(nb);
}
