// Shows where and how a cell last ran, from its recorded output metadata: "✓ exit 0 · root@web:22 · 412 ms".
import * as vscode from 'vscode';
import { formatDuration } from '../core/util/duration.js';
import type { OutputMeta } from '../notebook/notebookData.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

export class CellStatusBar implements vscode.NotebookCellStatusBarItemProvider {
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const meta = (cell.outputs[0]?.metadata?.runbook as OutputMeta | undefined)?.meta;
    if (!meta || meta.started === undefined) return [];
    const exit = meta.exit;
    const icon = exit === 0 ? '$(pass)' : exit === null || exit === undefined ? '$(circle-slash)' : '$(error)';
    const parts = [`${icon} ${exit === null || exit === undefined ? 'no exit code' : `exit ${exit}`}`];
    if (meta.host) parts.push(String(meta.host));
    if (typeof meta.ms === 'number') parts.push(formatDuration(meta.ms));
    const item = new vscode.NotebookCellStatusBarItem(parts.join(' · '), vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = `Last run ${meta.started} by ${meta.user ?? '?'} on ${meta.host ?? '?'} (recorded in the document)`;
    return [item];
  }
}

export function registerCellStatusBar(): vscode.Disposable {
  return vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new CellStatusBar());
}
