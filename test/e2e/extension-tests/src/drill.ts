// A tabletop drill of the CVD sample inside a real VS Code (issue 6 §8, issue 13 §6): start the drill from the
// sample (the driver picks the scenario in the browser), see the briefing banner, run the initial assessment
// (the service is reported down), run the stabilization (a destructive cell: the driver answers the
// confirmation in the browser), see it healthy, resolve, export (HTML and PDF), end the drill: the clock
// stops, the record is closed with the drill report and the scenario is torn down.
import * as vscode from 'vscode';
import { promises as fs, existsSync } from 'node:fs';
import * as path from 'node:path';
import { drillProcesses } from '../../../../src/core/drill/processes.js';
import { parseRunbook } from '../../../../src/core/format/index.js';
import { incidentClock } from '../../../../src/core/incident/clock.js';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, settle, trace, waitFor } from './check.js';
import { cellNamed, logRows, outputsOf, printed, runCells, screenshot, savedOutputBlocks, type Test } from './cells.js';

const SCENARIO = 'cvd-incident-response/service-down';

function must(cond: boolean, what: string, text: string): void {
  if (!cond) throw new Error(`${what}; it printed:\n${text.length > 3000 ? text.slice(0, 3000) + '…' : text}`);
}

export function drillTests(config: E2eConfig): Test[] {
  if (!config.drillSample) return [];
  const sample = vscode.Uri.file(path.join(config.workspace, config.drillSample));
  let record: vscode.Uri | undefined;
  let state: string | undefined;
  let incidentId: string | undefined;
  const recordDoc = (): vscode.NotebookDocument => {
    assert(record, 'no drill record (starting the drill failed)');
    const doc = vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === record!.toString());
    assert(doc, `the drill record ${record.fsPath} is not open`);
    return doc;
  };
  const read = () => fs.readFile(record!.fsPath, 'utf8');

  return [
    {
      name: `drill: runbook.startDrill on ${config.drillSample} asks for the scenario (picked in the browser), sets up ${SCENARIO}, writes a drill record with the briefing banner to incidents/ and opens it (test-results/drill-banner.png)`,
      run: async () => {
        const before = await fs.readFile(sample.fsPath);
        await vscode.workspace.openNotebookDocument(sample);
        const t0 = Date.now();
        const uri = await vscode.commands.executeCommand<unknown>('runbook.startDrill', { uri: sample });
        trace(`startDrill returned ${String(uri)} after ${Date.now() - t0} ms`);
        assert(uri instanceof vscode.Uri, `runbook.startDrill returned ${JSON.stringify(uri)}, not a Uri`);
        record = uri;
        const incidents = path.join(config.workspace, 'incidents');
        assertEqual(path.dirname(uri.fsPath), incidents, 'folder of the drill record');
        assert(/^DRILL-CVD-\d{8}-\d{4}.*\.runbook\.md$/.test(path.basename(uri.fsPath)), `record file name ${path.basename(uri.fsPath)}`);
        assert(existsSync(uri.fsPath), 'the record file was not written');
        await waitFor(() => vscode.window.activeNotebookEditor?.notebook.uri.toString() === uri.toString(), 45_000,
          'the drill record to open in the notebook editor');
        await settle();
        const text = await read();
        const fm = text.slice(0, text.indexOf('\n---\n', 4));
        incidentId = /\n {2}id: (DRILL-CVD-\d{8}-\d{4})\n/.exec(fm)?.[1];
        assert(incidentId, `no incident id in the record's front matter:\n${fm.slice(0, 1500)}`);
        for (const want of ['drill: true', `scenario: ${SCENARIO}`, 'severity: P0', 'status: open']) {
          assert(fm.includes(want), `the record's front matter lacks "${want}"`);
        }
        state = /(\/\S*runbook-drill-[^/\s]+)\/opt\/cvd\/data/.exec(fm)?.[1];
        assert(state && existsSync(state), `the drill state directory (from DATA_DIR) ${state} does not exist`);
        assert(drillProcesses(state).length >= 1, 'the drill service is not running');
        assert(!text.includes('drill-service-key'), 'a drill secret was written into the record');
        assert((await fs.readFile(sample.fsPath)).equals(before), 'the sample runbook changed');
        // The briefing: a banner at the top of the record and the first row of its log.
        assert(/^---[\s\S]*?\n---\n<!-- runbook:drill-briefing -->\n> \*\*🧪 DRILL — tabletop exercise\.\*\*/.test(text), 'the banner opens the record');
        const first = parseRunbook(text).log?.rows[0];
        assertEqual(first?.event, 'drill-start', 'first log row');
        assert(first?.detail?.startsWith(`scenario ${SCENARIO}: `), `the briefing is in the log: ${first?.detail}`);
        await vscode.commands.executeCommand('runbook.showTimeline');
        await vscode.commands.executeCommand('notebook.focusTop');
        const shot = await screenshot(config, 'drill-banner.png', ['DRILL — tabletop exercise', 'Briefing:', 'Drill briefing: scenario']);
        assert(shot.ok, `screenshot: ${shot.error}`);
      },
    },
    {
      name: 'drill: the initial assessment reports the service down (failed, 503); the record is saved after the run',
      run: async () => {
        const doc = recordDoc();
        const cell = cellNamed(doc, 'initial-assessment');
        await runCells(doc, [cell], 60_000);
        const text = printed(cell);
        must(/^failed\n❌ CVD service is down\n/m.test(text), 'systemctl should say "failed" and the cell "❌ CVD service is down"', text);
        must(text.includes('The requested URL returned error: 503'), 'curl should get a 503 from /health', text);
        must(text.includes('❌ Health check failed'), 'the health check should fail', text);
        must(text.includes('Perhaps out of memory?'), 'the error log should show the OOM kills', text);
        const meta = outputsOf(cell)[0]?.meta;
        assertEqual(meta?.cell, 'initial-assessment', 'meta.cell');
        assert(String(meta?.host).includes('drill cvd-prod'), `meta.host ${JSON.stringify(meta?.host)} should name the drill target`);
        // Incident records are saved after every run (setting runbook.incidents.saveAfterRun, on by default).
        await waitFor(() => !doc.isDirty, 10_000, 'the record to be saved after the run');
        const saved = savedOutputBlocks(await read()).map((b) => b.cell);
        assert(saved.includes('initial-assessment'), `the saved record has no output of initial-assessment: ${JSON.stringify(saved)}`);
      },
    },
    {
      name: 'drill: the stabilization asks first (modal, answered "Run" in the browser) and restarts the service (test-results/drill.png)',
      run: async () => {
        const doc = recordDoc();
        const cell = cellNamed(doc, 'immediate-stabilization');
        await runCells(doc, [cell], 90_000);
        const text = printed(cell);
        must(text.includes('=== Attempting Service Restart ===\n✅ Service restarted successfully\n'), 'the service should restart', text);
        must(text.includes('✅ Health check passed'), 'the health check after the restart should pass', text);
        assertEqual(cell.executionSummary?.success, true, 'executionSummary.success');
        const events = logRows(doc).filter((r) => r.cell === 'immediate-stabilization').map((r) => `${r.event}:${r.exit ?? ''}`);
        assertEqual(JSON.stringify(events), JSON.stringify(['confirm:', 'run:0']), 'log rows of immediate-stabilization');
        const editor = vscode.window.activeNotebookEditor;
        assert(editor?.notebook === doc, 'the drill record is not the active notebook editor');
        editor.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.AtTop);
        const shot = await screenshot(config, 'drill.png', ['Service restarted successfully', 'Health check passed']);
        assert(shot.ok, `screenshot: ${shot.error}`);
      },
    },
    {
      name: 'drill: a status check afterwards shows the service healthy',
      run: async () => {
        const doc = recordDoc();
        const cell = cellNamed(doc, 'status-check-commands');
        await runCells(doc, [cell], 60_000);
        const text = printed(cell);
        must(/^active\nactive\n\{\n {2}"status": "healthy"/m.test(text), 'cvd and nginx should be active and /health healthy', text);
        assertEqual(cell.executionSummary?.success, true, 'executionSummary.success');
      },
    },
    {
      name: 'drill: runbook.resolveIncident writes status resolved and the post-incident report into the record',
      run: async () => {
        const doc = recordDoc();
        await vscode.commands.executeCommand('runbook.resolveIncident', { uri: record, status: 'resolved' });
        await waitFor(() => !doc.isDirty, 10_000, 'the record to be saved');
        const text = await read();
        const fm = text.slice(0, text.indexOf('\n---\n', 4));
        assert(/\n {2}status: resolved\n/.test(fm), `front matter status is not "resolved":\n${fm.slice(0, 1500)}`);
        assert(/\n {2}(ended|resolved): /.test(fm), 'the front matter has no end time');
        assert(text.includes('<!-- runbook:report'), 'the record has no <!-- runbook:report section');
        assert(text.includes('## Post-incident report (drill)'), 'the report is not marked as a drill report');
        assert(/### Drill: time to each step[\s\S]*\| Stabilize \| `immediate-stabilization` \|/.test(text), 'the drill report lacks the stabilization step');
        assert(/\*\*Time to recovery\*\*: \+\d\d:\d\d, target 15:00: met\./.test(text), 'the drill report lacks the time to recovery against the P0 target');
        const rows = logRows(doc).map((r) => r.event);
        assert(rows.includes('resolve'), `no resolve row in the log: ${JSON.stringify(rows)}`);
      },
    },
    {
      name: 'drill: runbook.exportHtml writes a self-contained HTML file with the incident id and the timeline',
      run: async () => {
        assert(record && incidentId, 'no drill record');
        const target = path.join(config.workspace, config.scratch, 'drill.html');
        await vscode.commands.executeCommand('runbook.exportHtml', { uri: record, target });
        assert(existsSync(target), `${target} was not written`);
        const html = await fs.readFile(target, 'utf8');
        assert(html.includes(incidentId), `the HTML does not mention ${incidentId}`);
        assert(html.includes('<h3>Timeline</h3>'), 'the HTML has no timeline');
        assert(/Ran <code>initial-assessment<\/code> on .*\(drill cvd-prod\) → exit 0/.test(html), 'the timeline lacks the initial assessment');
        assert(html.includes('Confirmed <code>immediate-stabilization</code>'), 'the timeline lacks the confirmation');
        assert(html.includes('❌ CVD service is down'), 'the HTML lacks the outputs');
        assert(html.includes('<span class="badge drill">DRILL</span>'), 'the HTML is not marked as a drill');
        assert(!/<(script|link)\b[^>]*\b(src|href)=["']https?:/i.test(html), 'the HTML loads remote resources');
        // The PDF: the driver turns its pages into PNGs (test-results/report-page-*.png) to look at.
        await vscode.commands.executeCommand('runbook.exportPdf', { uri: record, target: config.reportPdf });
        assert(existsSync(config.reportPdf), `${config.reportPdf} was not written`);
      },
    },
    {
      name: 'drill: runbook.endDrill stops the clock, closes the record with the drill report and tears the scenario down; the record then refuses to run cells',
      run: async () => {
        assert(record && state, 'no drill record');
        const doc = recordDoc();
        await vscode.commands.executeCommand('runbook.endDrill', { uri: record });
        await waitFor(() => !existsSync(state!), 15_000, 'the drill state directory to be removed');
        assertEqual(JSON.stringify(drillProcesses(state)), '[]', 'drill processes left');
        const ended = parseRunbook(await read());
        const clock = incidentClock(ended.frontMatter?.data, new Date(Date.now() + 3600_000));
        assert(clock?.stopped, 'the clock stopped (the record has an end time)');
        assertEqual(ended.log?.rows.filter((r) => r.event === 'drill-end').length, 1, 'drill-end rows');
        assert((await read()).includes('**Drill ended**: scenario cvd-incident-response/service-down torn down'), 'the end is in the report timeline');
        assert((await read()).includes('### Drill: time to each step'), 'the drill report is in the record');
        const cell = cellNamed(doc, 'status-check-commands');
        await runCells(doc, [cell], 30_000);
        const last = logRows(doc).filter((r) => r.cell === 'status-check-commands').pop();
        assertEqual(last?.event, 'refuse', 'last log row of status-check-commands after the drill ended');
        assertEqual(cell.executionSummary?.success, false, 'the refused cell is marked failed (✗), not with its earlier ✓');
        assert(printed(cell).includes('Not run') && printed(cell).includes('Start Tabletop Drill'), `the cell says why it did not run: ${printed(cell).slice(0, 300)}`);
        assert(!printed(cell).includes('"status": "healthy"'), 'the earlier output is not shown as current');
      },
    },
  ];
}
