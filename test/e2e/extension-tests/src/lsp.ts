// The runbook language server inside a real VS Code (issue 7 §4): the extension starts the bundled server,
// which publishes diagnostics for a *.runbook.md opened as text and for the cells of a runbook notebook.
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert, trace, waitFor } from './check.js';
import type { Test } from './cells.js';

const RUNBOOK = [
  '---',
  'hosts:',
  '  web: { ssh: deploy@web.internal }',
  '---',
  '# Language server check',
  '',
  '```bash {name=restart host=wbe}',
  'sudo systemctl restart nginx',
  '```',
  '',
].join('\n');

function runbookDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'runbook');
}

export function lspTests(config: E2eConfig): Test[] {
  const file = path.join(config.workspace, config.scratch, 'lsp-check.runbook.md');
  return [
    {
      name: 'language server: a runbook opened as text gets diagnostics with exact ranges (unknown host, destructive without confirm)',
      run: async () => {
        await fs.writeFile(file, RUNBOOK);
        const uri = vscode.Uri.file(file);
        await vscode.workspace.openTextDocument(uri);
        await waitFor(() => runbookDiagnostics(uri).some((d) => /wbe/.test(d.message)), 45_000, 'a diagnostic about host "wbe"');
        const all = runbookDiagnostics(uri);
        trace(`lsp text diagnostics: ${all.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`).join(' | ')}`);
        const host = all.find((d) => /wbe/.test(d.message))!;
        assert(host.severity === vscode.DiagnosticSeverity.Error, `unknown host is an error, got severity ${host.severity}`);
        // Exact ranges: [startLine, startChar, endLine, endChar], equal, not "contains".
        const at = (d: vscode.Diagnostic): string => JSON.stringify([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
        const wbe = RUNBOOK.split('\n')[6]!.indexOf('wbe');
        assert(at(host) === JSON.stringify([6, wbe, 6, wbe + 3]), `unknown host range is exactly "wbe" (6:${wbe}-6:${wbe + 3}), got ${at(host)}`);
        const destructive = all.find((d) => d.severity === vscode.DiagnosticSeverity.Information && /systemctl restart/.test(d.message));
        assert(destructive, 'information: destructive command without confirm=true');
        const line7 = RUNBOOK.split('\n')[7]!;
        assert(at(destructive) === JSON.stringify([7, 0, 7, line7.length]), `destructive range is the whole command line 7:0-7:${line7.length}, got ${at(destructive)}`);
      },
    },
    {
      name: 'language server: the cells of a runbook notebook get diagnostics too',
      run: async () => {
        const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        const cell = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code);
        assert(cell, 'the notebook has a code cell');
        await waitFor(() => runbookDiagnostics(cell.document.uri).length > 0, 45_000, 'diagnostics on the notebook cell');
        const messages = runbookDiagnostics(cell.document.uri).map((d) => d.message);
        trace(`lsp cell diagnostics: ${messages.join(' | ')}`);
        assert(messages.some((m) => /wbe/.test(m)), `the cell's diagnostics name the unknown host: ${messages.join(' | ')}`);
      },
    },
    {
      // Typing in a cell goes through the client's notebook sync as src/providers/lspCellIndex.ts patches it.
      name: 'language server: an edit typed into a notebook cell is checked, and undoing it clears the finding',
      run: async () => {
        const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        const cell = nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code);
        assert(cell, 'the notebook has a code cell');
        const undefinedHere = () => runbookDiagnostics(cell.document.uri).filter((d) => /E2E_NEVER_SET_VAR/.test(d.message));
        const end = cell.document.lineAt(cell.document.lineCount - 1).range.end;
        const added = '\necho "${E2E_NEVER_SET_VAR}"';
        const insert = new vscode.WorkspaceEdit();
        insert.insert(cell.document.uri, end, added);
        assert(await vscode.workspace.applyEdit(insert), 'the edit applied');
        await waitFor(() => undefinedHere().length > 0, 30_000, 'a diagnostic for the variable typed into the cell');
        const d = undefinedHere()[0]!;
        assert(d.range.start.line === end.line + 1, `the finding is on the new line ${end.line + 1}: line ${d.range.start.line}`);
        const remove = new vscode.WorkspaceEdit();
        remove.delete(cell.document.uri, new vscode.Range(end, cell.document.positionAt(cell.document.offsetAt(end) + added.length)));
        assert(await vscode.workspace.applyEdit(remove), 'the undo applied');
        await waitFor(() => undefinedHere().length === 0, 30_000, 'the finding gone once the line is removed');
        await nb.save();
      },
    },
  ];
}
