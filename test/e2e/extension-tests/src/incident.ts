// An incident record inside a real VS Code (issue 6 §1, §3, §6; issue 13 §3, §7): "Start Incident from
// Runbook" copies the runbook to incidents/ with its `incident:` front matter and opens it (the runbook stays
// clean); a timeline note shows at once in the Timeline & Log view and is saved; a dry run is recorded only
// when asked; Resolve asks for summary, impact and root cause (answered in the browser) and the export opens
// with them.
import * as vscode from 'vscode';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseRunbook } from '../../../../src/core/format/index.js';
import { sealState } from '../../../../src/core/seal/verifySeal.js';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, waitFor } from './check.js';
import { logRows, screenshot, type Test } from './cells.js';

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
        // The note shows at once in the Timeline & Log view.
        const shot = await screenshot(config, 'timeline.png', ['Decision: fail over to the primary', 'started (P2)']);
        assert(shot.ok, `screenshot: ${shot.error}`);
        const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString())!;
        // A dry run writes nothing unless asked to record it.
        await vscode.commands.executeCommand('runbook.dryRun', { uri: record, record: false });
        assertEqual(logRows(nb).length, saved.length, 'log rows after a dry run not recorded');
        await vscode.commands.executeCommand('runbook.dryRun', { uri: record, record: true });
        await waitFor(() => !nb.isDirty, 10_000, 'the record to be saved after the recorded dry run');
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
    {
      name: 'incident: Resolve asks for summary, impact and root cause (answered in the browser, impact skipped); the HTML export opens with them, the timeline and the log (test-results/resolve.png)',
      run: async () => {
        assert(record, 'no record');
        const nb = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString())!;
        await vscode.commands.executeCommand('runbook.resolveIncident', { uri: record });
        await waitFor(() => !nb.isDirty, 10_000, 'the record to be saved');
        const text = await fs.readFile(record.fsPath, 'utf8');
        assert(/\*\*Executive summary\*\*: Restarted the service; typed in the browser\./.test(text), 'the typed summary is in the report');
        assert(/\*\*Root cause\*\*: Worker OOM kill; typed in the browser\./.test(text), 'the typed root cause is in the report');
        assert(/\*\*Impact\*\*[^:\n]*: _…_/.test(text), 'the skipped impact stays a field to fill in');
        const target = path.join(config.workspace, config.scratch, 'incident-report.html');
        await vscode.commands.executeCommand('runbook.exportHtml', { uri: record, target });
        const html = await fs.readFile(target, 'utf8');
        const order = ['Restarted the service; typed in the browser.', '<h3>Timeline</h3>', '<h2>Execution log</h2>', '<h2>Steps</h2>'].map((t) => html.indexOf(t));
        assert(order.every((i) => i > 0) && order.every((v, i) => i === 0 || v > order[i - 1]!), `summary, timeline, log, then the steps: ${JSON.stringify(order)}`);
        assert(/<details class="cell runnable not-run">/.test(html), 'steps never run are folded');
      },
    },
  ];
}
