// Cheap activation (issue 10 §6): a plain markdown file must not start the runbook language server; the
// server starts once a runbook opens. Checked through the extension's API and the process table (a node
// process running the extension's dist/server.js).
import * as vscode from 'vscode';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert, settle, trace, waitFor } from './check.js';
import type { Test } from './cells.js';

interface RunbookApi {
  languageServerStarted(): boolean;
  languageClientIndexed(): string[];
}

/** Command lines of the processes running the extension's language server. */
function serverProcesses(extensionPath: string): string[] {
  const server = path.join(extensionPath, 'dist', 'server.js');
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(server)) found.push(`${pid}: ${cmd}`);
    } catch {
      // the process ended meanwhile
    }
  }
  return found;
}

async function api(config: E2eConfig): Promise<{ api: RunbookApi; extensionPath: string }> {
  const ext = vscode.extensions.getExtension<RunbookApi>(config.extensionId);
  assert(ext, `extension ${config.extensionId} not installed`);
  const exports = await ext.activate();
  assert(typeof exports?.languageServerStarted === 'function', 'activate() returns the languageServerStarted API');
  return { api: exports, extensionPath: ext.extensionPath };
}

/** Must run before any runbook is opened. */
export function plainMarkdownTests(config: E2eConfig): Test[] {
  return [{
    name: 'activation: opening a plain README.md starts no language server process',
    run: async () => {
      const file = path.join(config.workspace, config.scratch, 'README.md');
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, '# Notes\n\nNot a runbook.\n\n```bash\necho hi\n```\n');
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const { api: ext, extensionPath } = await api(config);
      await settle(); // a client would have spawned its server by now
      const running = serverProcesses(extensionPath);
      trace(`language server processes after README.md: ${running.length}`);
      assert(!ext.languageServerStarted(), 'the extension started its language client for a plain README.md');
      assert(running.length === 0, `a language server process runs for a plain README.md: ${running.join(' | ')}`);
    },
  }];
}

/** Runs after the language server tests: the probe above does see a running server. */
export function serverStartedTests(config: E2eConfig): Test[] {
  return [{
    name: 'activation: once a runbook is open, the language server process runs',
    run: async () => {
      const { api: ext, extensionPath } = await api(config);
      assert(ext.languageServerStarted(), 'the language client started for an open runbook');
      await waitFor(() => serverProcesses(extensionPath).length > 0, 30_000, 'a process running dist/server.js');
      // The bundled vscode-languageclient's notebook sync answers from the cell index (issue 17).
      const indexed = ext.languageClientIndexed().join(' ');
      assert(indexed === 'languages.match findNotebookDocumentAndCell didChangeNotebookCellTextDocument', `the client's notebook sync is indexed: "${indexed}"`);
    },
  }];
}
