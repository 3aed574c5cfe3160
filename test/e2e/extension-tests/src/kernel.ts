// The local kernel inside a real VS Code (issue 3 §9): bash cells run through the Runbook controller, the
// session keeps state from cell to cell, stdout and stderr stay apart, outputs carry where/when/how they ran,
// saving writes output blocks and the execution log into the markdown, and reopening the file shows the
// outputs again. Cancelling a long cell ends it within seconds and leaves no process behind.
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import * as path from 'node:path';
import { parseRunbook } from '../../../../src/core/format/index.js';
import { verifyChain } from '../../../../src/core/log/chain.js';
import { verifyRecord } from '../../../../src/core/log/verifyRecord.js';
import type { E2eConfig } from '../../protocol.js';
import { assert, assertEqual, trace, waitFor } from './check.js';
import {
  STDERR, STDOUT, cellNamed, logRows, outputsOf, printed, runCells, savedLogRows, savedOutputBlocks, showNotebook,
  type OutputMeta, type Test,
} from './cells.js';

/** A process argument no other process on this machine has: the cancel test looks for it with ps. */
const SLEEP = `sleep 29.${process.pid % 1000}7`;

export function kernelRunbook(): string {
  return [
    '# Kernel check',
    '',
    'Written by the e2e test: two cells that share a shell session, and one that runs until cancelled.',
    '',
    '```bash {name=hello}',
    'export GREETING=hi; echo "$GREETING from $(whoami)"; echo warn >&2',
    '```',
    '',
    '```bash {name=carry}',
    'cd /tmp',
    'echo "carried: $GREETING in $(pwd)"',
    '```',
    '',
    '```bash {name=slow}',
    'echo started',
    SLEEP,
    'echo "not cancelled"',
    '```',
    '',
    '```bash {name=after}',
    'echo "after cancel: ok"',
    '```',
    '',
  ].join('\n');
}

const user = userInfo().username;

function checkMeta(meta: OutputMeta | undefined, cell: string, what: string): void {
  assert(meta, `${what}: the output has no runbook.meta`);
  assertEqual(meta.cell, cell, `${what}: meta.cell`);
  assertEqual(meta.exit, 0, `${what}: meta.exit`);
  assertEqual(meta.user, user, `${what}: meta.user`);
  assert(typeof meta.host === 'string' && meta.host.includes(hostname()), `${what}: meta.host ${JSON.stringify(meta.host)} does not name this machine (${hostname()})`);
  assert(typeof meta.started === 'string' && !Number.isNaN(Date.parse(meta.started)), `${what}: meta.started ${JSON.stringify(meta.started)} is not a time`);
  assert(Math.abs(Date.now() - Date.parse(meta.started)) < 10 * 60_000, `${what}: meta.started ${meta.started} is not recent`);
  assert(typeof meta.ms === 'number' && meta.ms >= 0 && meta.ms < 30_000, `${what}: meta.ms ${JSON.stringify(meta.ms)}`);
}

/** hello: "hi from <user>" on stdout, "warn" on stderr, both stamped; carry: the exported variable and cwd. */
function checkHelloAndCarry(doc: vscode.NotebookDocument, when: string): void {
  const hello = outputsOf(cellNamed(doc, 'hello'));
  assertEqual(hello.length, 2, `${when}: number of outputs of cell hello (stdout, stderr)`);
  const out = hello.find((o) => o.mimes.includes(STDOUT));
  const err = hello.find((o) => o.mimes.includes(STDERR));
  assert(out && err, `${when}: cell hello should have a stdout and a stderr output; mimes: ${JSON.stringify(hello.map((o) => o.mimes))}`);
  assertEqual(out.text.trimEnd(), `hi from ${user}`, `${when}: stdout of cell hello`);
  assertEqual(err.text.trimEnd(), 'warn', `${when}: stderr of cell hello`);
  checkMeta(out.meta, 'hello', `${when}: hello stdout`);
  checkMeta(err.meta, 'hello', `${when}: hello stderr`);
  assertEqual(out.meta?.stream, 'stdout', `${when}: hello stdout meta.stream`);
  assertEqual(err.meta?.stream, 'stderr', `${when}: hello stderr meta.stream`);
  const carry = cellNamed(doc, 'carry');
  const c = outputsOf(carry);
  assertEqual(c.length, 1, `${when}: number of outputs of cell carry`);
  assertEqual(c[0]!.text.trimEnd(), 'carried: hi in /tmp', `${when}: stdout of cell carry (GREETING exported by cell hello)`);
  checkMeta(c[0]!.meta, 'carry', `${when}: carry stdout`);
  for (const name of ['hello', 'carry']) {
    const s = cellNamed(doc, name).executionSummary;
    assertEqual(s?.success, true, `${when}: executionSummary.success of ${name}`);
    assert(s?.timing && s.timing.endTime >= s.timing.startTime, `${when}: executionSummary.timing of ${name}: ${JSON.stringify(s?.timing)}`);
  }
}

function processesWith(text: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(text));
}

export function kernelTests(config: E2eConfig): Test[] {
  const rel = path.join(config.scratch, 'kernel-check.runbook.md');
  const file = path.join(config.workspace, rel);
  const reopened = path.join(config.workspace, config.scratch, 'kernel-check-reopened.runbook.md');
  let doc: vscode.NotebookDocument | undefined;
  const need = () => {
    assert(doc, 'the kernel notebook was not opened (an earlier test failed)');
    return doc;
  };

  return [
    {
      name: 'kernel: bash cells run through the controller in a trusted workspace; state carries over; stdout/stderr apart; outputs stamped',
      run: async () => {
        assert(vscode.workspace.isTrusted, 'the workspace is not trusted (code-server should run with --disable-workspace-trust)');
        await fs.writeFile(file, kernelRunbook());
        doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
        await showNotebook(doc);
        await runCells(doc, [cellNamed(doc, 'hello'), cellNamed(doc, 'carry')]);
        checkHelloAndCarry(doc, 'after the run');
        const orders = ['hello', 'carry'].map((n) => cellNamed(doc!, n).executionSummary?.executionOrder);
        assert(orders.every((o) => typeof o === 'number') && orders[1]! > orders[0]!, `execution order numbers: ${JSON.stringify(orders)}`);
        const rows = logRows(doc).map((r) => `${r.cell}:${r.event}:${r.exit}`);
        assert(rows.includes('hello:run:0') && rows.includes('carry:run:0'), `execution log rows in the notebook: ${JSON.stringify(rows)}`);
        assert(doc.isDirty, 'the notebook should be dirty after a run (outputs and log rows not saved yet)');
      },
    },
    {
      name: 'kernel: save writes output blocks and the execution log into the markdown; reopening shows the outputs again',
      run: async () => {
        const nb = need();
        assert(await nb.save(), 'NotebookDocument.save() returned false');
        const text = await fs.readFile(file, 'utf8');
        const blocks = savedOutputBlocks(text);
        const streams = blocks.map((b) => `${b.cell}:${b.stream}:${b.exit}`);
        assertEqual(JSON.stringify(streams), JSON.stringify(['hello:stdout:0', 'hello:stderr:0', 'carry:stdout:0']), 'saved output blocks (cell:stream:exit)');
        for (const b of blocks) checkMeta(b, b.cell!, `saved block of ${b.cell}`);
        assert(text.includes(`\`\`\`text\nhi from ${user}\n\`\`\`\n<!-- /runbook:output -->`), `the stdout of hello is not in the file:\n${text}`);
        assert(text.includes('```text\nwarn\n```'), 'the stderr of hello is not in the file');
        assert(text.indexOf('<!-- runbook:output') > text.indexOf('export GREETING=hi'), 'the output blocks come after their cell');
        const rows = savedLogRows(text);
        const cellsEvents = rows.map((r) => `${r[4]}:${r[5]}:${r[6]}`);
        assert(cellsEvents.includes('hello:run:0') && cellsEvents.includes('carry:run:0'), `saved log rows (cell:event:exit): ${JSON.stringify(cellsEvents)}`);
        for (const r of rows) assert(/^`[0-9a-f]{16}`$/.test(r[9] ?? ''), `log row ${r[0]} has no chain hash: ${JSON.stringify(r)}`);
        assertEqual(rows.map((r) => r[0]).join(','), rows.map((_, i) => String(i + 1)).join(','), 'log row numbers');
        const chain = verifyChain(parseRunbook(text).log?.rows ?? []);
        assert(chain.ok, `the saved execution log does not verify: ${JSON.stringify(chain)}`);
        // The whole record verifies: outputs saved through the notebook match the digests of their runs.
        const whole = verifyRecord(text);
        assert(whole.ok, `runbook verify fails on the saved record: ${whole.problems.join(' | ')}`);

        // "Reopen": a copy of the saved file, opened fresh, is read by the serializer with its outputs.
        await fs.copyFile(file, reopened);
        const again = await vscode.workspace.openNotebookDocument(vscode.Uri.file(reopened));
        assert(again !== nb, 'the copy opened as the same document');
        checkHelloAndCarry(again, 'after reopening the saved file');
        assert(!again.isDirty, 'the reopened notebook is dirty');
        const log = logRows(again).map((r) => `${r.cell}:${r.event}`);
        assert(log.includes('hello:run') && log.includes('carry:run'), `the reopened notebook's log rows: ${JSON.stringify(log)}`);
      },
    },
    {
      name: 'kernel: cancelling a running cell ends it within seconds, leaves no process, logs "cancel"; the next cell runs',
      run: async () => {
        const nb = need();
        const slow = cellNamed(nb, 'slow');
        const before = slow.executionSummary?.timing?.endTime;
        trace('run the slow cell');
        const range = { ranges: [{ start: slow.index, end: slow.index + 1 }], document: nb.uri };
        void Promise.resolve(vscode.commands.executeCommand('notebook.cell.execute', range)).then(undefined, () => undefined);
        // Streaming: "started" shows while the cell still runs.
        await waitFor(() => printed(slow).includes('started'), 20_000, 'the slow cell to stream "started"');
        assert(slow.executionSummary?.timing?.endTime === before || slow.executionSummary?.timing === undefined,
          'the slow cell ended before it was cancelled');
        assert(processesWith(SLEEP).length > 0, `no "${SLEEP}" process while the cell runs`);
        const t0 = Date.now();
        await vscode.commands.executeCommand('notebook.cell.cancelExecution', range);
        await waitFor(() => {
          const end = slow.executionSummary?.timing?.endTime;
          return end !== undefined && end !== before;
        }, 5000, 'the cancelled cell to end');
        const took = Date.now() - t0;
        trace(`cancel took ${took} ms`);
        assert(took < 3000, `the cell took ${took} ms to end after the cancel`);
        assert(slow.executionSummary?.success !== true, 'the cancelled cell is marked successful');
        assert(!printed(slow).includes('not cancelled'), 'the cell ran past the sleep');
        await waitFor(() => processesWith(SLEEP).length === 0, 2000, `the "${SLEEP}" process to be gone: ${processesWith(SLEEP).join('; ')}`);
        const rows = logRows(nb).filter((r) => r.cell === 'slow').map((r) => r.event);
        assert(rows.includes('cancel'), `log rows of the slow cell: ${JSON.stringify(rows)}`);

        const after = cellNamed(nb, 'after');
        await runCells(nb, [after], 20_000);
        assertEqual(printed(after).includes('after cancel: ok'), true, `the cell after the cancel printed ${JSON.stringify(printed(after))}`);
        assertEqual(after.executionSummary?.success, true, 'the cell after the cancel succeeded');
        assert(await nb.save(), 'save failed');
        const saved = savedLogRows(await fs.readFile(file, 'utf8')).map((r) => `${r[4]}:${r[5]}`);
        assert(saved.includes('slow:cancel') && saved.includes('after:run'), `saved log rows: ${JSON.stringify(saved)}`);
      },
    },
  ];
}
