// Issue 13 inside a real VS Code: a plain runbook asks where a run belongs (scratch runs are shown, never
// written), cells say where they run before they run, refused/declined/timed-out runs show ✗ and the reason
// instead of an earlier run's output, unnamed cells are named after their heading, the Runbook Context view
// shows hosts, variables (secrets only "set"/"not set") and severity targets, and the Getting Started
// walkthrough opens. Each check asks the driver for a screenshot (test-results/*.png).
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseRunbook } from '../../../../src/core/format/index.js';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, settle } from './check.js';
import { logRows, printed, runCells, screenshot, showNotebook, type Test } from './cells.js';

const decoder = new TextDecoder();

/** The notice a cell leads with (transient output: "✗ Not run — …", "✓ Scratch run — …"). */
function noticeOf(cell: vscode.NotebookCell): string | undefined {
  const o = cell.outputs.find((x) => (x.metadata?.runbook as { notice?: unknown } | undefined)?.notice);
  return o ? o.items.map((i) => decoder.decode(i.data)).join('') : undefined;
}

const codeCells = (doc: vscode.NotebookDocument) => doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);

async function setPlainRunbooks(value: string): Promise<void> {
  await vscode.workspace.getConfiguration('runbook').update('run.plainRunbooks', value, vscode.ConfigurationTarget.Global);
}

export function recordUxTests(config: E2eConfig): Test[] {
  const scratchDir = path.join(config.workspace, config.scratch);
  return [
    {
      name: 'runbook vs record: a step of a plain runbook asks first; "Run as scratch" shows the output and writes nothing to the runbook (test-results/guard.png, scratch.png)',
      run: async () => {
        const file = path.join(scratchDir, 'guard-check.runbook.md');
        const text = '# Guard check\n\nA plain runbook: not an incident record.\n\n## Say hello\n\n```bash\necho "scratch-output-$((6*7))"\n```\n';
        await fs.writeFile(file, text);
        await setPlainRunbooks('ask');
        try {
          const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
          await showNotebook(doc);
          const cell = codeCells(doc)[0]!;
          await runCells(doc, [cell], 60_000); // the driver answers "Run as scratch" in the browser
          assert(printed(cell).includes('scratch-output-42'), `the scratch run's output is shown: ${JSON.stringify(printed(cell))}`);
          assert(noticeOf(cell)?.includes('Scratch run'), `the cell says it was a scratch run: ${noticeOf(cell)}`);
          assertEqual(logRows(doc).length, 0, 'log rows in the runbook after a scratch run');
          const shot = await screenshot(config, 'scratch.png', ['scratch-output-42', 'Scratch run']);
          assert(shot.ok, `screenshot: ${shot.error}`);
          // Saving writes nothing of the run; a second run does not ask again (the driver counts the questions).
          await runCells(doc, [cell], 60_000);
          if (doc.isDirty) assert(await doc.save(), 'save');
          assertEqual(await fs.readFile(file, 'utf8'), text, 'the runbook file after two scratch runs and a save');
          // Dry Run in a plain runbook writes nothing either.
          await vscode.commands.executeCommand('runbook.dryRun', { uri: doc.uri });
          assertEqual(logRows(doc).length, 0, 'log rows after a dry run of the plain runbook');
        } finally {
          await setPlainRunbooks('record');
        }
      },
    },
    {
      name: 'honest cell state: declined (Enter = Cancel), refused and timed-out runs show ✗ and the reason, never the earlier output; unnamed cells are named after their heading (test-results/honest.png)',
      run: async () => {
        const file = path.join(scratchDir, 'honest-check.runbook.md');
        await fs.writeFile(file, [
          '---', 'hosts:', '  loop-a: { ssh: a@127.0.0.1, jump: loop-b }', '  loop-b: { ssh: b@127.0.0.1, jump: loop-a }', '---',
          '# Honest check', '', '## Honest check', '', 'Asks first (confirm=true); it has no name, so it is named after this heading.', '',
          '```bash {confirm=true}', 'echo "earlier-run-output"', '```', '',
          '```bash {name=honest-refused host=loop-a}', 'echo never', '```', '',
          '```bash {name=honest-timeout timeout=1s}', 'echo "before the timeout"; sleep 5', '```', '',
        ].join('\n'));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const [asks, refused, slow] = codeCells(doc);
        // First run: the driver answers "Run on this machine"; second run: it presses Enter, the default (Cancel).
        await runCells(doc, [asks!], 60_000);
        assert(printed(asks!).includes('earlier-run-output'), 'the first run printed its output');
        assertEqual(asks!.executionSummary?.success, true, 'first run succeeded');
        await runCells(doc, [asks!], 60_000);
        assertEqual(asks!.executionSummary?.success, false, 'a declined run is marked failed (✗), not left as the earlier ✓');
        assert(noticeOf(asks!)?.includes('Not run') && noticeOf(asks!)?.includes('declined on this machine'), `notice of the declined run: ${noticeOf(asks!)}`);
        assert(!printed(asks!).includes('earlier-run-output'), 'the earlier output is not shown as current');
        const events = logRows(doc).filter((r) => r.cell === 'honest-check').map((r) => r.event);
        assertEqual(JSON.stringify(events), JSON.stringify(['confirm', 'run', 'decline']), 'log rows of the unnamed cell, named after its heading');

        await runCells(doc, [refused!], 30_000);
        assertEqual(refused!.executionSummary?.success, false, 'refused run marked failed');
        assert(noticeOf(refused!)?.includes('Not run') && noticeOf(refused!)?.includes('cannot run on "loop-a"'), `notice of the refused run: ${noticeOf(refused!)}`);
        await runCells(doc, [slow!], 30_000);
        assertEqual(slow!.executionSummary?.success, false, 'timed-out run marked failed');
        assert(/timed out/i.test(noticeOf(slow!) ?? ''), `notice of the timed-out run: ${noticeOf(slow!)}`);

        vscode.window.activeNotebookEditor?.revealRange(new vscode.NotebookRange(asks!.index, asks!.index + 1), vscode.NotebookEditorRevealType.AtTop);
        const shot = await screenshot(config, 'honest.png', ['Not run', 'declined on this machine', 'not run: declined on this machine']);
        assert(shot.ok, `screenshot: ${shot.error}`);
        // The record keeps the earlier run's output block (the notice is not written), and the decline is logged.
        assert(await doc.save(), 'save');
        const saved = await fs.readFile(file, 'utf8');
        assert(saved.includes('earlier-run-output\n```\n<!-- /runbook:output -->'), 'the earlier output block stays in the record');
        assert(!saved.includes('Not run'), 'the notice is not written into the record');
        const rows = (await savedRows(file)).filter((r) => r.cell === 'honest-check').map((r) => r.event);
        assertEqual(JSON.stringify(rows), JSON.stringify(['confirm', 'run', 'decline']), 'saved log rows of honest-check');
      },
    },
    {
      name: 'context: the Runbook Context view shows hosts, groups, connections, variables (secrets only set/not set) and severity targets; each cell shows its target before it runs (test-results/context.png)',
      run: async () => {
        const file = path.join(scratchDir, 'context-check.runbook.md');
        await fs.writeFile(file, [
          '---',
          'title: Context check',
          'hosts:',
          '  cvd-prod: { ssh: deploy@10.0.0.5, jump: bastion, production: true }',
          '  bastion: { ssh: jump@10.0.0.1 }',
          'groups:',
          '  web: [web-01, web-02]',
          'connections:',
          '  cvd-db: { driver: sqlite, path: /opt/cvd/data/cvd.db, host: cvd-prod }',
          'variables:',
          '  SERVICE_NAME: { default: cvd-e2e-service }',
          '  API_TOKEN: { prompt: API token, secret: true }',
          'severity: { P0: 15m, P1: 1h }',
          '---',
          '# Context check', '', '```bash {name=here}', 'echo here', '```', '', '```bash {name=there host=cvd-prod}', 'uptime', '```', '',
        ].join('\n'));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        await vscode.commands.executeCommand('runbook.context.focus');
        await vscode.commands.executeCommand('notebook.focusTop');
        await settle();
        const secret = 'tok-e2e-very-secret-4711';
        await vscode.commands.executeCommand('runbook.setVariable', { name: 'API_TOKEN', value: secret });
        await vscode.commands.executeCommand('runbook.setVariable', { name: 'SERVICE_NAME', value: 'cvd-typed-again' });
        const shot = await screenshot(config, 'context.png',
          ['cvd-prod', 'deploy@10.0.0.5 via bastion · production', 'web-01, web-02', 'sqlite /opt/cvd/data/cvd.db via cvd-prod',
            'API_TOKEN', 'secret · set', 'cvd-typed-again', 'respond within 15m', 'runs on this machine', 'runs on deploy@cvd-prod via bastion (production)'],
          [secret]);
        assert(shot.ok, `screenshot: ${shot.error}`);
        await vscode.commands.executeCommand('runbook.clearVariable', { name: 'API_TOKEN' });
        await vscode.commands.executeCommand('runbook.clearVariable', { name: 'SERVICE_NAME' });
        const after = await screenshot(config, 'context-cleared.png', ['secret · not set', 'cvd-e2e-service (default)'], [secret, 'cvd-typed-again']);
        assert(after.ok, `screenshot after clearing: ${after.error}`);
        assert(!doc.isDirty, 'looking at the context changes nothing in the runbook');
      },
    },
    {
      name: 'walkthrough: "Get started with Runbook Notebooks" opens with its five steps (test-results/walkthrough.png)',
      run: async () => {
        await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${config.extensionId}#runbook.gettingStarted`, false);
        const shot = await screenshot(config, 'walkthrough.png',
          ['Get started with Runbook Notebooks', 'Open a sample runbook', 'Run a step', 'Practise with a drill', 'Resolve the incident', 'Export the record']);
        assert(shot.ok, `screenshot: ${shot.error}`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      },
    },
  ];
}

/** The saved record's log rows of a file (for tests that check what was written). */
export async function savedRows(file: string): Promise<{ event: string; cell: string; detail?: string }[]> {
  return parseRunbook(await fs.readFile(file, 'utf8')).log?.rows ?? [];
}
