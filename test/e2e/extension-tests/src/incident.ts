// An incident record inside a real VS Code (issue 6 §1, §3, §6): "Start Incident from Runbook" copies the
// runbook to incidents/ with its `incident:` front matter and opens it (the runbook stays clean); a timeline
// note and a dry run are appended to the execution log and the record is saved at once.
import * as vscode from 'vscode';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRunbook } from '../../../../src/core/format/index.js';
import { sealState } from '../../../../src/core/seal/verifySeal.js';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, waitFor } from './check.js';
import { screenshot, type Test } from './cells.js';

export function incidentTests(config: E2eConfig): Test[] {
  const sample = vscode.Uri.file(path.join(config.workspace, 'sme-erp-incident-response.runbook.md'));
  let record: vscode.Uri | undefined;
  const rows = async () => parseRunbook(await fs.readFile(record!.fsPath, 'utf8')).log?.rows ?? [];
  return [
    {
      name: 'incident: runbook.startIncident copies the runbook to incidents/ with incident front matter and opens it; the runbook stays clean',
      run: async () => {
        const before = await fs.readFile(sample.fsPath, 'utf8');
        await vscode.workspace.openNotebookDocument(sample);
        const uri = await vscode.commands.executeCommand<unknown>('runbook.startIncident', { uri: sample, severity: 'P2' });
        assert(uri instanceof vscode.Uri, `runbook.startIncident returned ${JSON.stringify(uri)}, not a Uri`);
        record = uri;
        assertEqual(path.dirname(uri.fsPath), path.join(config.workspace, 'incidents'), 'folder of the record');
        assert(/^SME-\d{8}-\d{4}-.+\.runbook\.md$/.test(path.basename(uri.fsPath)), `record file name ${path.basename(uri.fsPath)}`);
        await waitFor(() => vscode.window.activeNotebookEditor?.notebook.uri.toString() === uri.toString(), 45_000, 'the record to open');
        const fm = parseRunbook(await fs.readFile(uri.fsPath, 'utf8')).frontMatter?.data?.incident;
        assert(fm, 'the record has no incident front matter');
        assertEqual(fm.severity, 'P2', 'severity');
        assertEqual(fm.status, 'open', 'status');
        assert(typeof fm.commander === 'string' && fm.commander.length > 0, 'commander');
        assertEqual(await fs.readFile(sample.fsPath, 'utf8'), before, 'the source runbook');
      },
    },
    {
      name: 'incident: a timeline note and a dry run go into the execution log and the record is saved right away',
      run: async () => {
        assert(record, 'no record (starting the incident failed)');
        await vscode.commands.executeCommand('runbook.addNote', { uri: record, kind: 'decision', text: 'fail over to the primary' });
        await waitFor(() => !vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString())?.isDirty, 10_000, 'the record to be saved');
        let saved = await rows();
        assert(saved.some((r) => r.event === 'note:decision' && r.detail === 'fail over to the primary'), `note row in the saved record: ${JSON.stringify(saved)}`);
        await vscode.commands.executeCommand('runbook.dryRun', { uri: record });
        const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString())!;
        assert(await nb.save(), 'save');
        saved = await rows();
        const dry = saved.filter((r) => r.event === 'dry-run');
        assert(dry.length >= 5, `dry-run rows for the runbook's cells: ${dry.length}`);
        assert(nb.getCells().every((c) => c.outputs.length === 0), 'a dry run runs nothing (no outputs)');
      },
    },
    {
      name: 'seal: Runbook: Seal Record signs the record (ssh-keygen -Y verify accepts it), the status bar names the signer, an edit shows "Seal broken"',
      run: async () => {
        assert(record, 'no record (starting the incident failed)');
        const keyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rb-e2e-seal-'));
        const key = path.join(keyDir, 'id_ed25519');
        assertEqual(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status, 0, 'ssh-keygen');
        await vscode.commands.executeCommand('runbook.sealRecord', { uri: record, key, principal: 'e2e@example.com' });
        const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString())!;
        assert(!nb.isDirty, 'the sealed record is saved');
        const text = await fs.readFile(record.fsPath, 'utf8');
        const state = sealState(text);
        assertEqual(state.state, 'intact', `seal state: ${JSON.stringify(state)}`);
        // The oracle: ssh-keygen checks the signature over the payload (everything before the seal block).
        const payload = text.slice(0, text.lastIndexOf('<!-- runbook:seal '));
        const armor = text.slice(text.indexOf('-----BEGIN SSH SIGNATURE-----'), text.indexOf('-----END SSH SIGNATURE-----') + 27) + '\n';
        await fs.writeFile(path.join(keyDir, 'sig'), armor);
        await fs.writeFile(path.join(keyDir, 'allowed'), `e2e@example.com ${(await fs.readFile(`${key}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ')}\n`);
        const oracle = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', path.join(keyDir, 'allowed'), '-I', 'e2e@example.com', '-n', 'runbook', '-s', path.join(keyDir, 'sig')],
          { input: payload, encoding: 'utf8' });
        assertEqual(oracle.status, 0, `ssh-keygen -Y verify: ${oracle.stdout}${oracle.stderr}`);
        await screenshot(config, 'seal-intact.png', ['Sealed by e2e@example.com']);
        await vscode.commands.executeCommand('runbook.addNote', { uri: record, kind: 'note', text: 'a note after sealing' });
        await waitFor(() => !nb.isDirty, 10_000, 'the record to be saved');
        assertEqual(sealState(await fs.readFile(record.fsPath, 'utf8')).state, 'broken', 'seal state after a note');
        await screenshot(config, 'seal-broken.png', ['Seal broken']);
      },
    },
  ];
}
