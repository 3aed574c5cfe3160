// Nothing lost in VS Code (issue 11 §4): an incident record changed on disk while it is open (another run,
// an editor, git) is never silently overwritten by the save the extension makes after a run. The run's
// outputs stay in the notebook, unsaved, and the file keeps the other writer's version.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert, waitFor } from './check.js';
import { cellNamed, outputsOf, runCells, showNotebook, type Test } from './cells.js';

function guardRunbook(): string {
  return [
    '---',
    'incident: { id: GUARD-20261129-0001, severity: P2, status: open, started: 2026-11-29T20:00:00Z, commander: e2e }',
    '---',
    '# Disk guard check',
    '',
    '```bash {name=first}',
    'echo first-output',
    '```',
    '',
    '```bash {name=second}',
    'echo second-output',
    '```',
    '',
  ].join('\n');
}

export function diskGuardTests(config: E2eConfig): Test[] {
  const file = path.join(config.workspace, config.scratch, 'disk-guard.runbook.md');
  return [
    {
      name: 'records: an incident record changed on disk while open is not overwritten by the save after a run',
      run: async () => {
        await fs.writeFile(file, guardRunbook());
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        await runCells(doc, [cellNamed(doc, 'first')]);
        await waitFor(() => !doc.isDirty, 15_000, 'the incident record to be saved after the run');
        assert((await fs.readFile(file, 'utf8')).includes('first-output'), 'the first run was saved');
        // An unsaved edit in the notebook (VS Code does not reload a dirty notebook from disk)...
        const edit = new vscode.WorkspaceEdit();
        edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [
          new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'A note typed in VS Code.', 'markdown'),
        ])]);
        assert(await vscode.workspace.applyEdit(edit), 'applyEdit');
        assert(doc.isDirty, 'the notebook is dirty');
        // ...while something else writes the record.
        const theirs = `${await fs.readFile(file, 'utf8')}\nWritten by someone else while the record was open.\n`;
        await new Promise((r) => setTimeout(r, 50));
        await fs.writeFile(file, theirs);
        await runCells(doc, [cellNamed(doc, 'second')]);
        await new Promise((r) => setTimeout(r, 3000)); // the save after the run would have happened by now
        assert(await fs.readFile(file, 'utf8') === theirs, 'the other writer\'s version on disk was overwritten');
        assert(doc.isDirty, 'the run is kept in the notebook, unsaved');
        assert(outputsOf(cellNamed(doc, 'second')).some((o) => o.text.includes('second-output')), 'the run\'s output is in the notebook');
        await vscode.commands.executeCommand('workbench.action.files.revert');
      },
    },
  ];
}
