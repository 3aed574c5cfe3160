// Issue 15 in a real VS Code: an alert's link goes through code-server's own route for `vscode://` links
// (`vscode.env.asExternalUri` of a `<uriScheme>://<extension id>/incident?…` URI gives its /callback URL; the
// driver opens that URL in a new browser tab, as a person clicking the link) into the extension's registered
// URI handler; the person confirms in the modal (the driver clicks "Start Incident"); the incident record is
// written with the labels and nothing runs. Then a range PromQL cell of that record shows its chart in the
// notebook (an image/svg+xml output item) and writes the image line into the saved record.
import * as vscode from 'vscode';
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig, UiReply, UiRequest } from '../../protocol.js';
import { assert, assertEqual, trace, waitFor } from './check.js';
import { cellNamed, logRows, outputsOf, runCells, screenshot, showNotebook, type Test } from './cells.js';
import { parseRunbook } from '../../../../src/core/format/index.js';

async function openInBrowser(config: E2eConfig, url: string): Promise<UiReply> {
  const id = `open-url-${Date.now()}`;
  const req: UiRequest = { id, kind: 'open-url', file: '', url };
  const reqFile = path.join(config.uiRequests, `${id}.request.json`);
  await fs.writeFile(reqFile + '.tmp', JSON.stringify(req));
  await fs.rename(reqFile + '.tmp', reqFile);
  const replyFile = path.join(config.uiRequests, `${id}.reply.json`);
  await waitFor(() => existsSync(replyFile), 60_000, 'the driver to open the link');
  return JSON.parse(readFileSync(replyFile, 'utf8')) as UiReply;
}

export function alertLinkTests(config: E2eConfig): Test[] {
  const incidents = path.join(config.workspace, 'incidents');
  const recordsNow = (): string[] => (existsSync(incidents) ? readdirSync(incidents).filter((f) => f.endsWith('.runbook.md')) : []);
  let record: string | undefined;
  return [{
    name: 'alerts: an alert link opened in the browser goes through the URI handler; once confirmed it starts the incident with the labels and runs nothing',
    run: async () => {
      const before = new Set(recordsNow());
      const query = `runbook=${encodeURIComponent(config.alertLink.runbook)}&severity=critical&instance=db1.example%3A9100&mountpoint=%2Fvar%2Flib`;
      const link = vscode.Uri.parse(`${vscode.env.uriScheme}://${config.extensionId}/incident?${query}`);
      const external = await vscode.env.asExternalUri(link);
      trace(`alert link ${link.toString(true)} → ${external.toString(true)}`);
      assert(/^https?:$/.test(`${external.scheme}:`) && external.path.endsWith('/callback'), `code-server's callback route: ${external.toString(true)}`);
      const opened = await openInBrowser(config, external.toString(true));
      assert(opened.ok, `opening the link: ${opened.error}`);
      await waitFor(() => recordsNow().some((f) => !before.has(f)), 90_000, 'the incident record the link starts (after "Start Incident")');
      const file = recordsNow().find((f) => !before.has(f))!;
      record = path.join(incidents, file);
      const text = readFileSync(record, 'utf8');
      const fm = parseRunbook(text).frontMatter?.data;
      const incident = fm?.incident as { severity?: string; alert?: { labels?: Record<string, string>; status?: string } } | undefined;
      assertEqual(incident?.severity, 'critical', 'the severity from the severity label');
      assertEqual(JSON.stringify(incident?.alert?.labels), JSON.stringify({ severity: 'critical', instance: 'db1.example:9100', mountpoint: '/var/lib' }), 'incident.alert.labels');
      assertEqual(fm?.variables?.INSTANCE?.default, 'db1.example:9100', 'INSTANCE filled from the instance label');
      assertEqual(fm?.variables?.MOUNTPOINT?.default, '/var/lib', 'MOUNTPOINT filled from the mountpoint label');
      // Nothing ran: no output block, no log, no marker; the record is open in the notebook editor.
      assert(!text.includes('<!-- runbook:output') && !text.includes('<!-- runbook:log'), 'the new record has no outputs and no log');
      assert(!existsSync(config.alertLink.marker), 'the bash cell did not run');
      await waitFor(() => vscode.window.activeNotebookEditor?.notebook.uri.fsPath === record, 45_000, 'the record to be open');
      const nb = vscode.window.activeNotebookEditor!.notebook;
      assertEqual(logRows(nb).length, 0, 'log rows in the open record');
      assert(nb.getCells().every((c) => c.outputs.length === 0), 'no cell of the open record has an output');
      const source = readFileSync(path.join(config.workspace, config.alertLink.runbook), 'utf8');
      assert(!source.includes('incident:'), 'the runbook itself stays clean');
    },
  }, {
    name: 'alerts: a range PromQL cell shows its chart in the notebook (image/svg+xml) and writes the image line after its output (test-results/promql-chart.png)',
    run: async () => {
      assert(config.alertLink.prometheusUrl, 'no Prometheus for the chart check (the driver says why)');
      assert(record, 'the alert link test made no record');
      const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(record));
      const editor = await showNotebook(nb);
      const cell = cellNamed(nb, 'up-chart');
      await runCells(nb, [cell]);
      const shown = outputsOf(cell);
      // The table, then the chart as an output of its own (VS Code shows one item per output).
      assertEqual(JSON.stringify(shown.map((o) => o.mimes)), JSON.stringify([['text/markdown'], ['image/svg+xml']]), 'the outputs');
      assert(shown[0]!.text.includes('samples') && shown[1]!.text.includes('<polyline'), 'the table and the chart');
      editor.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.AtTop);
      const shot = await screenshot(config, 'promql-chart.png', ['1 series', 'samples']);
      assert(shot.ok, `screenshot: ${shot.error}`);
      await vscode.commands.executeCommand('workbench.action.files.save');
      await waitFor(() => readFileSync(record!, 'utf8').includes('<!-- runbook:log'), 30_000, 'the record to be saved with its log');
      const text = readFileSync(record, 'utf8');
      const folder = path.basename(record).replace(/\.md$/, '');
      assert(text.includes(`\n\n![up-chart: up{job="prometheus"}](${encodeURI(folder)}/up-chart.svg)\n<!-- /runbook:output -->`), 'the image line after the output');
      assert(readFileSync(path.join(path.dirname(record), folder, 'up-chart.svg'), 'utf8').includes('<polyline'), 'the chart beside the record');
      assert(!existsSync(config.alertLink.marker), 'the bash cell still did not run');
    },
  }];
}
