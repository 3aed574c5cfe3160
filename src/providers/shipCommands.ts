// What ships with the extension: "Open Sample Runbooks" copies the samples and their drill scenarios out of
// the install folder into a folder the user picks; "Install Command-Line Tool" puts `runbook` on the PATH;
// "Verify Record" is `runbook verify` on the saved record.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { installLauncher } from '../core/install/cliLauncher.js';
import { verifyText, type VerifyReport } from '../core/seal/verifyText.js';
import { copySamples, type CopyResult } from '../core/samples/copySamples.js';
import { NOTEBOOK_TYPE } from '../notebook/runbookSerializer.js';
import { toUri } from '../incident/activeRunbook.js';

/** Scripted use (walkthrough tests, tasks): `{ folder }` skips the folder dialog; `{ open: false }` opens nothing. */
interface SamplesArgs { folder?: vscode.Uri | string; open?: boolean }

async function openSamples(extensionUri: vscode.Uri, arg?: unknown): Promise<CopyResult | undefined> {
  const args = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as SamplesArgs;
  const folder = toUri(args.folder) ?? (await vscode.window.showOpenDialog({
    title: 'Open Sample Runbooks: choose a folder to copy the samples and their drill scenarios into',
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Copy Samples Here',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
  }))?.[0];
  if (!folder) return undefined;
  let result: CopyResult;
  try {
    result = copySamples(vscode.Uri.joinPath(extensionUri, 'samples').fsPath, folder.fsPath);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not copy the samples: ${(e as Error).message}`);
    return undefined;
  }
  const kept = result.kept.length ? ` (${result.kept.length} files already there were left as they were)` : '';
  const first = vscode.Uri.joinPath(folder, result.runbooks.find((r) => r.startsWith('cvd-incident')) ?? result.runbooks[0]!);
  if (args.open === false) return result;
  const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
  if (inWorkspace || !vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage(`Copied ${result.copied.length} files to ${folder.fsPath}${kept}. Try "Runbook: Start Tabletop Drill" on a sample.`);
    if (inWorkspace) await vscode.commands.executeCommand('vscode.openWith', first, NOTEBOOK_TYPE);
    else await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: false });
    return result;
  }
  // Another workspace is open: the user chooses how to open the samples' folder.
  const choice = await vscode.window.showInformationMessage(`Copied ${result.copied.length} files to ${folder.fsPath}${kept}.`,
    'Open Folder', 'Open in New Window', 'Add to Workspace');
  if (choice === 'Add to Workspace') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders.length, 0, { uri: folder });
    await vscode.commands.executeCommand('vscode.openWith', first, NOTEBOOK_TYPE);
  } else if (choice) await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: choice === 'Open in New Window' });
  return result;
}

async function installCli(extensionUri: vscode.Uri): Promise<string | undefined> {
  try {
    const r = installLauncher({
      cliPath: vscode.Uri.joinPath(extensionUri, 'dist', 'cli.js').fsPath,
      runtime: process.execPath, home: homedir(), pathEnv: process.env.PATH ?? '',
    });
    const what = `${r.replaced ? 'Updated' : 'Installed'} the runbook command in ${r.file}.`;
    if (r.pathHint) {
      const copy = await vscode.window.showWarningMessage(`${what} That folder is not on your PATH yet: ${r.pathHint}`, 'Copy PATH Line');
      if (copy) await vscode.env.clipboard.writeText(r.pathHint.replace(/\s+\(.*$/, ''));
    } else void vscode.window.showInformationMessage(`${what} Open a new terminal and run: runbook --help`);
    return r.file;
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not install the runbook command: ${(e as Error).message}`);
    return undefined;
  }
}

let verifyOutput: vscode.OutputChannel | undefined;

/** Verifies the saved file (what `runbook verify` sees); unsaved edits are not part of the record yet. */
async function verifyRecordCommand(arg?: unknown): Promise<VerifyReport | undefined> {
  const given = arg instanceof vscode.Uri ? arg : toUri((arg as { uri?: vscode.Uri | string } | undefined)?.uri);
  const uri = given ?? vscode.window.activeNotebookEditor?.notebook.uri ?? vscode.window.activeTextEditor?.document.uri
    ?? (await vscode.window.showOpenDialog({ title: 'Verify Record', canSelectMany: false, filters: { Runbooks: ['md'] } }))?.[0];
  if (!uri) return undefined;
  const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  const report = verifyText(text);
  const dirty = vscode.workspace.notebookDocuments.some((nb) => nb.uri.toString() === uri.toString() && nb.isDirty);
  const name = vscode.workspace.asRelativePath(uri);
  verifyOutput ??= vscode.window.createOutputChannel('Runbook Verify');
  verifyOutput.appendLine(`runbook verify ${name}`);
  for (const line of report.lines) verifyOutput.appendLine(`${name}: ${line}`);
  const unsaved = dirty ? ' (the saved file: unsaved changes are not checked)' : '';
  if (report.ok) void vscode.window.showInformationMessage(`${name}${unsaved}: ${report.lines.join(' · ')}`);
  else {
    const more = report.lines.length > 1 ? ` (+${report.lines.length - 1} more in the output)` : '';
    void vscode.window.showErrorMessage(`${name}${unsaved} does not verify: ${report.lines[0]}${more}`, 'Show All').then((c) => c && verifyOutput?.show());
  }
  return report;
}

export function registerShipCommands(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('runbook.openSamples', (arg?: unknown) => openSamples(extensionUri, arg)),
    vscode.commands.registerCommand('runbook.installCli', () => installCli(extensionUri)),
    vscode.commands.registerCommand('runbook.verifyRecord', verifyRecordCommand),
    { dispose: () => { verifyOutput?.dispose(); verifyOutput = undefined; } },
  );
}
