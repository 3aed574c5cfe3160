// The controller's queue in a real VS Code (issue 10 point 5): cells of one request are pending at once and
// each can be cancelled while it waits (it never runs and says so); a cancelled cell stops Run All even with
// runbook.run.stopOnError off; a record whose journal cannot be written still shows the run's own outputs and
// the failure is reported (the Runbook output channel's log file is read back).
import * as vscode from 'vscode';
import { existsSync, promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, trace, waitFor } from './check.js';
import { cellNamed, logRows, outputsOf, printed, savedOutputBlocks, showNotebook, STDOUT, type Test } from './cells.js';

let logsHome: string | undefined;

/** The test extension's log folder; the Runbook extension's logs are next to it. */
export function setLogsHome(logUri: vscode.Uri): void {
  logsHome = path.dirname(logUri.fsPath);
}

/** The text of the Runbook output channel's log file ('' until it exists). */
function runbookChannelLog(): string {
  if (!logsHome) return '';
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (name === 'Runbook.log') found.push(p);
      else if (depth > 0 && statSync(p).isDirectory()) walk(p, depth - 1);
    }
  };
  walk(logsHome, 2);
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

const endOf = (c: vscode.NotebookCell) => c.executionSummary?.timing?.endTime;

/** Starts `notebook.cell.execute` for `cells` as one request (Run All of them); resolves when the request ends. */
function execute(doc: vscode.NotebookDocument, cells: vscode.NotebookCell[]): Promise<unknown> {
  return Promise.resolve(vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: cells.map((c) => ({ start: c.index, end: c.index + 1 })), document: doc.uri,
  }));
}

const cancel = (doc: vscode.NotebookDocument, cell: vscode.NotebookCell) => vscode.commands.executeCommand('notebook.cell.cancelExecution', {
  ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri,
});

/** Writes a small incident record `name` into `dir` with these lines after its heading; returns its path. */
async function writeRecord(dir: string, name: string, id: string, title: string, lines: string[]): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, [
    '---', `title: ${title}`, 'incident:', `  id: ${id}`, '  severity: P3', '  status: open', '---', `# ${title}`, '',
    ...lines,
  ].join('\n'));
  return file;
}

export function queueTests(config: E2eConfig): Test[] {
  const dir = path.join(config.workspace, config.scratch);
  const marker = (name: string) => path.join(dir, `queue-${process.pid}-${name}.ran`);
  return [
    {
      name: 'queue: cells of one request wait their turn; one cancelled while queued never runs and says so; the others run',
      run: async () => {
        const gate = marker('gate-open');
        const file = path.join(dir, 'queue-check.runbook.md');
        await fs.writeFile(file, [
          '# Queue check', '',
          '```bash {name=gate}', 'echo waiting', `while [ ! -e '${gate}' ]; do sleep 0.1; done`, 'echo gate open', '```', '',
          '```bash {name=queued}', `touch '${marker('queued')}'`, 'echo queued ran', '```', '',
          '```bash {name=third}', `touch '${marker('third')}'`, 'echo third ran', '```', '',
        ].join('\n'));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const [first, queued, third] = ['gate', 'queued', 'third'].map((n) => cellNamed(doc, n)) as [vscode.NotebookCell, vscode.NotebookCell, vscode.NotebookCell];
        const request = execute(doc, [first, queued, third]);
        await waitFor(() => printed(first).includes('waiting'), 20_000, 'the first cell to start');
        trace('cancel the queued cell');
        await cancel(doc, queued);
        // It ends at once, while the first cell still runs: out of the queue, not run.
        await waitFor(() => endOf(queued) !== undefined, 10_000, 'the cancelled queued cell to end');
        assert(!printed(first).includes('gate open'), 'the first cell ended before the cancel was seen');
        assertEqual(queued.executionSummary?.success, false, 'executionSummary.success of the cancelled queued cell');
        assert(printed(queued).includes('Not run — cancelled while queued'), `the cancelled cell's notice: ${JSON.stringify(printed(queued))}`);
        await fs.writeFile(gate, '');
        await request;
        await waitFor(() => endOf(third) !== undefined, 20_000, 'the third cell to end');
        assert(printed(third).includes('third ran'), `the third cell printed ${JSON.stringify(printed(third))}`);
        assertEqual(third.executionSummary?.success, true, 'the third cell succeeded');
        assert(!existsSync(marker('queued')), 'the cancelled queued cell ran (its marker file exists)');
        assert(existsSync(marker('third')), 'the third cell did not run');
        const events = logRows(doc).map((r) => `${r.cell}:${r.event}`);
        assert(!events.some((e) => e.startsWith('queued:run')), `log rows: ${JSON.stringify(events)}`);
        assert(events.includes('gate:run') && events.includes('third:run'), `log rows: ${JSON.stringify(events)}`);
      },
    },
    {
      name: 'queue: a cell cancelled while it runs stops Run All, also with runbook.run.stopOnError off',
      run: async () => {
        const file = path.join(dir, 'queue-stop.runbook.md');
        const sleep = `sleep 28.${process.pid % 1000}3`;
        await fs.writeFile(file, [
          '# Stop check', '',
          '```bash {name=slow}', 'echo started', sleep, '```', '',
          '```bash {name=next}', `touch '${marker('next')}'`, '```', '',
        ].join('\n'));
        const settings = vscode.workspace.getConfiguration('runbook');
        await settings.update('run.stopOnError', false, vscode.ConfigurationTarget.Global);
        try {
          const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
          await showNotebook(doc);
          const slow = cellNamed(doc, 'slow');
          const next = cellNamed(doc, 'next');
          const request = execute(doc, [slow, next]);
          await waitFor(() => printed(slow).includes('started'), 20_000, 'the slow cell to start');
          await cancel(doc, slow);
          await request;
          await waitFor(() => endOf(slow) !== undefined, 10_000, 'the cancelled cell to end');
          assert(slow.executionSummary?.success !== true, 'the cancelled cell is marked successful');
          assert(!existsSync(marker('next')), 'Run All went on after a cancel (the next cell ran)');
          assertEqual(outputsOf(next).length, 0, 'outputs of the cell after the cancel');
        } finally {
          await settings.update('run.stopOnError', undefined, vscode.ConfigurationTarget.Global);
        }
      },
    },
    {
      // VS Code's replaceOutput diffs outputs by their bytes only: a stderr equal to its live stream kept the
      // live output, without the run's metadata, and the saved record failed verify.
      name: 'queue: every output of a record\'s run carries the run\'s metadata, also when it equals its live stream',
      run: async () => {
        const file = path.join(dir, 'meta-check.runbook.md');
        await fs.writeFile(file, [
          '---', 'title: Meta check', 'incident:', '  id: META-1', '  severity: P3', '  status: open', '---', '# Meta check', '',
          '```bash {name=both}', 'echo "to stdout"', 'sleep 0.4', 'echo "to stderr" >&2', 'sleep 0.4', '```', '',
        ].join('\n'));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const cell = cellNamed(doc, 'both');
        await execute(doc, [cell]);
        await waitFor(() => endOf(cell) !== undefined, 20_000, 'the cell to end');
        const shown = outputsOf(cell);
        assertEqual(shown.length, 2, `outputs of the cell: ${JSON.stringify(shown)}`);
        for (const o of shown) assertEqual(o.meta?.exit, 0, `meta.exit of the output ${JSON.stringify(o.text)} (${JSON.stringify(o.meta)})`);
        await waitFor(() => !doc.isDirty, 20_000, 'the record to be saved');
        const saved = savedOutputBlocks(await fs.readFile(file, 'utf8'));
        assertEqual(saved.length, 2, `saved output blocks: ${JSON.stringify(saved)}`);
        for (const m of saved) assertEqual(m.exit, 0, `a saved output block without the run's metadata: ${JSON.stringify(m)}`);
      },
    },
    {
      // Each save moves the whole notebook between the window and the extension host (seconds at 10 MB): a
      // Run All is saved once at its end, its runs kept in the journal meanwhile (issue 17).
      name: 'queue: a Run All in a record is saved once, at its end; until then its runs are in the journal',
      run: async () => {
        const file = await writeRecord(dir, 'runall-save.runbook.md', 'SAVE-1', 'Run All save',
          [1, 2, 3].flatMap((n) => [`\`\`\`bash {name=step${n}}`, `echo step ${n}`, 'sleep 0.8', '```', '']));
        const journal = path.join(dir, '.runall-save.runbook.md.journal');
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        let saves = 0;
        const counting = vscode.workspace.onDidSaveNotebookDocument((nb) => {
          if (nb === doc) saves++;
        });
        try {
          const cells = [1, 2, 3].map((n) => cellNamed(doc, `step${n}`));
          const request = execute(doc, cells);
          await waitFor(() => printed(cells[2]!).includes('step 3'), 30_000, 'the third cell to start');
          // Two cells ended more than 0.8 s ago (a save used to follow each after 300 ms).
          assertEqual(saves, 0, 'saves of the record while its Run All lasted');
          assert(existsSync(journal) && readFileSync(journal, 'utf8').includes('step 2'), 'the first two runs are in the journal beside the record');
          await request;
          await waitFor(() => saves > 0 && !doc.isDirty, 20_000, 'the record to be saved after the Run All');
          const text = await fs.readFile(file, 'utf8');
          assertEqual(savedOutputBlocks(text).length, 3, 'output blocks in the saved record');
          assertEqual(logRows(doc).filter((r) => r.event === 'run').length, 3, 'run rows in the log');
          await new Promise((r) => setTimeout(r, 1000));
          assertEqual(saves, 1, 'saves of the record for one Run All');
          await waitFor(() => !existsSync(journal), 10_000, 'the journal to go once the save holds its runs');
        } finally {
          counting.dispose();
        }
      },
    },
    {
      // A save reads the whole notebook in the window; at 10 MB that held a quick cell's ✓ back, which VS Code
      // paints 500 ms after the start at the earliest (issue 17). The save waits for that paint instead.
      name: 'queue: the save after a quick run in a record waits until its ✓ has shown (750 ms after the start), then comes',
      run: async () => {
        const file = await writeRecord(dir, 'quick-save.runbook.md', 'SAVE-2', 'Quick save', ['```bash {name=quick}', 'echo quick', '```', '']);
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const cell = cellNamed(doc, 'quick');
        // The first run also starts the shell (before its clock starts); the second is a command alone.
        for (let round = 1; round <= 2; round++) {
          // When the save starts (VS Code asks the extension host before it reads the notebook).
          let savedAt = 0;
          const counting = vscode.workspace.onWillSaveNotebookDocument((e) => {
            if (e.notebook === doc && !savedAt) savedAt = Date.now();
          });
          try {
            await execute(doc, [cell]);
            await waitFor(() => savedAt > 0 && !doc.isDirty, 20_000, `the record to be saved after run ${round}`);
          } finally {
            counting.dispose();
          }
          const timing = cell.executionSummary?.timing;
          assert(timing, 'the cell has its run\'s timing');
          trace(`quick run: ${timing.endTime - timing.startTime} ms, its save started ${savedAt - timing.startTime} ms after its start`);
          assert(savedAt - timing.startTime >= 750, `the record's save started ${savedAt - timing.startTime} ms after the run started, before its ✓ could show`);
        }
        assert(savedOutputBlocks(await fs.readFile(file, 'utf8')).length === 1, 'the run\'s output is in the saved record');
      },
    },
    {
      name: 'queue: a record whose journal cannot be written shows the run\'s own outputs and reports the failure',
      run: async () => {
        const file = await writeRecord(dir, 'keep-check.runbook.md', 'KEEP-1', 'Keep check', ['```bash {name=kept}', 'echo "real output"', '```', '']);
        // Something in the way of the journal: a folder where its file goes.
        await fs.mkdir(path.join(dir, '.keep-check.runbook.md.journal'));
        const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        const cell = cellNamed(doc, 'kept');
        await execute(doc, [cell]);
        await waitFor(() => endOf(cell) !== undefined, 20_000, 'the cell to end');
        const shown = outputsOf(cell);
        assertEqual(shown.length, 1, `outputs of the cell: ${JSON.stringify(shown.map((o) => o.mimes))}`);
        assert(shown[0]!.mimes.includes(STDOUT) && shown[0]!.text.includes('real output'), `the cell shows ${JSON.stringify(shown)}`);
        assertEqual(shown[0]!.meta?.exit, 0, 'the output is the stamped record output (meta.exit)');
        assertEqual(cell.executionSummary?.success, true, 'the cell ran and succeeded');
        assert(logRows(doc).some((r) => r.cell === 'kept' && r.event === 'run'), 'the run has its log row in the notebook');
        await waitFor(() => runbookChannelLog().includes('"kept" ran, but writing it to the record\'s journal failed'), 15_000,
          `the failure in the Runbook output channel (log: ${JSON.stringify(runbookChannelLog().slice(-400))})`);
      },
    },
  ];
}
