// A test extension that runs inside code-server's extension host and checks the Runbook Notebooks
// extension through the real `vscode` API. It does nothing unless RUNBOOK_E2E_CONFIG names a config file
// (written by test/e2e/run-extension-tests.ts); it writes its results as JSON to the file the config names.
import * as vscode from 'vscode';
import { promises as fs, existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig, E2eResults, TestResult } from '../../protocol.js';
import { plainMarkdownTests, serverStartedTests } from './activation.js';
import { assert, assertEqual, compareCells, settle, trace, waitFor, withTimeout } from './check.js';
import { alertLinkTests } from './alertLink.js';
import { diskGuardTests } from './diskGuard.js';
import { drillTests } from './drill.js';
import { httpBodyTests } from './httpBody.js';
import { kernelTests } from './kernel.js';
import { incidentTests } from './incident.js';
import { lspTests } from './lsp.js';
import { promptTests } from './prompt.js';
import { queueTests, setLogsHome } from './queue.js';
import { recordUxTests } from './recordUx.js';
import { streamTests } from './stream.js';

import type { Test } from './cells.js';

export function activate(context: vscode.ExtensionContext): void {
  setLogsHome(context.logUri);
  const configPath = process.env.RUNBOOK_E2E_CONFIG;
  if (!configPath || !existsSync(configPath)) return;
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as E2eConfig;
  // Let the workbench settle before driving it.
  setTimeout(() => void runAll(config), 1000);
}

export function deactivate(): void {}

async function runAll(config: E2eConfig): Promise<void> {
  const results: TestResult[] = [];
  const write = async (done: boolean) => {
    const body = { vscodeVersion: vscode.version, done, results };
    await fs.writeFile(config.resultFile + '.tmp', JSON.stringify(body as E2eResults, null, 2));
    await fs.rename(config.resultFile + '.tmp', config.resultFile);
  };
  // E2E_ONLY=text runs only the tests whose name holds it (a quick look at one area; the driver's own checks
  // then report what did not happen).
  const only = process.env.E2E_ONLY;
  for (const t of tests(config).filter((x) => !only || x.name.includes(only))) {
    const started = Date.now();
    trace(`test: ${t.name}`);
    try {
      await withTimeout(t.run(), 120_000, t.name);
      results.push({ name: t.name, ok: true, ms: Date.now() - started });
    } catch (e) {
      const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      results.push({ name: t.name, ok: false, ms: Date.now() - started, error });
    }
    await write(false);
  }
  await closeAll();
  await write(true);
}

function uriOf(config: E2eConfig, rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(config.workspace, rel));
}

/**
 * Leaves the workbench empty for the driver's UI test: reverts notebooks a failed test left dirty (closing a
 * dirty editor would block on a dialog), then closes every editor. Tests do not close editors between them:
 * in code-server 1.100, showNotebookDocument right after closeAllEditors takes 30 s (seen with ipynb too).
 */
async function closeAll(): Promise<void> {
  try {
    for (const nb of vscode.workspace.notebookDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showNotebookDocument(nb);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    trace('closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const left = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    if (left.length) await vscode.window.tabGroups.close(left);
    trace(`closed (${left.length} tabs needed a second try)`);
  } catch (e) {
    trace(`closing editors failed: ${String(e)}`);
  }
}


/** Waits for a notebook editor on `uri` to become active (longer than one 30 s stall, see settle). */
async function activeNotebookOn(uri: vscode.Uri, what: string): Promise<vscode.NotebookEditor> {
  await waitFor(() => vscode.window.activeNotebookEditor?.notebook.uri.fsPath === uri.fsPath, 45_000, what);
  await settle();
  return vscode.window.activeNotebookEditor!;
}

async function open(config: E2eConfig, file: string, show: boolean): Promise<vscode.NotebookDocument> {
  trace(`openNotebookDocument ${file}`);
  const doc = await vscode.workspace.openNotebookDocument(uriOf(config, file));
  if (show) {
    trace(`showNotebookDocument ${file}`);
    await vscode.window.showNotebookDocument(doc);
    trace(`shown ${file}`);
    await settle();
  }
  return doc;
}

function tests(config: E2eConfig): Test[] {
  const list: Test[] = [];
  list.push({
    name: 'extension is installed, contributes the runbook notebook and activates',
    run: async () => {
      const ext = vscode.extensions.getExtension(config.extensionId);
      assert(ext, `extension ${config.extensionId} not installed`);
      const notebooks = (ext.packageJSON?.contributes?.notebooks ?? []) as { type: string }[];
      assert(notebooks.some((n) => n.type === config.notebookType), 'contributes.notebooks lacks the runbook type');
      await ext.activate();
      assert(ext.isActive, 'extension did not become active');
      const commands = await vscode.commands.getCommands(true);
      assert(commands.includes('runbook.openAsRunbook'), 'command runbook.openAsRunbook not registered');
    },
  });

  // Before any runbook opens: a plain markdown file starts no language server.
  list.push(...plainMarkdownTests(config));

  // Only a few tests open editors (see settle); the model checks need no editor.
  config.notebooks.forEach((nb, i) => {
    const show = i === 0;
    list.push({
      name: `opens ${nb.file} as a runbook notebook with the core parser's cells${show ? ' (shown in an editor)' : ''}`,
      run: async () => {
        const doc = await open(config, nb.file, show);
        assertEqual(doc.notebookType, config.notebookType, 'notebookType');
        compareCells(doc, nb.cells);
        if (show) {
          const editor = vscode.window.activeNotebookEditor;
          assert(editor && editor.notebook === doc, 'notebook is not the active notebook editor');
        }
      },
    });
  });

  config.saveChecks.forEach((file, i) => {
    const show = i === 0;
    list.push({
      name: `saving ${file} without edits, and after an edit that is undone, keeps its bytes${show ? ' (Ctrl+S in an editor)' : ''}`,
      run: async () => {
        const uri = uriOf(config, file);
        const before = await fs.readFile(uri.fsPath);
        const doc = await open(config, file, show);
        assert(!doc.isDirty, 'notebook is dirty right after opening');
        // The user pressing Ctrl+S on the untouched notebook.
        if (show) await vscode.commands.executeCommand('workbench.action.files.save');
        assert(await doc.save(), 'NotebookDocument.save() returned false');
        await sameBytes(uri, before, 'after saving without edits');
        // Change a cell and change it back: the notebook is dirty, so saving serializes the whole model.
        const cell = doc.cellAt(0).document;
        const original = cell.getText();
        await replaceText(cell, original + ' e2e');
        await waitFor(() => doc.isDirty, 5000, 'the notebook to become dirty');
        await replaceText(cell, original);
        assert(doc.isDirty, 'notebook not dirty after two edits');
        if (show) await vscode.commands.executeCommand('workbench.action.files.save');
        else assert(await doc.save(), 'NotebookDocument.save() returned false');
        await waitFor(() => !doc.isDirty, 5000, 'the save to finish');
        await sameBytes(uri, before, 'after an edit was reverted and the notebook saved');
      },
    });
  });

  for (const nb of config.notebooks.filter((n) => n.edit)) {
    const edit = nb.edit!;
    list.push({
      name: `editing one code cell of ${nb.file} changes only that cell's bytes`,
      run: async () => {
        const uri = uriOf(config, nb.file);
        const doc = await open(config, nb.file, false);
        const codeCells = doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
        const cell = codeCells[edit.codeIndex];
        assert(cell, `no code cell #${edit.codeIndex}`);
        await replaceText(cell.document, edit.newSource);
        await waitFor(() => doc.isDirty, 5000, 'notebook to become dirty after the edit');
        assert(await doc.save(), 'save failed');
        const after = await fs.readFile(uri.fsPath, 'utf8');
        if (after !== edit.expectedText) {
          throw new Error(`saved file differs from expected:\n${firstDiff(Buffer.from(edit.expectedText), Buffer.from(after))}`);
        }
      },
    });
  }

  list.push({
    name: 'vscode.open on a *.runbook.md opens the runbook notebook editor by default',
    run: async () => {
      const uri = uriOf(config, config.defaultOpen);
      assert(!vscode.workspace.notebookDocuments.some((d) => d.uri.fsPath === uri.fsPath), 'already open');
      await vscode.commands.executeCommand('vscode.open', uri);
      const editor = await activeNotebookOn(uri, 'the notebook editor to open');
      assertEqual(editor.notebook.notebookType, config.notebookType, 'notebookType');
    },
  });

  list.push({
    name: 'runbook.openAsRunbook opens a plain .md file as a runbook notebook',
    run: async () => {
      const nb = config.plainMarkdown;
      const uri = uriOf(config, nb.file);
      const text = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(text);
      assert(!vscode.window.activeNotebookEditor, 'a notebook editor is active before the command');
      await vscode.commands.executeCommand('runbook.openAsRunbook', uri);
      const doc = (await activeNotebookOn(uri, 'the plain .md file to open as a notebook')).notebook;
      assertEqual(doc.notebookType, config.notebookType, 'notebookType');
      compareCells(doc, nb.cells);
    },
  });

  list.push({
    name: 'runbook.openAsRunbook without an argument opens the active .md editor as a notebook',
    run: async () => {
      const uri = uriOf(config, config.plainMarkdownNoArg);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      assertEqual(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath, 'active text editor');
      await vscode.commands.executeCommand('runbook.openAsRunbook');
      const editor = await activeNotebookOn(uri, 'the active .md file to open as a notebook');
      assertEqual(editor.notebook.notebookType, config.notebookType, 'notebookType');
    },
  });

  // Running cells through the real controller, then a tabletop drill of the CVD sample.
  list.push(...kernelTests(config), ...drillTests(config), ...incidentTests(config), ...lspTests(config), ...serverStartedTests(config), ...streamTests(config), ...promptTests(config),
    ...diskGuardTests(config), ...httpBodyTests(config), ...recordUxTests(config), ...queueTests(config), ...alertLinkTests(config));
  return list;
}

async function replaceText(doc: vscode.TextDocument, text: string): Promise<void> {
  const we = new vscode.WorkspaceEdit();
  we.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  assert(await vscode.workspace.applyEdit(we), 'applyEdit failed');
}

async function sameBytes(uri: vscode.Uri, expected: Buffer, when: string): Promise<void> {
  const actual = await fs.readFile(uri.fsPath);
  if (!actual.equals(expected)) throw new Error(`file bytes changed ${when}:\n${firstDiff(expected, actual)}`);
}

function firstDiff(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 80);
  const show = (x: Buffer) => JSON.stringify(x.subarray(from, i + 80).toString('utf8'));
  return `first difference at byte ${i} (lengths ${a.length} vs ${b.length})\nexpected: ${show(a)}\nactual:   ${show(b)}`;
}
