// Starts the runbook language server (dist/server.js, built from src/lsp/server.ts) for `*.runbook.md`
// text editors and for the cells of `runbook` notebooks (the server asks for notebook sync itself).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { notebookMiddleware } from './lspNotebookMiddleware.js';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function startLanguageClient(context: vscode.ExtensionContext): vscode.Disposable {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/*.runbook.md' },
      { notebook: 'runbook', language: '*' },
    ],
    diagnosticCollectionName: 'runbook',
    middleware: { notebooks: notebookMiddleware },
  };
  const client = new LanguageClient('runbook', 'Runbook language server', serverOptions, clientOptions);
  client.start().catch((e: unknown) => {
    void vscode.window.showWarningMessage(`Runbook checks are unavailable: the language server did not start (${String(e)}).`);
  });
  return new vscode.Disposable(() => {
    if (client.needsStop()) void client.stop();
  });
}
