// Shows where and how a cell last ran, from its recorded output metadata: "✓ exit 0 · root@web:22 · 412 ms".
import * as vscode from 'vscode';
import { formatDuration } from '../core/util/duration.js';
import type { CodeCellMeta, OutputMeta } from '../notebook/notebookData.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';

export class CellStatusBar implements vscode.NotebookCellStatusBarItemProvider {
  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (cell.kind !== vscode.NotebookCellKind.Code) return [];
    const items = attributeItems(cell);
    const meta = (cell.outputs[0]?.metadata?.runbook as OutputMeta | undefined)?.meta;
    if (!meta || meta.started === undefined) return items;
    const exit = meta.exit;
    const icon = exit === 0 ? '$(pass)' : exit === null || exit === undefined ? '$(circle-slash)' : '$(error)';
    const parts = [`${icon} ${exit === null || exit === undefined ? 'no exit code' : `exit ${exit}`}`];
    if (meta.host) parts.push(String(meta.host));
    if (typeof meta.ms === 'number') parts.push(formatDuration(meta.ms));
    const item = new vscode.NotebookCellStatusBarItem(parts.join(' · '), vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = `Last run ${meta.started} by ${meta.user ?? '?'} on ${meta.host ?? '?'} (recorded in the document)`;
    return [item, ...items];
  }
}

/** The fence attributes that decide how a cell runs, visible on the cell: name, host, db, timeout, confirm. */
function attributeItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
  const a = ((cell.metadata.runbook ?? {}) as Partial<CodeCellMeta>).attributes ?? {};
  const parts: string[] = [];
  if (a.name !== undefined) parts.push(`$(tag) ${a.name}`);
  if (a.host !== undefined) parts.push(`$(remote) ${a.host}`);
  if (a.db !== undefined) parts.push(`$(database) ${a.db}`);
  if (a.timeout !== undefined) parts.push(`$(watch) ${a.timeout}`);
  if (a.confirm === true || a.confirm === 'true') parts.push('$(shield) asks first');
  if (a.readonly === true || a.readonly === 'true') parts.push('$(lock) read-only');
  if (!parts.length) return [];
  const item = new vscode.NotebookCellStatusBarItem(parts.join('  '), vscode.NotebookCellStatusBarAlignment.Right);
  item.tooltip = `Fence attributes: ${Object.entries(a).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
  return [item];
}

export function registerCellStatusBar(): vscode.Disposable {
  return vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, new CellStatusBar());
}
