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
        assert(host.range.start.line === 6, `unknown host on line 7 (0-based 6), got ${host.range.start.line}`);
        const text = RUNBOOK.split('\n')[6]!;
        assert(text.slice(host.range.start.character, host.range.end.character).includes('wbe'), `range covers "wbe": ${text.slice(host.range.start.character, host.range.end.character)}`);
        assert(all.some((d) => d.severity === vscode.DiagnosticSeverity.Information && /systemctl restart/.test(d.message)),
          'information: destructive command without confirm=true');
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
  ];
}
